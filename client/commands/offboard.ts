// `season offboard <season> <agent…> | --all | --phase <phase>`: early offboarding, with a reason kept in the
// agent's history. Above the circuit breaker's threshold it asks first (--yes to skip). `--wait` waits for the
// outcome (deprovisioned, or stuck with a reason) through the workflow's update.
import { setTimeout as sleep } from 'node:timers/promises';
import { findSeason } from '../../config/load';
import { SeasonalAgentState, seasonOffboardSignal, seasonOffboardUpdate } from '../../workflows/agent/contract';
import type { AgentPhase } from '../../workflows/messages';
import type { CommandContext } from './context';
import { applyToTargets, finish } from './support/apply';
import { plural } from './support/table';
import { confirmMassOffboarding, selectTargets } from './support/targets';

export interface OffboardOptions {
  all?: boolean;
  phase?: AgentPhase;
  reason?: string;
  yes?: boolean;
  /** Fraction (0.1 = 10%). */
  threshold?: number;
  wait?: boolean;
  waitTimeoutMs?: number;
}

export async function offboardCommand(
  ctx: CommandContext,
  seasonId: string,
  agents: string[],
  options: OffboardOptions,
): Promise<number> {
  const { season } = findSeason(ctx.config(), seasonId);
  const { client } = await ctx.temporal();
  const { targets, ended } = await selectTargets(client, season, {
    agents,
    ...(options.all ? { all: true } : {}),
    ...(options.phase ? { phase: options.phase } : {}),
  });
  await confirmMassOffboarding(ctx, client, season, targets.length, {
    action: 'Offboard',
    ...(options.yes ? { yes: true } : {}),
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  });
  const reason = options.reason?.trim() || 'offboarded by an operator';
  const timeoutMs = options.waitTimeoutMs ?? 120_000;
  const result = await applyToTargets(ctx, targets, 'offboarding', async (t): Promise<string> => {
    const handle = client.workflow.getHandle(t.workflowId);
    if (!options.wait) {
      await handle.signal(seasonOffboardSignal, { seasonId, reason });
      return 'requested';
    }
    // Stop waiting after a while (a grace period may hold the agent in Deprovisioning for days); the timer is
    // cancelled as soon as the answer comes, so it never keeps the process alive.
    const stopWaiting = new AbortController();
    const timeout = sleep(timeoutMs, undefined, { signal: stopWaiting.signal }).then(
      () => undefined,
      () => undefined,
    );
    try {
      const outcome = await Promise.race([
        handle.executeUpdate(seasonOffboardUpdate, { args: [{ seasonId, reason }] }),
        timeout,
      ]);
      return outcome ? describeOutcome(outcome, seasonId) : 'still offboarding (stopped waiting)';
    } finally {
      stopWaiting.abort();
    }
  });
  const summary = `season ${seasonId}: ${plural(result.done.length, 'agent')} ${options.wait ? 'offboarded' : 'asked to offboard'} (reason: ${reason}), ${result.failed.length} failed`;
  const code = finish(ctx, summary, result, ended, { seasonId, reason });
  if (options.wait) for (const d of result.done) ctx.out.line(`  ${d.oktaUserId}: ${d.result}`);
  return code;
}

function describeOutcome(state: SeasonalAgentState, seasonId: string): string {
  if (state.phase === 'NeedsAttention') return `needs attention: ${state.attentionReason ?? ''}`;
  const season = state.enrolments.find((e) => e.seasonId === seasonId);
  // Still at work in another season: this season's grants went, the user stays for the other one.
  const others = state.enrolments
    .filter((e) => e.seasonId !== seasonId && e.phase !== 'Deprovisioned')
    .map((e) => e.seasonId);
  return others.length > 0
    ? `${season?.phase ?? state.phase} (kept for season ${others.join(', ')})`
    : (season?.phase ?? state.phase);
}
