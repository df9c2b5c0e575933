// Which agents a bulk command acts on: the ones named on the command line, or every running agent of the season
// found by a visibility query — and the circuit breaker that makes a mass offboarding a deliberate act.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { SeasonPhasesKey } from '../../../domain/search-attributes';
import type { SeasonConfig } from '../../../config/types';
import { UserError } from '../../../platform/errors';
import type { AgentPhase } from '../../../workflows/messages';
import type { CommandContext } from '../context';
import { inParallel } from '../../../operations/concurrency';
import { plural } from './table';
import {
  agentIds,
  countAgents,
  inSeasonClause,
  listAgents,
  oktaUserIdOf,
  phaseClause,
  seasonPhaseOf,
} from '../../../operations/visibility';

export interface Target {
  workflowId: string;
  oktaUserId: string;
}

export interface TargetSelection {
  targets: Target[];
  /** Named agents for whom the season has already ended (nothing to do). */
  ended: string[];
}

export interface TargetOptions {
  agents: string[];
  all?: boolean;
  phase?: AgentPhase;
  /** With no agent named, act on every agent in the season (extend, retry) instead of demanding --all (offboarding). */
  allByDefault?: boolean;
}

export async function selectTargets(
  client: Client,
  season: SeasonConfig,
  options: TargetOptions,
): Promise<TargetSelection> {
  if (options.agents.length > 0 && (options.all || options.phase))
    throw new UserError('name agents, or use --all / --phase, not both');
  if (options.agents.length === 0) {
    if (!options.all && !options.phase && !options.allByDefault) {
      throw new UserError('name the agents (Okta user ids), or use --all for every agent of the season');
    }
    const extra = options.phase
      ? `ExecutionStatus = "Running" AND ${phaseClause(season, options.phase)}`
      : inSeasonClause(season);
    const running = await listAgents(client, season, extra);
    return { targets: running.map((a) => ({ workflowId: a.workflowId, oktaUserId: a.oktaUserId })), ended: [] };
  }
  const missing: string[] = [];
  const ended: string[] = [];
  const targets: Target[] = [];
  const ids = agentIds(season, [...new Set(options.agents)]);
  await inParallel(ids, 16, async (workflowId) => {
    const oktaUserId = oktaUserIdOf(workflowId);
    try {
      const d = await client.workflow.getHandle(workflowId).describe();
      const phase = seasonPhaseOf(d.typedSearchAttributes.get(SeasonPhasesKey), season.id);
      if (phase === undefined) {
        // The latest run is not in this season; an earlier one may have been (the person came back for another).
        if ((await countAgents(client, season, `WorkflowId = "${workflowId}"`)) > 0) ended.push(oktaUserId);
        else missing.push(oktaUserId);
      } else if (d.status.name === 'RUNNING' && phase !== 'Deprovisioned') targets.push({ workflowId, oktaUserId });
      else ended.push(oktaUserId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) missing.push(oktaUserId);
      else throw err;
    }
  });
  if (missing.length > 0) {
    throw new UserError(
      `no agent ${missing.sort().join(', ')} in season ${season.id} (org ${season.orgId}): check the Okta user id${missing.length === 1 ? '' : 's'}`,
    );
  }
  return { targets: targets.sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId)), ended: ended.sort() };
}

export const DEFAULT_BREAKER_THRESHOLD = 0.1;

/**
 * The circuit breaker (as Entra's accidental-deletion threshold): offboarding more than `threshold` of a
 * season's agents in one command needs a confirmation — typed on the terminal, or --yes in scripts.
 */
export async function confirmMassOffboarding(
  ctx: CommandContext,
  client: Client,
  season: SeasonConfig,
  count: number,
  options: { yes?: boolean; threshold?: number; action: string },
): Promise<void> {
  if (count === 0 || options.yes) return;
  const threshold = options.threshold ?? DEFAULT_BREAKER_THRESHOLD;
  const total = await countAgents(client, season);
  if (count <= threshold * total) return;
  const share = `${Math.round((100 * count) / Math.max(1, total))}% of the season's ${total} agents, above the ${Math.round(threshold * 100)}% threshold`;
  const question = `${options.action} ${plural(count, 'agent')} of season ${season.id} (${share})?`;
  if (await ctx.confirm(question)) return;
  throw new UserError(
    `refusing to ${options.action.toLowerCase()} ${plural(count, 'agent')} of season ${season.id} (${share}) without confirmation: rerun with --yes`,
  );
}
