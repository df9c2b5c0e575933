// The Temporal Schedule that runs a season's catch-up reconciliation (workflows/catch-up.ts) every few minutes.
// One schedule per season: `catch-up/<orgId>/<seasonId>`. Installing is idempotent (create, else update in
// place); a season that is over has no schedule (it is deleted, and the first run after the end deletes it too).
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { durationMs } from '../platform/durations';
import type { SeasonShape } from '../domain/season';
import { CATCH_UP_WORKFLOW, CatchUpInput, catchUpScheduleId } from '../workflows/catch-up-contract';
import { LIFECYCLE_TASK_QUEUE } from '../workflows/messages';

export const DEFAULT_CATCH_UP_EVERY = '5 minutes';
/** Runs stop by themselves this long after the season's end, should the last run fail to delete the schedule. */
const STOP_AFTER_END_MS = 3_600_000;
/** A run that has not finished by then is stuck (activities give up well before); SKIP would hold back every later one. */
const RUN_TIMEOUT = '1 hour';

export type ScheduleSeason = Pick<SeasonShape, 'id' | 'orgId' | 'endsAt'>;
export type EnsureOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

function desired(season: ScheduleSeason, everyMs: number): Omit<ScheduleOptions, 'scheduleId'> {
  const input: CatchUpInput = { seasonId: season.id, orgId: season.orgId };
  return {
    spec: {
      intervals: [{ every: everyMs }],
      endAt: new Date(Date.parse(season.endsAt) + STOP_AFTER_END_MS),
      // Seasons of one org share its Okta rate budget: spread their runs instead of firing them together.
      jitter: Math.min(everyMs / 10, 60_000),
    },
    action: {
      type: 'startWorkflow',
      workflowType: CATCH_UP_WORKFLOW,
      workflowId: catchUpScheduleId(season.orgId, season.id),
      taskQueue: LIFECYCLE_TASK_QUEUE,
      args: [input],
      workflowExecutionTimeout: RUN_TIMEOUT,
      staticSummary: `Catch-up of season ${season.id} (${season.orgId}): Okta group members vs agent workflows`,
    },
    // A run still going when the next is due (a large season, a slow Okta) is not doubled: the next just skips.
    // After an outage one catch-up is enough, not one per missed interval.
    policies: { overlap: 'SKIP', catchupWindow: everyMs },
  };
}

function same(d: ScheduleDescription, want: Omit<ScheduleOptions, 'scheduleId'>, everyMs: number): boolean {
  return (
    d.spec.intervals?.length === 1 &&
    d.spec.intervals[0]!.every === everyMs &&
    d.spec.endAt?.getTime() === want.spec.endAt?.getTime() &&
    d.action.workflowType === CATCH_UP_WORKFLOW &&
    d.action.taskQueue === LIFECYCLE_TASK_QUEUE &&
    JSON.stringify(d.action.args) === JSON.stringify(want.action.args) &&
    d.policies.overlap === 'SKIP'
  );
}

/** Creates or updates the season's catch-up schedule; deletes it when the season is over. */
export async function ensureCatchUpSchedule(
  client: Client,
  season: ScheduleSeason,
  options: { every?: Duration; now?: number } = {},
): Promise<EnsureOutcome> {
  if (Date.parse(season.endsAt) <= (options.now ?? Date.now())) {
    return (await deleteCatchUpSchedule(client, season.orgId, season.id)) ? 'deleted' : 'absent';
  }
  const everyMs = durationMs(options.every ?? DEFAULT_CATCH_UP_EVERY);
  if (!(everyMs >= 60_000))
    throw new RangeError(`catch-up interval must be at least a minute, not ${String(options.every)}`);
  const scheduleId = catchUpScheduleId(season.orgId, season.id);
  const want = desired(season, everyMs);
  try {
    await client.schedule.create({ scheduleId, ...want });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  if (same(await handle.describe(), want, everyMs)) return 'unchanged';
  // Keep the schedule's state (paused by an operator stays paused); replace what it does and when.
  await handle.update((previous) => ({
    ...want,
    state: { paused: previous.state.paused, ...(previous.state.note ? { note: previous.state.note } : {}) },
  }));
  return 'updated';
}

/** True when a schedule was deleted. */
export async function deleteCatchUpSchedule(client: Client, orgId: string, seasonId: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(catchUpScheduleId(orgId, seasonId)).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** The schedule's description, or undefined when the season has none. */
export async function describeCatchUpSchedule(
  client: Client,
  orgId: string,
  seasonId: string,
): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(catchUpScheduleId(orgId, seasonId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
