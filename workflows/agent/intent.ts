// The seasonal agent's message handlers. They only record intent (and validate it); the main loop acts on it,
// so no Genesys call ever interleaves with another.
import { condition, setHandler } from '@temporalio/workflow';
import {
  agentRetrySignal,
  agentStateQuery,
  EnrolRequest,
  enrolSignal,
  loginsSeenSignal,
  moveSeasonEndSignal,
  moveSeasonEndUpdate,
  OktaStatusChange,
  oktaStatusSignal,
  RepairRequest,
  RepairResult,
  repairUpdate,
  SeasonEndMove,
  SeasonGroupsChange,
  seasonGroupsChangedSignal,
  SeasonOffboardRequest,
  seasonOffboardSignal,
  seasonOffboardUpdate,
} from './contract';
import type { AgentRecord } from './record';

export interface RepairJob {
  request: RepairRequest;
  result?: RepairResult;
}

/** What the messages asked for and the main loop has not acted on yet. */
export class Intent {
  readonly enrolments: EnrolRequest[] = [];
  readonly groupChanges: SeasonGroupsChange[] = [];
  readonly endMoves: SeasonEndMove[] = [];
  readonly offboards: SeasonOffboardRequest[] = [];
  readonly statusChanges: OktaStatusChange[] = [];
  retry = false;
  repair: RepairJob | undefined;

  /** Anything the main loop must look at (a repair counts only until it is answered). */
  pending(): boolean {
    return (
      this.enrolments.length +
        this.groupChanges.length +
        this.endMoves.length +
        this.offboards.length +
        this.statusChanges.length >
        0 ||
      this.retry ||
      (this.repair !== undefined && this.repair.result === undefined)
    );
  }
}

export function listen(record: AgentRecord): Intent {
  const intent = new Intent();
  const isInstant = (s: string) => typeof s === 'string' && !Number.isNaN(Date.parse(s));

  setHandler(enrolSignal, (request) => {
    if (isInstant(request.seasonEndsAt) && isInstant(request.asOf)) intent.enrolments.push(request);
  });
  setHandler(seasonGroupsChangedSignal, (change) => {
    // Okta delivers out of order: the record keeps only a list newer than the one it has.
    if (isInstant(change.asOf)) intent.groupChanges.push(change);
  });
  setHandler(oktaStatusSignal, (change) => {
    if (typeof change.suspended === 'boolean' && isInstant(change.asOf)) intent.statusChanges.push(change);
  });
  setHandler(seasonOffboardSignal, (request) => {
    intent.offboards.push(request);
  });
  setHandler(
    seasonOffboardUpdate,
    async (request) => {
      const attentionBefore = record.attentionCount;
      intent.offboards.push(request);
      // The caller learns the outcome: that season (or the person) deprovisioned, or stuck with a reason.
      const over = () =>
        request.seasonId === undefined
          ? record.phase === 'Deprovisioned'
          : record.enrolment(request.seasonId)?.status === 'ended';
      await condition(() => over() || record.attentionCount > attentionBefore);
      return record.snapshot();
    },
    {
      validator: (request) => {
        assertNonEmpty(request.reason, 'reason');
        if (request.seasonId !== undefined && !record.enrolment(request.seasonId))
          throw new Error(`not enrolled in season ${request.seasonId}`);
      },
    },
  );
  setHandler(moveSeasonEndSignal, (move) => {
    if (isInstant(move.newEnd)) intent.endMoves.push(move);
  });
  setHandler(
    moveSeasonEndUpdate,
    (move) => {
      intent.endMoves.push(move);
      return new Date(Date.parse(move.newEnd)).toISOString();
    },
    {
      validator: (move) => {
        if (!isInstant(move.newEnd)) throw new Error(`not an ISO-8601 instant: ${move.newEnd}`);
        const enrolment = record.enrolment(move.seasonId);
        if (!enrolment) throw new Error(`not enrolled in season ${move.seasonId}`);
        const offboardAsked = intent.offboards.some((o) => o.seasonId === undefined || o.seasonId === move.seasonId);
        if (enrolment.status !== 'live' || offboardAsked)
          throw new Error('the agent is already being offboarded from this season');
      },
    },
  );
  setHandler(agentRetrySignal, () => {
    intent.retry = true;
  });
  // A fact for the report, not a request: kept at once (also while the teardown waits), the loop is not woken.
  setHandler(loginsSeenSignal, ({ logins }) => {
    if (Array.isArray(logins)) record.loginsSeen(logins.filter(isInstant));
  });
  setHandler(
    repairUpdate,
    async (request) => {
      // One repair at a time; the main loop does the calls and hands the result back.
      await condition(() => intent.repair === undefined);
      const job: RepairJob = { request };
      intent.repair = job;
      await condition(() => job.result !== undefined);
      intent.repair = undefined;
      return job.result!;
    },
    {
      validator: (request) => {
        assertNonEmpty(request.reason, 'reason');
        if (record.phase !== 'Active' || intent.offboards.length > 0)
          throw new Error(`only an Active agent can be reconciled (phase ${record.phase})`);
      },
    },
  );
  setHandler(agentStateQuery, () => record.snapshot());
  return intent;
}

function assertNonEmpty(value: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what} must not be empty`);
}
