// Reads activity retries out of a workflow history. The history keeps one started event per activity, for its
// last attempt, carrying that attempt number and the failure of the attempt before it: enough to see how long the
// retries waited and why.
import { timestampMs } from '../../platform/durations';
import type { temporal } from '@temporalio/proto';

export interface RetriedActivity {
  activityType: string;
  /** The attempt that ran last (2 or more). */
  attempt: number;
  /** From scheduling to the start of the last attempt: every retry delay plus the failed attempts' run time. */
  waitedMs: number;
  lastFailureType?: string;
  /** The delay the failing attempt asked for (ApplicationFailure.nextRetryDelay, i.e. Retry-After). */
  askedDelayMs?: number;
}

export function retriedActivities(history: temporal.api.history.v1.IHistory): RetriedActivity[] {
  const scheduled = new Map<string, { at: number; type: string }>();
  const out: RetriedActivity[] = [];
  for (const event of history.events ?? []) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(event.eventId), { at: timestampMs(event.eventTime), type: s.activityType?.name ?? '' });
    const started = event.activityTaskStartedEventAttributes;
    if (!started || (started.attempt ?? 1) < 2) continue;
    const from = scheduled.get(String(started.scheduledEventId));
    if (!from) continue;
    const info = started.lastFailure?.applicationFailureInfo;
    out.push({
      activityType: from.type,
      attempt: started.attempt ?? 1,
      waitedMs: timestampMs(event.eventTime) - from.at,
      ...(info?.type ? { lastFailureType: info.type } : {}),
      ...(info?.nextRetryDelay ? { askedDelayMs: timestampMs(info.nextRetryDelay) } : {}),
    });
  }
  return out;
}

/** What the workflow's own retry policy (1 s, ×2, capped at 1 min) would wait before `attempt`. */
export function policyBackoffMs(attempt: number): number {
  let total = 0;
  for (let n = 1; n < attempt; n++) total += Math.min(1_000 * 2 ** (n - 1), 60_000);
  return total;
}
