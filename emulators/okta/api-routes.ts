// The Okta Management API subset the provisioner uses, under /api/v1, with Okta's authentication (SSWS token),
// rate-limit headers, error bodies and Link-header paging. Each request passes, in order: request id → credentials
// (SSWS token or OAuth Bearer, scope) → the org's concurrency limit → the endpoint's rate-limit bucket → latency
// and injected faults → handler.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Credentials } from './credentials';
import { OktaProblem, problemForStatus, rateLimited, validationFailed } from './errors';
import { type EventHookApiContext, registerEventHookRoutes } from './event-hook-routes';
import type { FaultPlan } from './faults';
import { filterGroups, parseLimit, queryGroups, searchGroups } from './group-search';
import { newRequestId } from './ids';
import { paginate } from './paging';
import type { OktaRateLimits } from './rate-limit';
import type { OktaStore } from './store';
import type { EmuGroup, EmuUser, LogEvent } from './types';

export interface ApiContext {
  store: OktaStore;
  limiter: OktaRateLimits;
  faults: FaultPlan;
  credentials: Credentials;
  baseUrl: () => string;
  recordRequest: (entry: { method: string; path: string; status: number }) => void;
  /** Added to every answer (a slow or far-away Okta), before the handler runs. */
  latencyMs: () => number;
  /** The Event Hooks API's state and Okta's verification call. */
  eventHooks: Pick<EventHookApiContext, 'registry' | 'verify' | 'createdBy'>;
}

type Query = Record<string, string | undefined>;
type IdParams = { id: string };
type MemberParams = { groupId: string; userId: string };

const DROP_RESPONSE = Symbol('dropResponse');

const createUserBody = z.object({
  profile: z.looseObject({
    login: z.string().min(5).max(100),
    email: z.string().min(5).max(100),
    firstName: z.string().max(50).nullable().optional(),
    lastName: z.string().max(50).nullable().optional(),
    employeeNumber: z.string().optional(),
  }),
  groupIds: z.array(z.string()).max(20).optional(),
});

function userJson(ctx: ApiContext, u: EmuUser): EmuUser & { _links: { self: { href: string } } } {
  return { ...u, _links: { self: { href: `${ctx.baseUrl()}/api/v1/users/${u.id}` } } };
}

function groupJson(ctx: ApiContext, g: EmuGroup): EmuGroup & { _links: Record<string, { href: string }> } {
  const self = `${ctx.baseUrl()}/api/v1/groups/${g.id}`;
  return { ...g, _links: { self: { href: self }, users: { href: `${self}/users` } } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}

export async function registerApiRoutes(api: FastifyInstance, ctx: ApiContext): Promise<void> {
  // Okta accepts POSTs with a JSON content type and no body (lifecycle operations); Fastify's default parser doesn't.
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new OktaProblem(400, 'E0000003', 'The request body was not well-formed.'), undefined);
    }
  });

  api.setErrorHandler((err, _request, reply) => {
    const problem = err instanceof OktaProblem ? err : new OktaProblem(500, 'E0000009', 'Internal Server Error');
    return reply.code(problem.status).send(problem.body());
  });
  api.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(new OktaProblem(404, 'E0000007', 'Not found: Resource not found').body()),
  );

  // Who called (an SSWS token or a service app), for what a route records about its caller (EventHook.createdBy).
  const callers = new WeakMap<FastifyRequest, Caller>();
  api.addHook('onRequest', async (request, reply) => {
    reply.header('x-okta-request-id', newRequestId());
    callers.set(request, ctx.credentials.authorize(request.headers.authorization, request.method, pathOf(request)));
    if (!ctx.limiter.enter()) {
      // The org's concurrency limit: Limit and Remaining 0, Reset only an estimate (a second from now).
      reply.header('x-rate-limit-limit', '0');
      reply.header('x-rate-limit-remaining', '0');
      reply.header('x-rate-limit-reset', String(Math.ceil(Date.now() / 1000) + 1));
      throw rateLimited();
    }
    let left = false;
    reply.raw.once('close', () => {
      if (!left) ctx.limiter.leave();
      left = true;
    });
    const verdict = ctx.limiter.take(request.method, pathOf(request));
    reply.header('x-rate-limit-limit', String(verdict.limit));
    reply.header('x-rate-limit-remaining', String(verdict.remaining));
    reply.header('x-rate-limit-reset', String(verdict.resetEpochSeconds));
    if (!verdict.allowed) throw rateLimited();
  });

  api.addHook('preHandler', async (request, reply) => {
    const latency = ctx.latencyMs();
    if (latency > 0) await sleep(latency);
    const fault = ctx.faults.take(request.method, pathOf(request));
    if (!fault) return;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.dropConnection) {
      request.raw.socket.destroy();
      return reply.hijack();
    }
    if (fault.dropResponse) (request as unknown as Record<symbol, boolean>)[DROP_RESPONSE] = true;
    if (fault.status) throw problemForStatus(fault.status);
  });

  api.addHook('onSend', async (request, _reply, payload) => {
    // A lost response: the change was made, then the connection dies before the answer leaves.
    if ((request as unknown as Record<symbol, boolean>)[DROP_RESPONSE]) request.raw.socket.destroy();
    return payload;
  });

  api.addHook('onResponse', async (request, reply) => {
    ctx.recordRequest({ method: request.method, path: pathOf(request), status: reply.statusCode });
  });

  const caller = (request: FastifyRequest) => ({ requestUri: pathOf(request) });
  const page = <T>(reply: FastifyReply, request: FastifyRequest, all: T[], cursor: (t: T) => string, limit: number) => {
    const query = request.query as Query;
    const p = paginate(all, cursor, {
      baseUrl: ctx.baseUrl(),
      path: pathOf(request),
      query,
      limit,
      after: query.after,
    });
    reply.header('link', p.links);
    return p.items;
  };

  // ── Users ──────────────────────────────────────────────────────────────────────────────────────
  api.get('/users', async (request, reply) => {
    const { q, limit } = request.query as Query;
    let users = ctx.store.listUsers();
    if (q !== undefined) {
      const needle = q.toLowerCase();
      users = users.filter((u) =>
        [u.profile.login, u.profile.email, u.profile.firstName, u.profile.lastName].some((v) =>
          v?.toLowerCase().startsWith(needle),
        ),
      );
    }
    return page(reply, request, users, (u) => u.id, parseLimit(limit, q !== undefined ? 10 : 200, 200)).map((u) =>
      userJson(ctx, u),
    );
  });

  api.post('/users', async (request) => {
    const parsed = createUserBody.safeParse(request.body);
    if (!parsed.success) throw validationFailed('user', parsed.error.issues.map((i) => i.path.join('.')).join(', '));
    const activate = (request.query as Query).activate !== 'false';
    const { profile, groupIds } = parsed.data;
    const user = ctx.store.createUser({ profile, groupIds, status: activate ? 'ACTIVE' : 'STAGED' }, caller(request));
    return userJson(ctx, user);
  });

  api.get<{ Params: IdParams }>('/users/:id', async (request) => userJson(ctx, ctx.store.user(request.params.id)));

  api.get<{ Params: IdParams }>('/users/:id/groups', async (request, reply) => {
    const user = ctx.store.user(request.params.id);
    // Undocumented but reported (JAVA1286): this list pages at 200 with a `next` link.
    const limit = parseLimit((request.query as Query).limit, 200, 200);
    return page(reply, request, ctx.store.groupsOf(user.id), (g) => g.id, limit).map((g) => groupJson(ctx, g));
  });

  const lifecycle = (name: string, run: (id: string, request: FastifyRequest) => void) =>
    api.post<{ Params: IdParams }>(`/users/:id/lifecycle/${name}`, async (request, reply) => {
      run(ctx.store.user(request.params.id).id, request);
      return reply.code(200).send();
    });
  lifecycle('deactivate', (id, r) => ctx.store.deactivate(id, caller(r)));
  lifecycle('suspend', (id, r) => ctx.store.suspend(id, caller(r)));
  lifecycle('unsuspend', (id, r) => ctx.store.unsuspend(id, caller(r)));
  lifecycle('activate', (id, r) => ctx.store.activate(id, caller(r)));

  // ── Groups ─────────────────────────────────────────────────────────────────────────────────────
  api.get('/groups', async (request, reply) => {
    const { q, search, filter, limit } = request.query as Query;
    if (q !== undefined) {
      // `q` cannot be paged (Okta): one capped answer, no `next` link.
      return queryGroups(ctx.store.listGroups(), q, parseLimit(limit, 300, 10000)).map((g) => groupJson(ctx, g));
    }
    let groups = ctx.store.listGroups();
    if (search !== undefined) groups = searchGroups(groups, search);
    if (filter !== undefined) groups = filterGroups(groups, filter);
    return page(reply, request, groups, (g) => g.id, parseLimit(limit, 10000, 10000)).map((g) => groupJson(ctx, g));
  });

  api.get<{ Params: { groupId: string } }>('/groups/:groupId', async (request) =>
    groupJson(ctx, ctx.store.group(request.params.groupId)),
  );

  api.get<{ Params: { groupId: string } }>('/groups/:groupId/users', async (request, reply) => {
    const members = ctx.store.membersOf(request.params.groupId);
    const limit = parseLimit((request.query as Query).limit, 1000, 1000);
    return page(reply, request, members, (u) => u.id, limit).map((u) => userJson(ctx, u));
  });

  api.put<{ Params: MemberParams }>('/groups/:groupId/users/:userId', async (request, reply) => {
    ctx.store.addMember(request.params.groupId, request.params.userId, caller(request));
    return reply.code(204).send();
  });

  api.delete<{ Params: MemberParams }>('/groups/:groupId/users/:userId', async (request, reply) => {
    ctx.store.removeMember(request.params.groupId, request.params.userId, caller(request));
    return reply.code(204).send();
  });

  // ── System Log (for catch-up reconciliation) ──────────────────────────────────────────────────
  api.get('/logs', async (request, reply) => {
    const { since, until, filter, limit } = request.query as Query;
    let events: LogEvent[] = ctx.store.systemLog;
    if (since !== undefined) events = events.filter((e) => e.published >= new Date(since).toISOString());
    if (until !== undefined) events = events.filter((e) => e.published < new Date(until).toISOString());
    if (filter !== undefined) {
      const wanted = logFilter(filter);
      events = events.filter(
        (e) =>
          (wanted.eventType === undefined || e.eventType === wanted.eventType) &&
          (wanted.targetId === undefined || e.target.some((t) => t.id === wanted.targetId)),
      );
    }
    return page(reply, request, events, (e) => e.uuid, parseLimit(limit, 100, 1000));
  });

  // ── Event Hooks (event-hook-routes.ts) ────────────────────────────────────────────────────────
  registerEventHookRoutes(api, {
    ...ctx.eventHooks,
    callerOf: (request) => callers.get(request),
    baseUrl: ctx.baseUrl,
  });
}

/**
 * The System Log filters the emulator understands (SCIM-like, as Okta's): `eventType eq "…"`, `target.id eq "…"`,
 * or both joined by `and`, in either order. Anything else is a 400 rather than a silently wider answer.
 */
function logFilter(filter: string): { eventType?: string; targetId?: string } {
  const out: { eventType?: string; targetId?: string } = {};
  for (const clause of filter.trim().split(/\s+and\s+/i)) {
    const m = /^(eventType|target\.id) eq "([^"]+)"$/.exec(clause.trim());
    const key = m?.[1] === 'eventType' ? 'eventType' : 'targetId';
    if (!m || out[key] !== undefined)
      throw validationFailed('filter', 'the emulator supports: eventType eq "…", target.id eq "…", joined by and');
    out[key] = m[2]!;
  }
  return out;
}
