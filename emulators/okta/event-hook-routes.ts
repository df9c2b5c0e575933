// The Event Hooks management API under /api/v1 (SPEC operations listEventHooks, createEventHook, getEventHook,
// replaceEventHook, deleteEventHook, activateEventHook, deactivateEventHook, verifyEventHook). Registered inside the
// /api/v1 plugin, so authentication, scopes, rate limits, faults and error bodies are those of every other route.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from './credentials';
import { validationFailed } from './errors';
import { type EventHookRecord, eventHookJson } from './event-hook-model';
import { parseEventHookBody } from './event-hook-schema';
import { type EventHookRegistry, secretLost } from './event-hooks';
import type { VerificationResult } from './hook-sender';

export interface EventHookApiContext {
  registry: EventHookRegistry;
  /** Okta's verification request to the hook's endpoint (recorded in inspect().verifications). */
  verify(hook: EventHookRecord): Promise<VerificationResult>;
  /** EventHook.createdBy for this caller: the SSWS token's admin, or the service app's client id. */
  createdBy(caller: Caller | undefined): string | null;
  callerOf(request: FastifyRequest): Caller | undefined;
  baseUrl(): string;
}

type HookParams = { id: string };

/** Reference sheet §1.3 (SPEC verifyEventHook, KB-VERIFY): 400 E0000001, "Api validation failed: eventHook". */
function verificationFailed(hook: EventHookRecord, extraCause?: string) {
  return validationFailed('eventHook', [
    `Unable to verify event hook. Hook ${hook.name} execution failed`,
    ...(extraCause ? [extraCause] : []),
  ]);
}

export function registerEventHookRoutes(api: FastifyInstance, ctx: EventHookApiContext): void {
  const json = (hook: EventHookRecord) => eventHookJson(hook, ctx.baseUrl());

  // Okta documents no paging here: the whole list, one JSON array.
  api.get('/eventHooks', async () => ctx.registry.list().map(json));

  api.post('/eventHooks', async (request) =>
    json(ctx.registry.create(parseEventHookBody(request.body), ctx.createdBy(ctx.callerOf(request)))),
  );

  api.get<{ Params: HookParams }>('/eventHooks/:id', async (request) => json(ctx.registry.get(request.params.id)));

  api.put<{ Params: HookParams }>('/eventHooks/:id', async (request) => {
    ctx.registry.get(request.params.id); // an unknown id is 404 before the body is judged
    return json(ctx.registry.replace(request.params.id, parseEventHookBody(request.body)));
  });

  api.delete<{ Params: HookParams }>('/eventHooks/:id', async (request, reply) => {
    ctx.registry.remove(request.params.id);
    return reply.code(204).send();
  });

  api.post<{ Params: HookParams }>('/eventHooks/:id/lifecycle/activate', async (request) =>
    json(ctx.registry.activate(request.params.id)),
  );

  api.post<{ Params: HookParams }>('/eventHooks/:id/lifecycle/deactivate', async (request) =>
    json(ctx.registry.deactivate(request.params.id)),
  );

  // The real GET to the endpoint, with the challenge, the auth header and custom headers (3 s, one retry).
  api.post<{ Params: HookParams }>('/eventHooks/:id/lifecycle/verify', async (request) => {
    const hook = ctx.registry.get(request.params.id);
    if (secretLost(hook))
      throw verificationFailed(
        hook,
        'emulator: the secret (authScheme.value) was not kept across the restart; replace the hook with it, then verify',
      );
    const result = await ctx.verify(hook);
    // A failed verification leaves the status as it was (nothing documented says otherwise).
    if (!result.verified) throw verificationFailed(hook);
    return json(ctx.registry.get(hook.id));
  });
}
