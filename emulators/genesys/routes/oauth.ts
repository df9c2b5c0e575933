// POST /oauth/token — the client-credentials grant exactly as the SDKs send it: Basic auth with the client id
// and secret, form body grant_type=client_credentials. Credentials in the body are NOT accepted (stricter).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context';
import { tooManyRequests } from '../errors';

interface OAuthErrorBody {
  error: string;
  description: string;
  error_description: string;
}

const oauthError = (error: string, description: string): OAuthErrorBody => ({
  error,
  description,
  error_description: description,
});

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const m = /^basic\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** The org and client named by valid Basic credentials, or undefined. */
export function basicClient(
  ctx: EmulatorContext,
  header: string | undefined,
): { orgId: string; clientId: string } | undefined {
  const creds = basicCredentials(header);
  const found = creds ? ctx.store.client(creds.clientId) : undefined;
  if (!creds || !found || found.client.clientSecret !== creds.clientSecret) return undefined;
  return { orgId: found.org.id, clientId: found.client.clientId };
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/oauth/token', async (request, reply) => {
    const client = basicClient(ctx, request.headers.authorization);
    // A client of another org presented at an org-pinned base URL is as good as unknown there.
    if (!client || (request.emu.pinnedOrgId && request.emu.pinnedOrgId !== client.orgId)) {
      return reply.code(401).send(oauthError('invalid_client', 'client not found or bad credentials'));
    }
    // Token requests spend the client's budget too: the token endpoint's own limit is undocumented, and
    // counting them is the stricter choice.
    const decision = ctx.limiter.take(`${client.orgId}/${client.clientId}`);
    if (!decision.allowed) {
      ctx.counter.recordFault('rateLimited429');
      throw tooManyRequests(decision.retryAfterSeconds);
    }
    const body = request.body;
    const grantType =
      typeof body === 'object' && body !== null && 'grant_type' in body
        ? (body as { grant_type: unknown }).grant_type
        : undefined;
    if (grantType !== 'client_credentials') {
      return reply.code(400).send(oauthError('unsupported_grant_type', 'grant_type must be client_credentials'));
    }
    const token = ctx.tokens.issue(client.orgId, client.clientId, ctx.settings.tokenTtlSeconds);
    return reply
      .code(200)
      .send({ access_token: token.token, token_type: 'bearer', expires_in: ctx.settings.tokenTtlSeconds });
  });
}
