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
import { confirmMassOffboarding, selectTargets, type Target } from './support/targets';
import { agentRecords } from './support/agent-records';
import { dormantAgents } from '../../domain/logins';
import { inSeasonClause, listAgents } from '../../operations/visibility';
import { UserError } from '../../platform/errors';
import type { Client } from '@temporalio/client';
import type { SeasonConfig } from '../../config/types';

export interface OffboardOptions {
  all?: boolean;
  /** Agents Active with no login `dormantAfterDays` after the season started (season-costs.ts). */
  dormant?: boolean;
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
  if (options.dormant && (agents.length > 0 || options.all || options.phase))
    throw new UserError('--dormant picks the agents itself: do not name agents or add --all / --phase');
  const { targets, ended } = options.dormant
    ? { targets: await dormantTargets(client, season), ended: [] }
    : await selectTargets(client, season, {
        agents,
        ...(options.all ? { all: true } : {}),
        ...(options.phase ? { phase: options.phase } : {}),
      });
  if (options.dormant) {
    ctx.out.note(
      `season ${seasonId}: ${plural(targets.length, 'dormant agent')} (Active, no login ${plural(season.dormantAfterDays, 'day')} after the start)`,
    );
    if (targets.length === 0) return 0;
  }
  await confirmMassOffboarding(ctx, client, season, targets.length, {
    action: 'Offboard',
    ...(options.yes ? { yes: true } : {}),
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  });
  const reason =
    options.reason?.trim() ||
    (options.dormant ? `dormant: no login ${plural(season.dormantAfterDays, 'day')} after the season started` : '') ||
    'offboarded by an operator';
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

/** The season's dormant agents, from their own records: Active, and no login since the season started. */
async function dormantTargets(client: Client, season: SeasonConfig): Promise<Target[]> {
  const records = await agentRecords(client, await listAgents(client, season, inSeasonClause(season)), season.id);
  const facts = records.map((r) => {
    const logins = (r.state?.logins?.seen ?? []).map((t) => Date.parse(t));
    const activeAt = r.state?.access?.activeAt;
    return {
      oktaUserId: r.execution.oktaUserId,
      phase: r.state?.phase ?? 'unknown',
      ...(activeAt !== undefined ? { activeAt: Date.parse(activeAt) } : {}),
      ...(logins.length > 0 ? { firstLogin: Math.min(...logins) } : {}),
    };
  });
  const dormant = new Set(
    dormantAgents(facts, Date.parse(season.startsAt), season.dormantAfterDays * 86_400_000, Date.now()).map(
      (a) => a.oktaUserId,
    ),
  );
  return records
    .filter((r) => dormant.has(r.execution.oktaUserId))
    .map((r) => ({ workflowId: r.execution.workflowId, oktaUserId: r.execution.oktaUserId }));
}
