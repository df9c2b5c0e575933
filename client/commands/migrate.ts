// `season migrate <season>`: moves the season's agents from the per-season workflows of earlier versions
// (`agentLifecycle`, one per org, season and person) to the seasonalAgent workflow (one per org and person), so
// that one owner holds each person's Genesys user. Each Active agent is handed over (its old workflow ends without
// touching Genesys and returns what the new one needs), then enrolled in the new one, which adopts the same user.
// Agents that are not Active (provisioning, needing attention, being offboarded) stay on the old workflow: fix or
// let them finish, and run the command again. Idempotent: an interrupted run is completed by the next one.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { findSeason } from '../../config/load';
import { OrgIdKey } from '../../domain/search-attributes';
import { inParallel } from '../../operations/concurrency';
import { enrolAgent, seasonalAgentInput } from '../../operations/seasonal-agent';
import { oktaUserIdOf } from '../../operations/visibility';
import {
  AGENT_LIFECYCLE_WORKFLOW,
  AgentState,
  HANDED_OVER,
  handOverUpdate,
  type HandOver,
} from '../../workflows/messages';
import type { CommandContext } from './context';
import { plural } from './support/table';

interface LegacyRun {
  workflowId: string;
  oktaUserId: string;
  running: boolean;
}

async function legacyRuns(client: Client, orgId: string, seasonId: string): Promise<LegacyRun[]> {
  const query =
    `WorkflowType = "${AGENT_LIFECYCLE_WORKFLOW}" AND OrgId = "${orgId}" AND SeasonId = "${seasonId}" AND ` +
    `(ExecutionStatus = "Running" OR AgentPhase = "${HANDED_OVER}")`;
  const runs = new Map<string, LegacyRun>();
  for await (const info of client.workflow.list({ query })) {
    if (info.typedSearchAttributes.get(OrgIdKey) !== orgId) continue;
    const run = {
      workflowId: info.workflowId,
      oktaUserId: oktaUserIdOf(info.workflowId),
      running: info.status.name === 'RUNNING',
    };
    if (!runs.get(info.workflowId)?.running) runs.set(info.workflowId, run);
  }
  return [...runs.values()].sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId));
}

/** The hand-over facts: asked of a running old workflow, or read from the result of one already handed over. */
async function handOver(client: Client, run: LegacyRun): Promise<HandOver | string> {
  const handle = client.workflow.getHandle(run.workflowId);
  if (!run.running) return ((await handle.result()) as AgentState).handedOver ?? 'ended without a hand-over';
  try {
    return await handle.executeUpdate(handOverUpdate);
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? err.message;
    throw err;
  }
}

export async function migrateCommand(ctx: CommandContext, seasonId: string): Promise<number> {
  const { season } = findSeason(ctx.config(), seasonId);
  const { client } = await ctx.temporal();
  const runs = await legacyRuns(client, season.orgId, season.id);
  const migrated: Array<{ oktaUserId: string; outcome: string }> = [];
  const left: Array<{ oktaUserId: string; why: string }> = [];
  const failed: Array<{ oktaUserId: string; error: string }> = [];
  await inParallel(runs, 8, async (run) => {
    try {
      const facts = await handOver(client, run);
      if (typeof facts === 'string') {
        left.push({ oktaUserId: run.oktaUserId, why: facts });
        return;
      }
      // The agent's own end (an extend moved it) goes with them; the season file gives the rest.
      const input = seasonalAgentInput(
        { ...season, endsAt: facts.seasonEndsAt },
        facts.agent,
        facts.groups,
        facts.groupsAsOf,
      );
      migrated.push({ oktaUserId: run.oktaUserId, outcome: (await enrolAgent(client, input)).outcome });
    } catch (err) {
      failed.push({ oktaUserId: run.oktaUserId, error: err instanceof Error ? err.message : String(err) });
    }
  });
  const byId = (a: { oktaUserId: string }, b: { oktaUserId: string }) => a.oktaUserId.localeCompare(b.oktaUserId);
  ctx.out.json({
    seasonId,
    orgId: season.orgId,
    migrated: migrated.sort(byId),
    left: left.sort(byId),
    failed: failed.sort(byId),
  });
  ctx.out.line(
    `season ${seasonId}: ${plural(migrated.length, 'agent')} moved to the seasonalAgent workflow, ${left.length} left on the old one, ${failed.length} failed`,
  );
  for (const l of left) ctx.out.line(`  left ${l.oktaUserId}: ${l.why}`);
  for (const f of failed) ctx.out.line(`  failed ${f.oktaUserId}: ${f.error}`);
  if (left.length > 0)
    ctx.out.note('fix or let the agents left finish on the old workflow, then run season migrate again');
  return failed.length > 0 ? 1 : 0;
}
