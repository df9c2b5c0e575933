// Each agent's workflow together with what it believes, seen from one season: the getState query for running
// workflows (needs a worker), the result for completed ones (read from history, no worker needed). Workflows that
// ended otherwise (failed, terminated) have no state to give.
import type { Client } from '@temporalio/client';
import { inParallel } from '../../../operations/concurrency';
import { SeasonPhasesKey } from '../../../domain/search-attributes';
import { otherLiveSeasonsOf, type AgentExecution } from '../../../operations/visibility';
import { agentStateQuery, type SeasonalAgentState } from '../../../workflows/agent/contract';
import type { AgentState } from '../../../workflows/messages';

/** The person as one season sees them: that season's phase, end and end reason; the person's user and grants. */
export interface SeasonView extends AgentState {
  /** Other seasons the person is still at work in (their user and its license are theirs too). */
  otherLiveSeasons: string[];
  /** The routing skills and languages, and the queues, the workflow gave (seasonal agent workflows only). */
  routing?: SeasonalAgentState['routing'];
  queues?: SeasonalAgentState['queues'];
  /** When the person could log in and reached Active, and the logins seen (for billing and readiness). */
  access?: SeasonalAgentState['access'];
  logins?: SeasonalAgentState['logins'];
}

export interface AgentRecord {
  execution: AgentExecution;
  state?: SeasonView;
  /**
   * Other seasons the person is at work in: from the state of a running workflow, or — when this run closed —
   * from the person's later run (they came back for another season), whose user and license are that season's.
   */
  otherLiveSeasons: string[];
  /** Why the state could not be read (no worker running, …). */
  stateError?: string;
}

export function seasonView(state: SeasonalAgentState, seasonId: string): SeasonView {
  const enrolment = state.enrolments.find((e) => e.seasonId === seasonId);
  const { enrolments, offboardReason, ...person } = state;
  const endReason = enrolment?.endReason ?? offboardReason;
  return {
    ...person,
    phase: enrolment?.phase ?? state.phase,
    seasonEndsAt: enrolment?.seasonEndsAt ?? '',
    ...(endReason !== undefined ? { offboardReason: endReason } : {}),
    otherLiveSeasons: enrolments
      .filter((e) => e.seasonId !== seasonId && e.phase !== 'Deprovisioned')
      .map((e) => e.seasonId),
  };
}

export async function agentRecords(
  client: Client,
  executions: AgentExecution[],
  seasonId: string,
): Promise<AgentRecord[]> {
  return inParallel(executions, 32, async (execution): Promise<AgentRecord> => {
    // This run, not the latest: a person who came back for another season has a later run under the same id,
    // and the result of a running one would be waited for until it ends.
    const handle = client.workflow.getHandle(execution.workflowId, execution.runId);
    try {
      if (execution.status === 'RUNNING') {
        const state = seasonView(await handle.query(agentStateQuery), seasonId);
        return { execution, state, otherLiveSeasons: state.otherLiveSeasons };
      }
      const otherLiveSeasons = await laterRunSeasons(client, execution, seasonId);
      if (execution.status === 'COMPLETED') {
        return {
          execution,
          state: seasonView((await handle.result()) as SeasonalAgentState, seasonId),
          otherLiveSeasons,
        };
      }
      return { execution, otherLiveSeasons };
    } catch (err) {
      return { execution, otherLiveSeasons: [], stateError: err instanceof Error ? err.message : String(err) };
    }
  });
}

/** The seasons the person's later run (if it is running) is at work in, other than this one. */
async function laterRunSeasons(client: Client, execution: AgentExecution, seasonId: string): Promise<string[]> {
  const latest = await client.workflow.getHandle(execution.workflowId).describe();
  if (latest.runId === execution.runId || latest.status.name !== 'RUNNING') return [];
  return otherLiveSeasonsOf(latest.typedSearchAttributes.get(SeasonPhasesKey), seasonId);
}
