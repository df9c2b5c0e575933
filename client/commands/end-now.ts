// `season end-now <season> <agent…> | --all`: the season ends now for these agents; teardown follows the season's
// deprovision policy. Sent as an offboarding (it works in every phase, including NeedsAttention), so the
// circuit breaker applies.
import { findSeason } from '../../config/load';
import { seasonOffboardSignal } from '../../workflows/agent/contract';
import type { CommandContext } from './context';
import { applyToTargets, finish } from './support/apply';
import { plural } from './support/table';
import { confirmMassOffboarding, selectTargets } from './support/targets';

export const END_NOW_REASON = 'season ended early (end-now)';

export async function endNowCommand(
  ctx: CommandContext,
  seasonId: string,
  agents: string[],
  options: { all?: boolean; yes?: boolean; threshold?: number },
): Promise<number> {
  const { season } = findSeason(ctx.config(), seasonId);
  const { client } = await ctx.temporal();
  const { targets, ended } = await selectTargets(client, season, { agents, ...(options.all ? { all: true } : {}) });
  await confirmMassOffboarding(ctx, client, season, targets.length, {
    action: 'End the season now for',
    ...(options.yes ? { yes: true } : {}),
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  });
  const result = await applyToTargets(ctx, targets, 'ending', async (t) => {
    await client.workflow.getHandle(t.workflowId).signal(seasonOffboardSignal, { seasonId, reason: END_NOW_REASON });
    return 'requested';
  });
  return finish(
    ctx,
    `season ${seasonId}: ended now for ${plural(result.done.length, 'agent')}, ${result.failed.length} failed`,
    result,
    ended,
    { seasonId },
  );
}
