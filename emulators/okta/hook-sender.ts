// Real event-hook traffic to a receiver URL: the one-time GET verification and POST deliveries of the outbox, with
// Okta's delivery rules (3 s timeout, one retry on timeout or 5xx, no retry on 4xx) and the at-least-once,
// unordered, batched behaviour a receiver must survive, on request: duplicates, reordering, drops. It speaks to one
// hook at a time (a HookTarget); which hooks get which events is the caller's decision (server.ts).
import { newChallenge, newRequestId, newUuid } from './ids';
import type { HookDelivery, LogEvent } from './types';

export interface DeliverOptions {
  /** Events per POST; default the emulator's configured batch size. */
  batchSize?: number;
  /** Order of the outbox before batching: by `published` (default), reversed, or shuffled (with `seed`). */
  order?: 'published' | 'reverse' | 'shuffle';
  seed?: number;
  /** Send each request this many extra times with the same eventId (a redelivery of the same request). */
  redeliver?: number;
  /** After the first pass, send every event again in new requests with new eventIds (same uuids). */
  rebatch?: boolean;
  /** These events are lost: taken from the outbox and never sent. */
  dropUuids?: string[];
  /** Every Nth event (1-based, after ordering) is lost. */
  dropEvery?: number;
  /** Send all requests at once instead of one after another (a backlog arriving together). */
  concurrent?: boolean;
  /** Okta retries once on timeout/5xx; false turns that off. */
  retry?: boolean;
  /** Put events whose request failed back in the outbox (real Okta loses them: default false). */
  requeueFailed?: boolean;
}

export interface DeliveryAttempt {
  status?: number;
  error?: string;
  ms: number;
}

export interface DeliveryRecord {
  /** The hook this request went to. */
  hookId: string;
  eventId: string;
  uuids: string[];
  eventTypes: string[];
  kind: 'first' | 'redelivery' | 'rebatch';
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export interface DeliveryReport {
  deliveries: DeliveryRecord[];
  droppedUuids: string[];
  /** Events none of whose requests succeeded (for at least one hook that should have had them). */
  failedUuids: string[];
  /** Events no receiving hook subscribes to: they left the outbox unsent, as Okta sends them nowhere. */
  unsubscribedUuids: string[];
  outboxLeft: number;
}

export interface VerificationResult {
  hookId: string;
  verified: boolean;
  challenge: string;
  status?: number;
  error?: string;
}

/** One hook as the sender needs it: where, with which headers (custom headers and the auth header), how long. */
export interface HookTarget {
  id: string;
  url: string;
  headers: Record<string, string>;
  /** Okta waits 3 s (the default). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;

/** A small deterministic PRNG (mulberry32), so a shuffled delivery can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function orderEvents(events: LogEvent[], order: DeliverOptions['order'], seed = 1): LogEvent[] {
  const sorted = [...events].sort((a, b) => a.published.localeCompare(b.published));
  if (order === 'reverse') return sorted.reverse();
  if (order === 'shuffle') {
    const random = seededRandom(seed);
    for (let i = sorted.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [sorted[i], sorted[j]] = [sorted[j]!, sorted[i]!];
    }
  }
  return sorted;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The outbox as the options order it, less the events they lose (`dropUuids`, `dropEvery`). Done once for all
 * hooks: a lost event is lost for every hook, as when Okta drops it.
 */
export function selectEvents(
  events: LogEvent[],
  opts: Pick<DeliverOptions, 'order' | 'seed' | 'dropUuids' | 'dropEvery'>,
): { kept: LogEvent[]; droppedUuids: string[] } {
  const ordered = orderEvents(events, opts.order, opts.seed);
  const drop = new Set(opts.dropUuids ?? []);
  const kept: LogEvent[] = [];
  const droppedUuids: string[] = [];
  ordered.forEach((e, i) => {
    const lost =
      drop.has(e.uuid) || (opts.dropEvery !== undefined && opts.dropEvery > 0 && (i + 1) % opts.dropEvery === 0);
    if (lost) droppedUuids.push(e.uuid);
    else kept.push(e);
  });
  return { kept, droppedUuids };
}

export class HookSender {
  constructor(
    private readonly settings: {
      orgUrl: () => string;
      batchSize: () => number;
    },
  ) {}

  private headers(hook: HookTarget): Record<string, string> {
    return { accept: 'application/json', ...hook.headers };
  }

  /** One attempt, then one retry on timeout/5xx, as Okta does. */
  private async send(
    hook: HookTarget,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    retry: boolean,
  ) {
    const attempts: DeliveryAttempt[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < (retry ? 2 : 1); attempt++) {
      const started = Date.now();
      try {
        last = await fetch(hook.url, { ...init, signal: AbortSignal.timeout(hook.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
        attempts.push({ status: last.status, ms: Date.now() - started });
        if (last.status < 500) break;
      } catch (err) {
        last = undefined;
        attempts.push({
          error: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : String((err as Error).cause ?? err),
          ms: Date.now() - started,
        });
      }
    }
    return { attempts, response: last };
  }

  async verify(hook: HookTarget): Promise<VerificationResult> {
    const challenge = newChallenge();
    const headers = {
      ...this.headers(hook),
      'user-agent': 'Okta-Integrations',
      'x-okta-request-id': newRequestId(),
      'x-okta-verification-challenge': challenge,
    };
    const { attempts, response } = await this.send(hook, { method: 'GET', headers }, true);
    const lastAttempt = attempts[attempts.length - 1]!;
    if (!response) return { hookId: hook.id, verified: false, challenge, error: lastAttempt.error };
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const echoed =
      typeof body === 'object' && body !== null && (body as { verification?: unknown }).verification === challenge;
    return { hookId: hook.id, verified: response.status === 200 && echoed, challenge, status: response.status };
  }

  envelope(hook: HookTarget, events: LogEvent[], eventId = newUuid()): HookDelivery {
    return {
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${this.settings.orgUrl()}/api/v1/eventHooks/${hook.id}`,
      eventId,
      eventTime: new Date().toISOString(),
      contentType: 'application/json',
      data: { events },
    };
  }

  async post(
    hook: HookTarget,
    delivery: HookDelivery,
    kind: DeliveryRecord['kind'],
    retry: boolean,
  ): Promise<DeliveryRecord> {
    const headers = {
      ...this.headers(hook),
      'content-type': 'application/json',
      'user-agent': `Okta Hook Service v1.0.0 - ${hook.id}`,
    };
    const { attempts, response } = await this.send(
      hook,
      { method: 'POST', headers, body: JSON.stringify(delivery) },
      retry,
    );
    await response?.arrayBuffer().catch(() => undefined);
    return {
      hookId: hook.id,
      eventId: delivery.eventId,
      uuids: delivery.data.events.map((e) => e.uuid),
      eventTypes: delivery.data.events.map((e) => e.eventType),
      kind,
      attempts,
      delivered: response !== undefined && response.status >= 200 && response.status < 300,
    };
  }

  /**
   * Sends `events` (taken from the outbox, ordered and with drops applied by selectEvents) to one hook, as the
   * options ask; returns what happened to each request and the events none of whose requests succeeded.
   */
  async deliver(
    hook: HookTarget,
    kept: LogEvent[],
    opts: DeliverOptions = {},
  ): Promise<{ deliveries: DeliveryRecord[]; failed: LogEvent[] }> {
    const size = Math.max(1, opts.batchSize ?? this.settings.batchSize());
    const plan: Array<{ delivery: HookDelivery; kind: DeliveryRecord['kind'] }> = [];
    for (const batch of chunk(kept, size)) {
      const delivery = this.envelope(hook, batch);
      plan.push({ delivery, kind: 'first' });
      for (let i = 0; i < (opts.redeliver ?? 0); i++) plan.push({ delivery, kind: 'redelivery' });
    }
    if (opts.rebatch) {
      // A different cut of the same events, so duplicates cross request boundaries.
      const again = orderEvents(kept, opts.order === 'published' || opts.order === undefined ? 'reverse' : 'published');
      for (const batch of chunk(again, Math.max(1, size - 1)))
        plan.push({ delivery: this.envelope(hook, batch), kind: 'rebatch' });
    }

    const retry = opts.retry !== false;
    const deliveries: DeliveryRecord[] = [];
    if (opts.concurrent) {
      deliveries.push(...(await Promise.all(plan.map((p) => this.post(hook, p.delivery, p.kind, retry)))));
    } else {
      for (const p of plan) deliveries.push(await this.post(hook, p.delivery, p.kind, retry));
    }

    const deliveredUuids = new Set(deliveries.filter((d) => d.delivered).flatMap((d) => d.uuids));
    return { deliveries, failed: kept.filter((e) => !deliveredUuids.has(e.uuid)) };
  }
}
