// Reads one agent's history: events, Temporal (Cloud-billable) actions, and when the agent became Active.
// Actions counted as Temporal Cloud bills them: workflow start, each activity attempt, timers, signals, accepted
// updates, search-attribute upserts, markers (local activities, side effects) and child/external commands.
import { temporal } from '@temporalio/proto';
import { timestampMs } from '../platform/durations';

const T = temporal.api.enums.v1.EventType;
export type History = temporal.api.history.v1.IHistory;

export interface HistoryFigures {
  events: number;
  actions: number;
  actionsUntilActive: number;
  genesysActivitiesUntilActive: number;
  genesysActivitiesAfterActive: number;
  activeAtMs?: number;
  closedAtMs: number;
  finalPhase?: string;
}

const SIMPLE_ACTIONS = new Set<temporal.api.enums.v1.EventType>([
  T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  T.EVENT_TYPE_TIMER_STARTED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  T.EVENT_TYPE_MARKER_RECORDED,
  T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  T.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
]);

export function phaseOf(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const field = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.['AgentPhase'];
  if (!field?.data) return undefined;
  return JSON.parse(Buffer.from(field.data).toString('utf8')) as string;
}

export function analyseHistory(history: History): HistoryFigures {
  const events = history.events ?? [];
  let actions = 0;
  let actionsUntilActive = 0;
  let activeAtMs: number | undefined;
  let genesysUntilActive = 0;
  let genesysAfter = 0;
  let finalPhase: string | undefined;
  for (const event of events) {
    const type = event.eventType ?? T.EVENT_TYPE_UNSPECIFIED;
    if (SIMPLE_ACTIONS.has(type)) actions += 1;
    if (type === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      actions += 1;
      const queue = event.activityTaskScheduledEventAttributes?.taskQueue?.name ?? '';
      if (queue.startsWith('genesys-')) {
        if (activeAtMs === undefined) genesysUntilActive += 1;
        else genesysAfter += 1;
      }
    }
    // Retries are billed as actions too; the history keeps only the last attempt's started event.
    if (type === T.EVENT_TYPE_ACTIVITY_TASK_STARTED)
      actions += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
    const phase = phaseOf(event);
    if (phase) finalPhase = phase;
    if (phase === 'Active' && activeAtMs === undefined) {
      activeAtMs = timestampMs(event.eventTime);
      actionsUntilActive = actions;
    }
  }
  const last = events[events.length - 1];
  return {
    events: events.length,
    actions,
    actionsUntilActive,
    genesysActivitiesUntilActive: genesysUntilActive,
    genesysActivitiesAfterActive: genesysAfter,
    activeAtMs,
    closedAtMs: last ? timestampMs(last.eventTime) : 0,
    finalPhase,
  };
}
