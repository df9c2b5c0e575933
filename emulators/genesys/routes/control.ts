// /__emulator/* — the same controls as the GenesysEmulator object, over HTTP, for an emulator started as a
// separate process (npm run emulator:genesys). No OAuth, no faults, no rate limit, not counted.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { badRequest, PlatformError } from '../errors';
import { permissionString } from '../fixture';
import type { GenesysEmulator } from '../types';

export type Controls = Omit<GenesysEmulator, 'url' | 'port' | 'orgUrl' | 'close'> & { hasStateFile(): boolean };

const faultsBody = z.strictObject({
  latencyMs: z.number().min(0).optional(),
  latencyJitterMs: z.number().min(0).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorStatuses: z.array(z.number().int().min(500).max(599)).min(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  throttleNext: z.number().int().min(0).optional(),
  throttleRetryAfterSeconds: z.number().int().min(1).optional(),
  outageSeconds: z.number().min(0).optional(),
});
const rateLimitBody = z.strictObject({
  perMinute: z.number().int().min(1),
  windowMs: z.number().int().min(1).optional(),
});
const roleBody = z.strictObject({ name: z.string().min(1) });
const routingKind = z.enum(['skill', 'language', 'queue']);
const routingBody = z.strictObject({ kind: routingKind, name: z.string().min(1) });
const queueMemberBody = z.strictObject({ queue: z.string().min(1) });
const grantBody = z.strictObject({ roleId: z.string().min(1), divisionId: z.string().min(1) });
const permissionsBody = z.strictObject({ permissions: z.array(permissionString) });
const loginBody = z.strictObject({ at: z.iso.datetime({ offset: true }) });

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badRequest(z.prettifyError(parsed.error));
  return parsed.data;
}

/** Control-method failures (unknown org, duplicate role...) are the caller's mistake: 404 or 400. */
function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    // Refusals that carry their own status (a login of an inactive user: 409) pass as they are.
    if (err instanceof PlatformError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw /unknown org|no role|no user|no client|no queue|no skills|no languages/.test(message)
      ? new PlatformError(404, 'not.found', message)
      : badRequest(message);
  }
}

export function registerControlRoutes(app: FastifyInstance, controls: Controls): void {
  app.get('/__emulator/health', async () => ({ ok: true }));
  app.get('/__emulator/orgs', async () => controls.orgs());
  app.get<{ Params: { orgId: string } }>('/__emulator/orgs/:orgId/state', async (request) =>
    attempt(() => controls.inspect(request.params.orgId)),
  );

  app.get('/__emulator/faults', async () => controls.getFaults());
  app.post('/__emulator/faults', async (request) => attempt(() => controls.setFaults(parse(faultsBody, request.body))));

  app.post('/__emulator/rate-limit', async (request, reply) => {
    const body = parse(rateLimitBody, request.body);
    attempt(() => controls.setRateLimit(body.perMinute, body.windowMs));
    return reply.code(204).send();
  });

  app.get('/__emulator/request-counts', async () => controls.requestCounts());
  app.post('/__emulator/request-counts/reset', async (_request, reply) => {
    controls.resetCounts();
    return reply.code(204).send();
  });

  app.post<{ Params: { orgId: string } }>('/__emulator/orgs/:orgId/roles', async (request, reply) => {
    const { name } = parse(roleBody, request.body);
    const id = attempt(() => controls.addRole(request.params.orgId, name));
    return reply.code(201).send({ id, name });
  });

  app.delete<{ Params: { orgId: string; name: string } }>(
    '/__emulator/orgs/:orgId/roles/:name',
    async (request, reply) => {
      attempt(() => controls.removeRole(request.params.orgId, request.params.name));
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { orgId: string; userId: string } }>(
    '/__emulator/orgs/:orgId/users/:userId/grants',
    async (request, reply) => {
      const { roleId, divisionId } = parse(grantBody, request.body);
      attempt(() => controls.addGrantByHand(request.params.orgId, request.params.userId, roleId, divisionId));
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { orgId: string } }>('/__emulator/orgs/:orgId/routing', async (request, reply) => {
    const { kind, name } = parse(routingBody, request.body);
    const id = attempt(() => controls.addRouting(request.params.orgId, kind, name));
    return reply.code(201).send({ id, kind, name });
  });

  app.delete<{ Params: { orgId: string; kind: string; name: string } }>(
    '/__emulator/orgs/:orgId/routing/:kind/:name',
    async (request, reply) => {
      const kind = parse(routingKind, request.params.kind);
      attempt(() => controls.removeRouting(request.params.orgId, kind, request.params.name));
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { orgId: string; userId: string } }>(
    '/__emulator/orgs/:orgId/users/:userId/queues',
    async (request, reply) => {
      const { queue } = parse(queueMemberBody, request.body);
      attempt(() => controls.addToQueueByHand(request.params.orgId, request.params.userId, queue));
      return reply.code(204).send();
    },
  );

  // A user logs in at `at` (there is no API for it): 201 {userId, at}; 409 for an inactive or deleted user, who
  // cannot log in (nothing is recorded).
  app.post<{ Params: { orgId: string; userId: string } }>(
    '/__emulator/orgs/:orgId/users/:userId/logins',
    async (request, reply) => {
      const { at } = parse(loginBody, request.body);
      const stored = attempt(() => controls.logIn(request.params.orgId, request.params.userId, at));
      return reply.code(201).send({ userId: request.params.userId, at: stored });
    },
  );

  type ClientParams = { Params: { orgId: string; clientId: string } };
  app.get<ClientParams>('/__emulator/orgs/:orgId/clients/:clientId/permissions', async (request) => ({
    permissions: attempt(() => controls.clientPermissions(request.params.orgId, request.params.clientId)),
  }));
  // Replaces what the client may do, effective for its next request (a revocation mid-season).
  app.put<ClientParams>('/__emulator/orgs/:orgId/clients/:clientId/permissions', async (request) => {
    const { orgId, clientId } = request.params;
    const { permissions } = parse(permissionsBody, request.body);
    attempt(() => controls.setClientPermissions(orgId, clientId, permissions));
    return { permissions: controls.clientPermissions(orgId, clientId) };
  });

  app.post('/__emulator/save', async (_request, reply) => {
    if (!controls.hasStateFile()) throw badRequest('the emulator was started without a state file');
    await controls.save();
    return reply.code(204).send();
  });
}
