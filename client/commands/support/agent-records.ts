// Each agent's workflow together with what it believes, seen from one season: the getState query for running
// workflows (needs a worker), the result for completed ones (read from history, no worker needed). Workflows that
// ended otherwise (failed, terminated) have no state to give.
import type { Client } from '@temporalio/client';
import { inParallel } from '../../../operations/concurrency';
import type { AgentExecution } from '../../../operations/visibility';
import { agentStateQuery, type SeasonalAgentState } from '../../../workflows/agent/contract';
import type { AgentState } from '../../../workflows/messages';

/** The person as one season sees them: that season's phase, end and end reason; the person's user and grants. */
export interface SeasonView extends AgentState {
  /** Other seasons the person is still at work in (their user and its license are theirs too). */
  otherLiveSeasons: string[];
}

export interface AgentRecord {
  execution: AgentExecution;
  state?: SeasonView;
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
    otherLiveSeasons: enrolments.filter((e) => e.seasonId !== seasonId && e.phase !== 'Deprovisioned').map((e) => e.seasonId),
  };
}

export async function agentRecords(client: Client, executions: AgentExecution[], seasonId: string): Promise<AgentRecord[]> {
  return inParallel(executions, 32, async (execution): Promise<AgentRecord> => {
    const handle = client.workflow.getHandle(execution.workflowId);
    try {
      if (execution.status === 'RUNNING') return { execution, state: seasonView(await handle.query(agentStateQuery), seasonId) };
      if (execution.status === 'COMPLETED') return { execution, state: seasonView((await handle.result()) as SeasonalAgentState, seasonId) };
      return { execution };
    } catch (err) {
      return { execution, stateError: err instanceof Error ? err.message : String(err) };
    }
  });
}
