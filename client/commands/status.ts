// `season status <season>`: agents per phase (visibility counts, cheap even for 10,000 agents), the agents that
// need attention with their reasons (a query each, capped by --limit), time to the season's end, and the Web UI
// link filtered to the season.
import { agentStateQuery } from '../../workflows/agent/contract';
import type { AgentPhase } from '../../workflows/messages';
import { findSeason } from '../../config/load';
import type { CommandContext } from './context';
import { inParallel } from '../../operations/concurrency';
import { humanDuration, table } from './support/table';
import { countAgents, listAgents, PHASES, phaseClause, webUiLink } from '../../operations/visibility';

export interface StatusReport {
  seasonId: string;
  orgId: string;
  total: number;
  phases: Record<AgentPhase, number>;
  /** Workflows that ended without reaching Deprovisioned (failed, terminated, timed out, cancelled). */
  endedAbnormally: number;
  needsAttention: Array<{ oktaUserId: string; workflowId: string; reason: string }>;
  /** More agents need attention than were listed (see --limit). */
  needsAttentionNotListed: number;
  seasonEndsAt: string;
  msToSeasonEnd: number;
  webUi: string;
}

const ABNORMAL = `ExecutionStatus != "Running" AND ExecutionStatus != "Completed" AND ExecutionStatus != "ContinuedAsNew"`;

export async function statusCommand(
  ctx: CommandContext,
  seasonId: string,
  options: { limit?: number },
): Promise<number> {
  const { season } = findSeason(ctx.config(), seasonId);
  const { client, namespace } = await ctx.temporal();
  const limit = options.limit ?? 20;

  const [total, endedAbnormally, ...phaseCounts] = await Promise.all([
    countAgents(client, season),
    countAgents(client, season, ABNORMAL),
    ...PHASES.map((p) =>
      countAgents(
        client,
        season,
        p === 'Deprovisioned' ? phaseClause(season, p) : `${phaseClause(season, p)} AND ExecutionStatus = "Running"`,
      ),
    ),
  ]);
  const phases = Object.fromEntries(PHASES.map((p, i) => [p, phaseCounts[i] ?? 0])) as Record<AgentPhase, number>;

  const stuck = await listAgents(
    client,
    season,
    `${phaseClause(season, 'NeedsAttention')} AND ExecutionStatus = "Running"`,
  );
  const needsAttention = await inParallel(stuck.slice(0, limit), 8, async (a) => {
    try {
      const state = await client.workflow.getHandle(a.workflowId).query(agentStateQuery);
      return {
        oktaUserId: a.oktaUserId,
        workflowId: a.workflowId,
        reason: state.attentionReason ?? '(no reason recorded)',
      };
    } catch (err) {
      return {
        oktaUserId: a.oktaUserId,
        workflowId: a.workflowId,
        reason: `(state unavailable: ${err instanceof Error ? err.message : String(err)})`,
      };
    }
  });

  const report: StatusReport = {
    seasonId,
    orgId: season.orgId,
    total,
    phases,
    endedAbnormally,
    needsAttention,
    needsAttentionNotListed: Math.max(0, stuck.length - needsAttention.length),
    seasonEndsAt: season.endsAt,
    msToSeasonEnd: Date.parse(season.endsAt) - Date.now(),
    webUi: webUiLink(ctx.env, namespace, season),
  };
  ctx.out.json(report);

  ctx.out.line(`season ${seasonId} (${season.orgId}): ${total} agent${total === 1 ? '' : 's'}`);
  for (const line of table(
    ['phase', 'agents'],
    [...PHASES.map((p) => [p, phases[p]]), ['ended abnormally', endedAbnormally]],
  ))
    ctx.out.line(`  ${line}`);
  const toEnd = report.msToSeasonEnd;
  ctx.out.line(
    toEnd > 0
      ? `season ends ${season.endsAt} (in ${humanDuration(toEnd)})`
      : `season ended ${season.endsAt} (${humanDuration(toEnd)} ago)`,
  );
  if (needsAttention.length > 0) {
    ctx.out.line('needs attention:');
    for (const a of needsAttention) ctx.out.line(`  ${a.oktaUserId}: ${a.reason}`);
    if (report.needsAttentionNotListed > 0) ctx.out.line(`  … and ${report.needsAttentionNotListed} more (--limit)`);
    ctx.out.line(`fix the cause, then: season retry ${seasonId}`);
  }
  ctx.out.line(`Web UI: ${report.webUi}`);
  return 0;
}
