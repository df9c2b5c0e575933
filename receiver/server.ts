// The Okta event-hook receiver: GET verification and POST deliveries on one path.
//
// A delivery is answered once each user's trigger is handed to Temporal (signal-with-start of the person's
// Okta-events workflow), never after an Okta call: reading Okta happens in that workflow's activity, with
// retries. If Temporal cannot take the triggers within the deadline (well under Okta's 3 s) → 503, so Okta
// retries once (Okta never retries a 4xx): never a 2xx for work that was dropped, never a 429 for load. Dedupe is
// on the delivery's eventId and on each event's uuid, and an id is remembered only once its trigger was handed
// over, so a retry redoes exactly what is missing.
import type { Client } from '@temporalio/client';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { SeasonConfig } from '../config/types';
import { inParallel } from '../operations/concurrency';
import type { NameResolution } from '../workflows/messages';
import { signalOktaTrigger } from '../operations/okta-user-events';
import { hookDeliverySchema, type HookDelivery } from './delivery-schema';
import { headerMatches } from '../platform/header-auth';
import { planDelivery, type IgnoredReason, type UserWork } from './plan';
import { RequestLimiter } from './request-limiter';
import { SeenSet } from './seen-set';
import { triggersFor } from './triggers';

/** Requests WITHOUT the hook secret per address per minute before a 429: Okta's own deliveries are never limited. */
export const DEFAULT_REQUESTS_PER_MINUTE = 6000;

export interface HookReceiverOptions {
  temporalClient: Client;
  /** The seasons that are active now (called per delivery, so config reloads and season ends apply at once). */
  seasons: () => SeasonConfig[];
  /** The header Okta sends (authScheme key and value). The value comes from the environment, never a file. */
  authHeader: { name: string; value: string };
  resolved?: (seasonId: string) => NameResolution | undefined;
  /** Default /okta/events. */
  path?: string;
  /** Default 1 MiB; larger bodies get 413. */
  bodyLimitBytes?: number;
  /** Requests without the secret per client address per minute. Default DEFAULT_REQUESTS_PER_MINUTE. */
  requestsPerMinute?: number;
  /** Time to hand a delivery's triggers to Temporal before answering 503. Default 2500 ms (Okta waits 3 s). */
  deadlineMs?: number;
  /** Remembered delivery eventIds and event uuids (each). Default 50 000. */
  dedupeCapacity?: number;
  /** Users whose triggers are handed to Temporal at once within one delivery. Default 16. */
  concurrency?: number;
  logger?: FastifyServerOptions['logger'];
}

export interface HookStats {
  deliveries: number;
  duplicateDeliveries: number;
  events: number;
  ignored: Record<IgnoredReason, number>;
  /** Triggers handed to Temporal (one per user and org). */
  queued: number;
  unauthorized: number;
  rejected: number;
  unavailable: number;
  rateLimited: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    hookStats: HookStats;
  }
}

function emptyStats(): HookStats {
  return {
    deliveries: 0,
    duplicateDeliveries: 0,
    events: 0,
    ignored: { duplicate: 0, 'unknown-event-type': 0, 'outside-seasons': 0, 'no-user-target': 0, 'not-successful': 0 },
    queued: 0,
    unauthorized: 0,
    rejected: 0,
    unavailable: 0,
    rateLimited: 0,
  };
}

class DeadlineExceeded extends Error {}

export function buildHookReceiver(opts: HookReceiverOptions): FastifyInstance {
  const path = opts.path ?? '/okta/events';
  const deadlineMs = opts.deadlineMs ?? 2500;
  const concurrency = opts.concurrency ?? 16;
  const doneDeliveries = new SeenSet(opts.dedupeCapacity ?? 50_000);
  const doneEvents = new SeenSet(opts.dedupeCapacity ?? 50_000);
  /** Events being worked on by some request now: a concurrent duplicate waits for that work, not redoes it. */
  const inFlight = new Map<string, Promise<void>>();
  const limiter = new RequestLimiter(opts.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE);
  const stats = emptyStats();
  const authHeaderName = opts.authHeader.name.toLowerCase();

  const app = Fastify({
    logger: opts.logger ?? { level: 'info' },
    // Request logs show method, url (the hook path) and address: nothing from headers or bodies.
    bodyLimit: opts.bodyLimitBytes ?? 1024 * 1024,
  });
  app.decorate('hookStats', stats);

  app.setErrorHandler((err: { statusCode?: number; code?: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ error: 'body too large' });
    if (status >= 400 && status < 500) {
      stats.rejected += 1;
      request.log.warn({ code: err.code }, 'rejected a malformed request');
      return reply.code(status === 415 ? 415 : 400).send({ error: 'malformed request' });
    }
    request.log.error({ code: err.code }, 'unexpected error');
    return reply.code(500).send({ error: 'internal error' });
  });

  /**
   * Before the body is read: the secret header. Okta's deliveries (with the secret) are never limited: Okta does
   * not retry a 4xx, so a 429 would drop events. Requests without it are limited per address, then refused.
   */
  const gate = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!headerMatches(request.headers[authHeaderName], opts.authHeader.value)) {
      const waitMs = limiter.take(request.ip);
      if (waitMs > 0) {
        stats.rateLimited += 1;
        return reply
          .code(429)
          .header('retry-after', String(Math.ceil(waitMs / 1000)))
          .send({ error: 'too many requests' });
      }
      stats.unauthorized += 1;
      request.log.warn('rejected a request without the hook secret');
      return reply.code(401).send({ error: 'unauthorized' });
    }
  };

  app.get('/healthz', async () => ({ ok: true }));

  app.get(path, { onRequest: gate }, async (request, reply) => {
    const challenge = request.headers['x-okta-verification-challenge'];
    if (typeof challenge !== 'string' || challenge === '')
      return reply.code(400).send({ error: 'missing X-Okta-Verification-Challenge' });
    request.log.info('answered the event-hook verification');
    return { verification: challenge };
  });

  async function runUserWork(work: UserWork, seasons: SeasonConfig[], log: FastifyRequest['log']): Promise<void> {
    const own = Promise.all(
      triggersFor(work, seasons, opts.resolved).map(async ({ orgId, trigger }) => {
        await signalOktaTrigger(opts.temporalClient, orgId, work.oktaUserId, trigger);
        stats.queued += 1;
        log.info(
          { oktaUserId: work.oktaUserId, orgId, seasonIds: trigger.namedSeasonIds, lifecycle: trigger.lifecycle },
          'trigger queued',
        );
      }),
    ).then(() => {
      for (const uuid of work.uuids) doneEvents.add(uuid);
    });
    for (const uuid of work.uuids) inFlight.set(uuid, own);
    try {
      await own;
    } finally {
      for (const uuid of work.uuids) if (inFlight.get(uuid) === own) inFlight.delete(uuid);
    }
  }

  async function handleDelivery(delivery: HookDelivery, log: FastifyRequest['log']): Promise<void> {
    const events = delivery.data.events;
    // Events another request is handling right now: wait for that outcome instead of doing the work twice.
    const elsewhere = [
      ...new Set(events.map((e) => inFlight.get(e.uuid)).filter((p): p is Promise<void> => p !== undefined)),
    ];
    const mine = events.filter((e) => !inFlight.has(e.uuid));
    // Those are duplicates too (a concurrent redelivery): count them, though they wait for the first outcome.
    stats.ignored.duplicate += events.length - mine.length;
    const seasons = opts.seasons();
    const plan = planDelivery(mine, seasons, (uuid) => doneEvents.has(uuid));
    for (const i of plan.ignored) {
      stats.ignored[i.reason] += 1;
      if (i.reason !== 'duplicate') doneEvents.add(i.uuid);
    }
    if (plan.ignored.length > 0)
      log.info(
        {
          eventId: delivery.eventId,
          ignored: plan.ignored.map((i) => ({ uuid: i.uuid, eventType: i.eventType, reason: i.reason })),
        },
        'events ignored',
      );
    await Promise.all([
      inParallel(plan.work, concurrency, (w) => runUserWork(w, seasons, log), { settle: true }),
      ...elsewhere,
    ]);
  }

  app.post(path, { onRequest: gate }, async (request, reply) => {
    const parsed = hookDeliverySchema.safeParse(request.body);
    if (!parsed.success) {
      stats.rejected += 1;
      request.log.warn(
        { issues: parsed.error.issues.map((i) => i.path.join('.') || '(root)') },
        'rejected a delivery of the wrong shape',
      );
      return reply.code(400).send({ error: 'not an Okta event-hook delivery' });
    }
    const delivery = parsed.data;
    stats.deliveries += 1;
    stats.events += delivery.data.events.length;
    const log = request.log.child({ eventId: delivery.eventId });
    if (doneDeliveries.has(delivery.eventId)) {
      stats.duplicateDeliveries += 1;
      log.info('duplicate delivery acknowledged');
      return reply.code(204).send();
    }

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded()), deadlineMs);
    });
    // The Temporal calls inherit the deadline too, so a dead server cannot hold the request open. Nothing here
    // calls Okta: a slow Okta cannot delay the answer.
    const work = opts.temporalClient.withDeadline(Date.now() + deadlineMs, () => handleDelivery(delivery, log));
    try {
      await Promise.race([work, deadline]);
      doneDeliveries.add(delivery.eventId);
      log.info({ events: delivery.data.events.length }, 'delivery handled');
      return reply.code(204).send();
    } catch (err) {
      // Finished work stays remembered; Okta's retry redoes only the rest.
      work.catch(() => undefined);
      stats.unavailable += 1;
      const why = err instanceof DeadlineExceeded ? 'deadline exceeded' : err instanceof Error ? err.name : 'error';
      log.error(
        { why, message: err instanceof Error ? err.message : undefined },
        'Temporal did not take the triggers; answering 503 so Okta retries',
      );
      return reply.code(503).send({ error: 'temporarily unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });

  return app;
}
