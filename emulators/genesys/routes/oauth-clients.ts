// GET /api/v2/oauth/clients/{clientId}: an OAuth client of the caller's org as the OAuthClient model has it, so
// a service can read its own roles (`season doctor`). Needs oauth:client:view (permissions.ts). The secret is
// never returned. Clients of other orgs are 404, like every other id from another org.
import type { FastifyInstance } from 'fastify';
import { type EmulatorContext, requestOrg } from '../context';
import { notFound } from '../errors';

export function registerOAuthClientRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get<{ Params: { clientId: string } }>('/api/v2/oauth/clients/:clientId', async (request) => {
    const org = requestOrg(ctx, request);
    const client = org.client(request.params.clientId);
    if (!client) throw notFound();
    const roleDivisions = (client.roleDivisions ?? []).map((g) => ({ roleId: g.roleId, divisionId: g.divisionId }));
    return {
      id: client.clientId,
      name: client.name ?? client.clientId,
      accessTokenValiditySeconds: ctx.settings.tokenTtlSeconds,
      description: '',
      registeredRedirectUri: [],
      // Deprecated in favour of roleDivisions (Python SDK model) but still in the model: the same roles, once each.
      roleIds: [...new Set(roleDivisions.map((g) => g.roleId))],
      // The Terraform provider sends and reads back "CLIENT-CREDENTIALS" (the SDK enums spell CLIENT_CREDENTIALS).
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      scope: [],
      roleDivisions,
      state: 'active',
      selfUri: `/api/v2/oauth/clients/${client.clientId}`,
    };
  });
}
