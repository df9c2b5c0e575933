// The emulator's controls over HTTP under /__emulator/*, so a separate process (a demo script, a bench, another
// language) can drive it exactly as startOktaEmulator's caller can. No auth: the emulator binds 127.0.0.1 only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OktaProblem } from './errors';
import type { DeliverOptions, DeliveryReport, VerificationResult } from './hook-sender';
import type { OktaAdmin, OktaEmulatorInspection } from './server';

export interface ControlContext {
  admin: OktaAdmin;
  deliverPending(opts?: DeliverOptions): Promise<DeliveryReport>;
  verifyHook(): Promise<VerificationResult>;
  inspect(): OktaEmulatorInspection;
}

const userStatus = z.enum([
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
]);
const createUserBody = z.object({
  id: z.string().optional(),
  status: userStatus.optional(),
  profile: z.object({
    login: z.string().min(1),
    email: z.string().optional(),
    firstName: z.string().nullable().optional(),
    lastName: z.string().nullable().optional(),
    employeeNumber: z.string().optional(),
  }),
  groupIds: z.array(z.string()).optional(),
});
const createGroupBody = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  type: z.enum(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']).optional(),
});
const hookBody = z.object({
  url: z.url(),
  authHeaderName: z.string().min(1),
  authHeaderValue: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
});
const deliverBody = z.object({
  batchSize: z.number().int().positive().optional(),
  order: z.enum(['published', 'reverse', 'shuffle']).optional(),
  seed: z.number().int().optional(),
  redeliver: z.number().int().min(0).optional(),
  rebatch: z.boolean().optional(),
  dropUuids: z.array(z.string()).optional(),
  dropEvery: z.number().int().positive().optional(),
  concurrent: z.boolean().optional(),
  retry: z.boolean().optional(),
  requeueFailed: z.boolean().optional(),
});
const rateLimitBody = z.object({
  perMinute: z.number().int().min(0).optional(),
  windowMs: z.number().int().positive().optional(),
  concurrency: z.number().int().min(0).optional(),
});
const faultBody = z.object({
  method: z.string().optional(),
  pathContains: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
  dropConnection: z.boolean().optional(),
  dropResponse: z.boolean().optional(),
  delayMs: z.number().int().min(0).optional(),
  times: z.number().int().positive().optional(),
});

const ssoBody = z.object({ appId: z.string().min(1), at: z.iso.datetime({ offset: true }).optional() });

type UserParams = { userId: string };
type MemberParams = { group: string; userId: string };

export function registerControlRoutes(app: FastifyInstance, ctx: ControlContext): void {
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof OktaProblem) return reply.code(err.status).send(err.body());
    if (err instanceof z.ZodError)
      return reply
        .code(400)
        .send({ error: 'invalid request', issues: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    const status = (err as { statusCode?: number }).statusCode;
    const message = err instanceof Error ? err.message : String(err);
    return reply.code(status && status < 500 ? status : 400).send({ error: message });
  });

  app.get('/state', async () => ctx.inspect());
  app.post('/reset', async (_request, reply) => {
    ctx.admin.reset();
    return reply.code(204).send();
  });

  app.post('/users', async (request, reply) =>
    reply.code(201).send(ctx.admin.createUser(createUserBody.parse(request.body))),
  );
  app.get<{ Params: UserParams }>('/users/:userId', async (request) => ctx.admin.getUser(request.params.userId));
  const lifecycle = (name: string, run: (userId: string) => void) =>
    app.post<{ Params: UserParams }>(`/users/:userId/${name}`, async (request, reply) => {
      run(request.params.userId);
      return reply.code(204).send();
    });
  lifecycle('deactivate', (id) => ctx.admin.deactivateUser(id));
  lifecycle('suspend', (id) => ctx.admin.suspendUser(id));
  lifecycle('unsuspend', (id) => ctx.admin.unsuspendUser(id));
  lifecycle('activate', (id) => ctx.admin.activateUser(id));
  // The user signs in to an app through Okta (a user.authentication.sso System Log event, never delivered to hooks).
  app.post<{ Params: UserParams }>('/users/:userId/sso', async (request, reply) => {
    const { appId, at } = ssoBody.parse(request.body);
    return reply.code(201).send(ctx.admin.ssoLogin(request.params.userId, appId, at));
  });

  app.post('/groups', async (request, reply) =>
    reply.code(201).send(ctx.admin.createGroup(createGroupBody.parse(request.body))),
  );
  // `group` is an id or a name (URL-encoded).
  app.put<{ Params: MemberParams }>('/groups/:group/users/:userId', async (request) => ({
    changed: ctx.admin.addUserToGroup(request.params.userId, request.params.group),
  }));
  app.delete<{ Params: MemberParams }>('/groups/:group/users/:userId', async (request) => ({
    changed: ctx.admin.removeUserFromGroup(request.params.userId, request.params.group),
  }));

  app.put('/hook', async (request, reply) => {
    ctx.admin.setHook(request.body === null || request.body === undefined ? undefined : hookBody.parse(request.body));
    return reply.code(204).send();
  });
  app.delete('/hook', async (_request, reply) => {
    ctx.admin.setHook(undefined);
    return reply.code(204).send();
  });
  app.post('/hook/verify', async () => ctx.verifyHook());
  app.post('/deliveries', async (request) => ctx.deliverPending(deliverBody.parse(request.body ?? {})));
  app.delete('/outbox', async () => ({ cleared: ctx.admin.clearOutbox().length }));

  app.put('/rate-limit', async (request, reply) => {
    ctx.admin.setRateLimit(rateLimitBody.parse(request.body));
    return reply.code(204).send();
  });
  app.post('/faults', async (request, reply) => {
    ctx.admin.injectFault(faultBody.parse(request.body));
    return reply.code(204).send();
  });
  app.delete('/faults', async (_request, reply) => {
    ctx.admin.clearFaults();
    return reply.code(204).send();
  });
}
