// Each agent's workflow together with what it believes: the getState query for running workflows (needs a
// worker), the result for completed ones (read from history, no worker needed). Workflows that ended otherwise
// (failed, terminated) have no state to give.
import type { Client } from '@temporalio/client';
import { AgentState, getStateQuery } from '../../../workflows/messages';
import { inParallel } from '../../../operations/concurrency';
import type { AgentExecution } from '../../../operations/visibility';

export interface AgentRecord {
  execution: AgentExecution;
  state?: AgentState;
  /** Why the state could not be read (no worker running, …). */
  stateError?: string;
}

export async function agentRecords(client: Client, executions: AgentExecution[]): Promise<AgentRecord[]> {
  return inParallel(executions, 32, async (execution): Promise<AgentRecord> => {
    const handle = client.workflow.getHandle(execution.workflowId);
    try {
      if (execution.status === 'RUNNING') return { execution, state: await handle.query(getStateQuery) };
      if (execution.status === 'COMPLETED') return { execution, state: (await handle.result()) as AgentState };
      return { execution };
    } catch (err) {
      return { execution, stateError: err instanceof Error ? err.message : String(err) };
    }
  });
}
