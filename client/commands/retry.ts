// `season retry <season> [agent…]`: after fixing the cause (a role renamed back, a permission granted), tells
// agents in NeedsAttention to run their stuck stage again. Without agent ids: every agent needing attention.
import { findSeason } from '../../config/load';
import { agentRetrySignal } from '../../workflows/agent/contract';
import type { CommandContext } from './context';
import { applyToTargets, finish } from './support/apply';
import { plural } from './support/table';
import { selectTargets } from './support/targets';

export async function retryCommand(ctx: CommandContext, seasonId: string, agents: string[]): Promise<number> {
  const { season } = findSeason(ctx.config(), seasonId);
  const { client } = await ctx.temporal();
  const { targets, ended } = await selectTargets(
    client,
    season,
    agents.length > 0 ? { agents } : { agents, phase: 'NeedsAttention' },
  );
  const result = await applyToTargets(ctx, targets, 'retrying', async (t) => {
    await client.workflow.getHandle(t.workflowId).signal(agentRetrySignal);
    return 'requested';
  });
  return finish(
    ctx,
    `season ${seasonId}: retry sent to ${plural(result.done.length, 'agent')}, ${result.failed.length} failed`,
    result,
    ended,
    { seasonId },
  );
}
