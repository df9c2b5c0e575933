// The life of one seasonal agent in one Genesys org: one workflow per (org, Okta user) owns the person's Genesys
// user across every season they are enrolled in, so one season's end never takes what another still needs.
//
//   Provisioning ─► Active ──(a season ends: keep only what the other seasons give)──► Active
//        │            │ ├──(Okta suspends: deactivated, kept)──► Suspended ──(unsuspended: reactivated, re-granted)──► Active
//        │            │ └──(the last season ends)──► Deprovisioning ─► Deprovisioned
//        └────────────┴──► NeedsAttention (until `retry`, a change of seasons or groups, or the last season end)
//
// Message handlers (./agent/intent.ts) only record intent; this loop acts, so nothing interleaves.
// The stages are in ./agent/stages.ts; every state change goes through the record (./agent/record.ts).
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { genesysActivitiesFor, oktaActivities } from './activity-proxies';
import { attentionFromFailure, NeedsAttention } from './attention';
import { GENESYS_CALL_PLAN, type SeasonalAgentInput, type SeasonalAgentState } from './agent/contract';
import { Intent, listen } from './agent/intent';
import { AgentRecord } from './agent/record';
import { Stages } from './agent/stages';
import { ResolutionCache } from './resolve';

export async function seasonalAgent(input: SeasonalAgentInput): Promise<SeasonalAgentState> {
  const record = new AgentRecord(input);
  const intent = listen(record);
  const names = new ResolutionCache(input.carried?.resolved ?? input.enrol.resolved);
  const stages = new Stages(input, record, genesysActivitiesFor(input.orgId), oktaActivities(), names);

  // While a season goes on: make Genesys hold what the live seasons give, then sleep until the next season
  // end (a durable timer that moves with the seasons) or the next message.
  for (;;) {
    learnNames(intent, names);
    const retry = takeRetry(intent, names);
    const changed = record.absorb(intent, Date.now());
    if (record.live().length === 0) {
      // The last season ended: the person goes — unless a new season claims them during the grace period.
      if ((await tearDown(record, stages, intent, names)) === 'gone') break;
      continue;
    }
    if (record.needsConverging && (record.phase !== 'NeedsAttention' || retry || changed)) {
      if (record.suspended) {
        // Okta suspended them: access goes now; the user and the seasons stay until Okta says otherwise.
        if (await attempt(record, () => stages.suspend())) record.suspendedInGenesys();
      } else if (
        (await attempt(record, () => stages.converge())) &&
        (await attemptEach(record, record.ending(), (s) => stages.leave(s)))
      ) {
        record.converged();
      }
    }
    if (intent.repair && !intent.repair.result) intent.repair.result = await repairOrReport(record, stages, intent);
    if (continueAsNewDue(input) && record.phase === 'Active' && !intent.pending()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof seasonalAgent>({ ...input, carried: record.carry(names.export()) });
    }
    await condition(() => intent.pending(), record.msUntilNextSeasonEnd(Date.now()), {
      summary: 'until the next season end',
    });
  }
  await condition(allHandlersFinished);
  // Enrolled in a new season in the moments after the user was deleted: a fresh run provisions the person anew
  // (a season that ended here stays ended).
  const late = intent.enrolments.find((request) => !record.enrolment(request.seasonId));
  if (late)
    await continueAsNew<typeof seasonalAgent>({
      orgId: input.orgId,
      agent: input.agent,
      enrol: late,
      genesysCalls: GENESYS_CALL_PLAN,
    });
  return record.snapshot();
}

/** Deactivate → remove grants → (grace period) → delete → Okta, in stages a `retry` resumes. */
async function tearDown(
  record: AgentRecord,
  stages: Stages,
  intent: Intent,
  names: ResolutionCache,
): Promise<'gone' | 'revived'> {
  if (intent.repair && !intent.repair.result) intent.repair.result = { added: 0, removed: 0, state: record.snapshot() };
  record.offboarding();
  for (;;) {
    try {
      // Only a season new to the person revives them; a late event for a season that ended changes nothing.
      const outcome = await stages.teardown(() =>
        intent.enrolments.some((request) => !record.enrolment(request.seasonId)),
      );
      if (outcome === 'gone') record.deprovisioned();
      return outcome;
    } catch (err) {
      record.needsAttention((err instanceof NeedsAttention ? err : attentionFromFailure(err)).reason);
      await condition(() => intent.retry);
      takeRetry(intent, names);
    }
  }
}

/** Runs a stage; a failure retrying will not heal parks the agent in NeedsAttention (false). */
async function attempt(record: AgentRecord, run: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    record.needsAttention((err instanceof NeedsAttention ? err : attentionFromFailure(err)).reason);
    return false;
  }
}

async function attemptEach<T>(record: AgentRecord, items: T[], run: (item: T) => Promise<void>): Promise<boolean> {
  for (const item of items) if (!(await attempt(record, () => run(item)))) return false;
  return true;
}

/** An operator's retry: look every name up again (a role may have been added, renamed or re-created). */
function takeRetry(intent: Intent, names: ResolutionCache): boolean {
  if (!intent.retry) return false;
  intent.retry = false;
  names.forgetAll();
  return true;
}

/** A starter that enrols the person in another season passes the ids it already knows. */
function learnNames(intent: Intent, names: ResolutionCache): void {
  for (const { resolved } of intent.enrolments) {
    if (resolved) {
      names.learnRoles(resolved.roles);
      names.learnDivisions(resolved.divisions);
      if (resolved.queues) names.learnQueues(resolved.queues);
    }
  }
}

/** A failed repair is reported to its caller; the agent stays Active (the audit can be run again). */
async function repairOrReport(record: AgentRecord, stages: Stages, intent: Intent) {
  const job = intent.repair!;
  if (record.phase !== 'Active') return { added: 0, removed: 0, state: record.snapshot() };
  try {
    return await stages.repair(job.request);
  } catch (err) {
    return { added: 0, removed: 0, state: { ...record.snapshot(), attentionReason: attentionFromFailure(err).reason } };
  }
}

function continueAsNewDue(input: SeasonalAgentInput): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested ||
    (input.continueAsNewAtHistoryLength !== undefined && info.historyLength >= input.continueAsNewAtHistoryLength)
  );
}
