// `season audit <season> [--fix]`: compares what Genesys holds (users carrying the agents' Okta ids as
// externalId, and their direct grants) with what the workflows believe and with the mapping, and lists the drift.
// `--fix` repairs through the workflows: a running agent's workflow removes hand-made grants and restores missing
// ones, sets the mapped skills and languages again and rejoins mapped queues it was taken out of (reconcile update); an Okta member without a workflow gets one started (it adopts the existing user).
// Exit 1 while drift that matters remains.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { formatPreflight } from '../../domain/preflight';
import { repairUpdate, seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { seasonalAgentInput, enrolAgent } from '../../operations/seasonal-agent';
import { AuditAgent, Drift, findDrift } from '../../domain/drift';
import type { CommandContext } from './context';
import { agentRecords } from './support/agent-records';
import { inParallel } from '../../operations/concurrency';
import { progress } from './support/progress';
import { openSeason, runPreflight, SeasonSession, WaveAgent } from './support/season';
import { plural } from './support/table';
import { listAgents } from '../../operations/visibility';

interface FixOutcome {
  oktaUserId: string;
  action: string;
  ok: boolean;
  detail: string;
}

async function gather(
  ctx: CommandContext,
  session: SeasonSession,
  oktaGroups: Awaited<ReturnType<typeof runPreflight>>['oktaGroups'],
  queueIds: string[],
) {
  const { client } = await ctx.temporal();
  // Queue memberships: one read per mapped queue (and page), not per agent.
  const members = await session.genesys.membersOfQueues(queueIds);
  const queuesOf = (userId: string) => [...members].filter(([, ids]) => ids.has(userId)).map(([id]) => id);
  const records = await agentRecords(client, await listAgents(client, session.season), session.season.id);
  const oktaMembers =
    session.okta && oktaGroups
      ? (await session.okta.seasonMembers([...new Map([...oktaGroups.values()].map((g) => [g.id, g])).values()]))
          .members
      : undefined;
  const memberById = new Map((oktaMembers ?? []).map((m) => [m.agent.oktaUserId, m]));
  const recordById = new Map(records.map((r) => [r.execution.oktaUserId, r]));
  const ids = [...new Set([...recordById.keys(), ...memberById.keys()])].sort();

  const bar = progress(ctx.out, ids.length, 'reading Genesys');
  const agents = await inParallel(ids, 16, async (oktaUserId): Promise<AuditAgent> => {
    try {
      const record = recordById.get(oktaUserId);
      const member = memberById.get(oktaUserId);
      const state = record?.state;
      const agent: AuditAgent = {
        oktaUserId,
        users: [],
        startable: member !== undefined,
        ...(member ? { oktaGroups: member.groups } : {}),
        ...(record
          ? {
              workflow: {
                status: record.execution.status,
                startedAt: record.execution.startTime,
                ...(state ? { state } : {}),
              },
            }
          : {}),
      };
      if (record && record.execution.status !== 'RUNNING' && record.otherLiveSeasons.length > 0) {
        // This season's run closed and the person came back for another season: the user (if still there) is
        // that season's workflow's to hold, not a user left active after this season.
        agent.users = [];
      } else if (state?.genesysUserId !== undefined) {
        const user = await session.genesys.getUser(state.genesysUserId);
        agent.users = user ? [user] : [];
        if (user && record?.execution.status === 'RUNNING' && state.phase === 'Active') {
          agent.grants = await session.genesys.datedDirectGrants(user.id);
          if (state.routing) agent.routing = await session.genesys.userRouting(user.id);
          if (queueIds.length > 0) agent.queueIds = queuesOf(user.id);
        }
      } else {
        agent.users = await session.genesys.findUsersByExternalId(oktaUserId);
      }
      return agent;
    } finally {
      bar.tick();
    }
  });
  bar.stop();
  return { agents, memberById, unreadable: records.filter((r) => r.stateError !== undefined) };
}

async function applyFixes(
  ctx: CommandContext,
  session: SeasonSession,
  drift: Drift[],
  startable: Map<string, WaveAgent>,
  report: Awaited<ReturnType<typeof runPreflight>>['report'],
): Promise<FixOutcome[]> {
  const { client } = await ctx.temporal();
  const byAgent = new Map<string, Drift[]>();
  for (const d of drift)
    if (!d.info && d.fix !== 'none') byAgent.set(d.oktaUserId, [...(byAgent.get(d.oktaUserId) ?? []), d]);
  const now = new Date();
  return inParallel([...byAgent.entries()], 8, async ([oktaUserId, items]): Promise<FixOutcome> => {
    if (items.some((d) => d.fix === 'start')) {
      const member = startable.get(oktaUserId);
      if (!member)
        return { oktaUserId, action: 'start', ok: false, detail: 'not a current member of the season groups' };
      const { outcome } = await enrolAgent(
        client,
        seasonalAgentInput(session.season, member.agent, member.groups, now.toISOString(), report.resolved),
      );
      return { oktaUserId, action: 'start', ok: outcome === 'started' || outcome === 'enrolled', detail: outcome };
    }
    const removeGrants = items.filter((d) => d.kind === 'grant-added-by-hand').flatMap((d) => d.grants ?? []);
    const routing = items.some((d) => d.kind === 'routing-missing');
    const rejoinQueues = items.filter((d) => d.kind === 'queue-missing').flatMap((d) => d.queueIds ?? []);
    const handle = client.workflow.getHandle(seasonalAgentWorkflowId(session.org.id, oktaUserId));
    try {
      const result = await handle.executeUpdate(repairUpdate, {
        args: [
          {
            removeGrants,
            reason: 'season audit --fix',
            ...(routing ? { routing } : {}),
            ...(rejoinQueues.length > 0 ? { rejoinQueues } : {}),
          },
        ],
      });
      const what = routing || rejoinQueues.length > 0 ? 'grants, routing and queues' : 'grants';
      return { oktaUserId, action: 'reconcile', ok: true, detail: `+${result.added} / −${result.removed} ${what}` };
    } catch (err) {
      const detail =
        err instanceof WorkflowUpdateFailedError
          ? `rejected: ${err.cause?.message ?? err.message}`
          : err instanceof Error
            ? err.message
            : String(err);
      return { oktaUserId, action: 'reconcile', ok: false, detail };
    }
  });
}

export async function auditCommand(ctx: CommandContext, seasonId: string, options: { fix?: boolean }): Promise<number> {
  const session = openSeason(ctx, seasonId);
  const { report, catalog, oktaGroups } = await runPreflight(session);
  if (!report.ok) {
    for (const line of formatPreflight(report)) ctx.out.note(line);
    ctx.out.note('warning: names that do not resolve are compared by id only');
  }
  const queueIds = Object.values(report.resolved.queues ?? {});
  const { agents, memberById, unreadable } = await gather(ctx, session, oktaGroups, queueIds);
  const drift = findDrift({
    mapping: session.season.mapping,
    policy: session.season.policy,
    catalog,
    resolved: report.resolved,
    agents,
  });
  const fixes = options.fix ? await applyFixes(ctx, session, drift, memberById, report) : [];

  const fixed = new Set(fixes.filter((f) => f.ok).map((f) => f.oktaUserId));
  const remaining = drift.filter((d) => !d.info && !(d.fix !== 'none' && fixed.has(d.oktaUserId)));
  ctx.out.json({
    seasonId,
    orgId: session.org.id,
    agentsChecked: agents.length,
    oktaChecked: memberById.size > 0 || session.okta !== undefined,
    drift,
    fixes,
    remaining: remaining.length,
    unreadable: unreadable.map((r) => r.execution.oktaUserId),
  });

  ctx.out.line(
    `audit ${seasonId} (${session.org.id}): ${plural(agents.length, 'agent')} checked, ${plural(drift.filter((d) => !d.info).length, 'drift')} found`,
  );
  for (const d of drift)
    ctx.out.line(
      `  ${d.info ? 'note' : 'drift'} ${d.oktaUserId} ${d.kind}: ${d.detail}${d.info || options.fix ? '' : d.fix === 'none' ? ' (not fixable through a workflow)' : ` (--fix: ${d.fix})`}`,
    );
  for (const f of fixes) ctx.out.line(`  ${f.ok ? 'fixed' : 'not fixed'} ${f.oktaUserId} (${f.action}): ${f.detail}`);
  if (drift.some((d) => d.kind === 'not-started'))
    ctx.out.note(
      "note: Genesys's user search shows users made or changed in the last seconds late, so a user made by hand just now can be listed as not-started; --fix starts its workflow either way, and the workflow adopts that user",
    );
  if (!session.okta)
    ctx.out.note(
      `note: Okta not read (org ${session.org.id} has no Okta connection): users without a workflow are found only for known agents`,
    );
  for (const r of unreadable) ctx.out.note(`warning: state of ${r.execution.oktaUserId} unreadable: ${r.stateError}`);
  return remaining.length > 0 ? 1 : 0;
}
