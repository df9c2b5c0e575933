// The Fastify app: body parsing and limits, the per-request pipeline (faults → auth → rate limit → latency →
// injected 5xx), error rendering, request counting and commit-then-drop.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

type ContentTypeParserFn = ReturnType<FastifyInstance['getDefaultJsonParser']>;
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { permissionsOfClient } from './client-roles';
import { type EmulatorContext, isScimRequest, requestOrg, type RequestState } from './context';
import { PlatformError, ScimError, platformErrorBody, tooManyRequests } from './errors';
import { checkRule } from './permission-check';
import { ruleFor } from './permissions';
import { registerAuthorizationRoutes } from './routes/authorization';
import { registerBillingRoutes } from './routes/billing';
import { type Controls, registerControlRoutes } from './routes/control';
import { registerLicenseRoutes } from './routes/licenses';
import { basicClient, registerOAuthRoutes } from './routes/oauth';
import { registerOAuthClientRoutes } from './routes/oauth-clients';
import { registerRoutingRoutes } from './routes/routing';
import { registerScimUserRoutes } from './routes/scim-users';
import { registerUserRoutes } from './routes/users';
import { registerUserReadRoutes } from './routes/users-read';

/** Genesys's documented request.bytes.max. */
export const BODY_LIMIT_BYTES = 512_000;
const CONTROL_PREFIX = '/__emulator';
const ORG_PREFIX = '/orgs/:orgId';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const FIVE_XX_CODES: Record<number, string> = {
  500: 'internal.server.error',
  502: 'bad.gateway',
  503: 'service.unavailable',
  504: 'gateway.timeout',
};

function sendError(reply: FastifyReply, request: FastifyRequest, err: unknown): FastifyReply {
  if (err instanceof ScimError)
    return reply.code(err.status).type('application/scim+json; charset=utf-8').send(err.body());
  if (err instanceof PlatformError) return reply.code(err.status).headers(err.headers).send(err.body());
  const fe = err as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply
        .code(413)
        .send(platformErrorBody(413, 'request.entity.too.large', `Maximum bytes: ${BODY_LIMIT_BYTES}`));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply
        .code(415)
        .send(
          platformErrorBody(
            415,
            'unsupported.media.type',
            `Unsupported media type ${request.headers['content-type'] ?? '(none)'}`,
          ),
        );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      if (isScimRequest(request))
        return sendError(
          reply,
          request,
          new ScimError(400, 'invalidSyntax', `The request body could not be parsed: ${fe.message ?? ''}`),
        );
      return reply
        .code(400)
        .send(
          platformErrorBody(
            400,
            'bad.request',
            `The request could not be understood by the server due to malformed syntax: ${fe.message ?? ''}`,
          ),
        );
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.code(fe.statusCode).send(platformErrorBody(fe.statusCode, 'bad.request', fe.message ?? 'Bad request'));
  }
  request.log.error(err);
  return reply
    .code(500)
    .send(platformErrorBody(500, 'internal.server.error', 'The server encountered an unexpected condition.'));
}

/** Every API route must have a row in the permission table: a route without one is a bug, found at start. */
function requirePermissionRow(route: { method: string | string[]; url: string }): void {
  for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
    if (method === 'HEAD' || ruleFor(method, route.url)) continue;
    throw new Error(`genesys emulator: ${method} ${route.url} has no row in permissions.ts`);
  }
}

/**
 * After auth, rate limit and faults (onRequest) and body parsing: the calling client's permissions, read now (a
 * revocation applies to the next request), against the route's row. Before the route, so a 403 comes before any
 * 404 or 400 and nothing is written.
 */
function checkPermissions(ctx: EmulatorContext, request: FastifyRequest): void {
  const rule = ruleFor(request.method, request.routeOptions.url);
  if (!rule || (rule.documented === 'none' && !rule.stricter)) return;
  const org = requestOrg(ctx, request);
  const client = request.emu.clientId ? org.client(request.emu.clientId) : undefined;
  checkRule(rule, client ? permissionsOfClient(org, client) : [], request, org);
}

/** The request pipeline for API routes (not /__emulator). */
function apiPlugin(ctx: EmulatorContext) {
  return async (api: FastifyInstance): Promise<void> => {
    api.addHook('onRoute', requirePermissionRow);
    api.addHook('onRequest', async (request) => {
      const pinned = (request.params as { orgId?: string }).orgId;
      if (pinned !== undefined) {
        if (!ctx.store.orgs.has(pinned)) throw new PlatformError(404, 'not.found', `No emulated org ${pinned}`);
        request.emu.pinnedOrgId = pinned;
      }
      const isTokenRequest = request.url.endsWith('/oauth/token');
      // Identify the caller first (without failing) so outages and forced 429s are counted against its client.
      const check = isTokenRequest ? undefined : ctx.tokens.check(request.headers.authorization);
      const caller = check?.ok
        ? check.record
        : isTokenRequest
          ? basicClient(ctx, request.headers.authorization)
          : undefined;
      if (caller && (pinned === undefined || caller.orgId === pinned)) {
        request.emu.orgId = caller.orgId;
        request.emu.clientId = caller.clientId;
      }

      const decision = ctx.faults.decide(WRITE_METHODS.has(request.method));
      if (decision.kind === 'outage') {
        ctx.counter.recordFault('outage503');
        throw new PlatformError(503, 'service.unavailable', 'The service is currently unavailable (maintenance).', {
          'retry-after': String(decision.retryAfterSeconds),
        });
      }
      if (decision.kind === 'throttle') {
        ctx.counter.recordFault('forced429');
        throw tooManyRequests(decision.retryAfterSeconds);
      }
      // The token endpoint authenticates with Basic credentials and charges the budget itself.
      if (check) {
        if (!check.ok) {
          if (check.reason === 'missing')
            throw new PlatformError(
              401,
              'authentication.required',
              'No authentication bearer token specified in authorization header.',
            );
          throw new PlatformError(
            401,
            'bad.credentials',
            check.reason === 'expired' ? 'Access token has expired.' : 'Invalid login credentials.',
          );
        }
        if (pinned !== undefined && check.record.orgId !== pinned)
          throw new PlatformError(401, 'bad.credentials', 'Invalid login credentials.');
        const rate = ctx.limiter.take(`${check.record.orgId}/${check.record.clientId}`);
        if (!rate.allowed) {
          ctx.counter.recordFault('rateLimited429');
          throw tooManyRequests(rate.retryAfterSeconds);
        }
      }
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      if (decision.kind === 'error') {
        ctx.counter.recordFault('injected5xx');
        throw new PlatformError(
          decision.status,
          FIVE_XX_CODES[decision.status] ?? 'server.error',
          'Injected fault: the server failed to handle the request.',
        );
      }
      request.emu.dropAfterCommit = decision.dropAfterCommit;
    });
    api.addHook('preHandler', async (request) => checkPermissions(ctx, request));
    // Only the token endpoint takes a form body (and only a form body), as the OAuth spec says.
    api.register(async (oauth) => {
      oauth.removeContentTypeParser(['application/json', 'application/scim+json']);
      oauth.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
      registerOAuthRoutes(oauth, ctx);
    });
    registerScimUserRoutes(api, ctx);
    registerAuthorizationRoutes(api, ctx);
    registerRoutingRoutes(api, ctx);
    registerUserRoutes(api, ctx);
    registerUserReadRoutes(api, ctx);
    registerLicenseRoutes(api, ctx);
    registerBillingRoutes(api, ctx);
    registerOAuthClientRoutes(api, ctx);
  };
}

export function buildApp(ctx: EmulatorContext, controls: Controls, logger: boolean): FastifyInstance {
  const app = Fastify({ logger, bodyLimit: BODY_LIMIT_BYTES, genReqId: () => randomUUID() });

  // Fastify wants decorators initialised with null (no shared object); the root onRequest sets it per request.
  app.decorateRequest('emu', null as unknown as RequestState);
  app.addHook('onRequest', async (request) => {
    request.emu = { dropAfterCommit: false };
  });

  // SCIM clients send application/scim+json; parse it like JSON. The official SDK sends
  // `Content-Type: application/json` with an EMPTY body on GET and DELETE, which Genesys accepts, so an empty
  // body is "no body" here too (routes that need one reject it themselves).
  const defaultJson = app.getDefaultJsonParser('error', 'ignore');
  const json: ContentTypeParserFn = (request, body, done) => {
    if (body === '' || body.length === 0) return done(null, undefined);
    return defaultJson(request, body, done);
  };
  // Genesys accepts JSON only (415 otherwise): drop Fastify's built-in text/plain parser.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, json);
  app.addContentTypeParser('application/scim+json', { parseAs: 'string' }, json);

  app.setErrorHandler((err, request, reply) => sendError(reply, request, err));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new PlatformError(404, 'not.found', `No resource at ${request.method} ${request.url}`)),
  );

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith(CONTROL_PREFIX)) return payload;
    reply.header('inin-correlation-id', request.id);
    const endpoint = `${request.method} ${request.routeOptions.url?.replace(/^\/orgs\/:orgId/, '') ?? '(unmatched)'}`;
    ctx.counter.record(request.emu.orgId ?? 'unknown', request.emu.clientId ?? 'unknown', endpoint, reply.statusCode);
    const committed = WRITE_METHODS.has(request.method) && reply.statusCode < 400;
    if (committed) ctx.markDirty();
    if (committed && request.emu.dropAfterCommit) {
      // Commit-then-drop: the write above is kept, the client only sees its connection reset.
      ctx.counter.recordFault('droppedAfterCommit');
      request.raw.socket.destroy();
    }
    return payload;
  });

  app.register(async (control) => registerControlRoutes(control, controls));
  app.register(apiPlugin(ctx));
  app.register(apiPlugin(ctx), { prefix: ORG_PREFIX });
  return app;
}
