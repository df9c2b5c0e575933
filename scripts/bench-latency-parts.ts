// Where an agent's time until Active goes, read from its history: how long its workflow tasks waited for a worker
// and ran, and how long its activities waited (in the queue, or for a retry after a failed attempt) and ran.
// The bench's hook → Active figure reports the medians, so a slow figure says which part to look at.
import { temporal } from '@temporalio/proto';
import { timestampMs } from '../platform/durations';
import type { History } from './bench-history';

const T = temporal.api.enums.v1.EventType;

export interface LatencyParts {
  /** Workflow tasks: scheduled → started (waiting for a worker slot or poll), then started → completed. */
  workflowTaskWaitMs: number;
  workflowTaskRunMs: number;
  /** Activities: scheduled → the last attempt's start (the queue, earlier attempts and their retry waits). */
  activityWaitMs: number;
  /** Activities: the last attempt's start → its result. */
  activityRunMs: number;
  /** Activity attempts that failed before Active (a 404 right after the create, a 429…). */
  failedAttempts: number;
}

export function latencyPartsUntil(history: History, untilMs: number): LatencyParts {
  const parts: LatencyParts = {
    workflowTaskWaitMs: 0,
    workflowTaskRunMs: 0,
    activityWaitMs: 0,
    activityRunMs: 0,
    failedAttempts: 0,
  };
  const at = new Map<number, number>();
  for (const event of history.events ?? []) {
    const time = timestampMs(event.eventTime);
    if (time > untilMs) break;
    const id = Number(event.eventId);
    at.set(id, time);
    const since = (ref: unknown) => time - (at.get(Number(ref)) ?? time);
    switch (event.eventType) {
      case T.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        parts.workflowTaskWaitMs += since(event.workflowTaskStartedEventAttributes?.scheduledEventId);
        break;
      case T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        parts.workflowTaskRunMs += since(event.workflowTaskCompletedEventAttributes?.startedEventId);
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        parts.activityWaitMs += since(event.activityTaskStartedEventAttributes?.scheduledEventId);
        parts.failedAttempts += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        parts.activityRunMs += since(event.activityTaskCompletedEventAttributes?.startedEventId);
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        parts.activityRunMs += since(event.activityTaskFailedEventAttributes?.startedEventId);
        break;
    }
  }
  return parts;
}
