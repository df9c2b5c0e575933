// `season report [season…] [--format table|csv|json|html]`: per org and season, how many agents were provisioned,
// are active, were deprovisioned or failed, and how many seasonal Genesys users still hold a license. Licenses of
// agents still at work are expected; for every offboarded or failed agent, Genesys is asked whether its user is
// still active (a leftover license), because "the workflow says so" is not proof. Likewise each queue the season
// maps is asked for its members: agents still in a queue, and those left in one after their season.
// Then what the season costs (support/season-costs.ts): who was ready before their first login, the billing
// periods it touches (billable and exposed users with their licenses), dormant agents.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../platform/errors';
import type { CommandContext } from './context';
import { agentRecords, AgentRecord } from './support/agent-records';
import { openSeason, SeasonSession } from './support/season';
import { csv, table } from './support/table';
import { listAgents } from '../../operations/visibility';
import { seasonCosts, type SeasonCosts } from './support/season-costs';
import { costLines, seasonPage } from './support/report-costs';
import { renderReportHtml } from './support/report-html';

export type ReportFormat = 'table' | 'csv' | 'json' | 'html';
const FORMATS: ReportFormat[] = ['table', 'csv', 'json', 'html'];

export interface SeasonReport {
  orgId: string;
  seasonId: string;
  agents: number;
  provisioned: number;
  active: number;
  needsAttention: number;
  deprovisioned: number;
  failed: number;
  /** Seasonal users holding a license: agents at work plus leftovers. */
  licensesHeld: number;
  /** Active Genesys users of agents that were offboarded or whose workflow failed. */
  leftoverLicenses: Array<{ oktaUserId: string; genesysUserId: string; why: string }>;
  /** Agents whose Genesys user is a member of a queue the season maps (read from each queue's member list). */
  inQueues: number;
  /** Of those, agents no longer at work in the season: left in a queue. */
  leftInQueues: Array<{ oktaUserId: string; genesysUserId: string }>;
  /** Agents whose state could not be read (e.g. no worker running). */
  unreadable: number;
  /** Logins, billing periods, dormant agents (support/season-costs.ts). */
  costs: SeasonCosts;
}

const AT_WORK = new Set(['Provisioning', 'Active', 'NeedsAttention']);

/** At work in this season. */
function atWork(r: AgentRecord): boolean {
  return r.execution.status === 'RUNNING' && AT_WORK.has(r.state?.phase ?? r.execution.phase ?? 'Provisioning');
}

/** The season ended for the person (their workflow may go on for another season). */
function seasonOver(r: AgentRecord): boolean {
  return (
    r.execution.status === 'COMPLETED' ||
    (r.execution.status === 'RUNNING' && (r.state?.phase ?? r.execution.phase) === 'Deprovisioned')
  );
}

async function leftoverFor(
  session: SeasonSession,
  r: AgentRecord,
): Promise<SeasonReport['leftoverLicenses'][number] | undefined> {
  // Still at work in another season (in this workflow, or in a later run after a return): the user and its
  // license are that season's, not a leftover of this one.
  if (r.otherLiveSeasons.length > 0) return undefined;
  const why =
    r.execution.status === 'RUNNING'
      ? 'still being offboarded'
      : r.execution.status === 'COMPLETED'
        ? 'offboarded'
        : `workflow ${r.execution.status.toLowerCase()}`;
  const userId = r.state?.genesysUserId;
  const users =
    userId !== undefined
      ? [await session.genesys.getUser(userId)]
      : await session.genesys.findUsersByExternalId(r.execution.oktaUserId);
  const active = users.find((u) => u?.active);
  return active ? { oktaUserId: r.execution.oktaUserId, genesysUserId: active.id, why } : undefined;
}

/** Agents whose Genesys user sits in a queue the season maps: one read per mapped queue (and page), not per agent. */
async function agentsInQueues(session: SeasonSession, records: AgentRecord[]) {
  const names = [...new Set(session.season.mapping.rules.flatMap((r) => r.queues ?? []))];
  if (names.length === 0) return [];
  const members = await session.genesys.membersOfQueues((await session.genesys.queueIds(names)).values());
  const inAny = (userId: string) => [...members.values()].some((ids) => ids.has(userId));
  return records.flatMap((record) => {
    const genesysUserId = record.state?.genesysUserId;
    return genesysUserId !== undefined && inAny(genesysUserId) ? [{ record, genesysUserId }] : [];
  });
}

export async function seasonReport(ctx: CommandContext, seasonId: string): Promise<SeasonReport> {
  const session = openSeason(ctx, seasonId);
  const { client } = await ctx.temporal();
  const records = await agentRecords(client, await listAgents(client, session.season), seasonId);
  const working = records.filter(atWork);
  const leftovers = await Promise.all(records.filter((r) => !atWork(r)).map((r) => leftoverFor(session, r)));
  const leftoverLicenses = leftovers.filter((l): l is NonNullable<typeof l> => l !== undefined);
  const phase = (r: AgentRecord) => r.state?.phase ?? r.execution.phase;
  const queued = await agentsInQueues(session, records);
  const costs = await costsOf(session, records);
  return {
    orgId: session.org.id,
    seasonId,
    agents: records.length,
    provisioned: records.filter((r) => r.state?.genesysUserId !== undefined).length,
    active: records.filter((r) => r.execution.status === 'RUNNING' && phase(r) === 'Active').length,
    needsAttention: records.filter((r) => r.execution.status === 'RUNNING' && phase(r) === 'NeedsAttention').length,
    deprovisioned: records.filter(seasonOver).length,
    failed: records.filter(
      (r) =>
        (r.execution.status === 'RUNNING' && phase(r) === 'NeedsAttention') ||
        !['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW'].includes(r.execution.status),
    ).length,
    licensesHeld: working.filter((r) => r.state?.genesysUserId !== undefined).length + leftoverLicenses.length,
    leftoverLicenses,
    inQueues: queued.length,
    leftInQueues: queued
      .filter((q) => !atWork(q.record) && q.record.otherLiveSeasons.length === 0)
      .map((q) => ({ oktaUserId: q.record.execution.oktaUserId, genesysUserId: q.genesysUserId })),
    unreadable: records.filter((r) => r.stateError !== undefined).length,
    costs,
  };
}

/**
 * The licenses each seasonal user holds (one batched read per 100 users Genesys still has); for users who can no
 * longer log in, the licenses the roles they held imply (POST /api/v2/license/infer, one call per distinct set of
 * roles), or, for agents of earlier versions that did not keep their roles, the season's roles' — only when
 * billing is configured.
 */
async function costsOf(session: SeasonSession, records: AgentRecord[]): Promise<SeasonCosts> {
  const base = { season: session.season, org: session.org, records, now: Date.now() };
  if (!session.org.billing) return seasonCosts({ ...base, licenses: new Map(), inferred: [] });
  const able = records.filter((r) => r.state?.genesysUserId !== undefined && r.state.access?.until === undefined);
  const licenses = await session.genesys.licensesOfUsers(able.map((r) => r.state!.genesysUserId!));
  const byRoles = new Map<string, string[]>();
  for (const r of records) {
    const id = r.state?.genesysUserId;
    const roleIds = r.state?.access?.roleIds;
    if (id === undefined || licenses.has(id) || roleIds === undefined) continue;
    const key = roleIds.join(',');
    if (!byRoles.has(key)) byRoles.set(key, await session.genesys.inferLicenses(roleIds));
    licenses.set(id, byRoles.get(key)!);
  }
  const gone = records.some((r) => r.state?.genesysUserId !== undefined && !licenses.has(r.state.genesysUserId));
  let inferred: string[] = [];
  if (gone) {
    const names = new Set(session.season.mapping.rules.flatMap((rule) => rule.roles.map((g) => g.role)));
    const roleIds = (await session.genesys.catalog()).roles.filter((r) => names.has(r.name)).map((r) => r.id);
    inferred = await session.genesys.inferLicenses(roleIds);
  }
  return seasonCosts({ ...base, licenses, inferred });
}

const COLUMNS: Array<[string, (r: SeasonReport) => string | number]> = [
  ['org', (r) => r.orgId],
  ['season', (r) => r.seasonId],
  ['agents', (r) => r.agents],
  ['provisioned', (r) => r.provisioned],
  ['active', (r) => r.active],
  ['deprovisioned', (r) => r.deprovisioned],
  ['failed', (r) => r.failed],
  ['licenses held', (r) => r.licensesHeld],
  ['leftover licenses', (r) => r.leftoverLicenses.length],
  ['in queues', (r) => r.inQueues],
  ['left in queues', (r) => r.leftInQueues.length],
  ['logged in', (r) => r.costs.readiness.loggedIn],
  ['logged in first', (r) => r.costs.readiness.loggedInFirst.length],
  ['dormant', (r) => r.costs.dormant.length],
];

export async function reportCommand(
  ctx: CommandContext,
  seasonIds: string[],
  options: { format?: string; out?: string },
): Promise<number> {
  const format = (ctx.json ? 'json' : (options.format ?? 'table')) as ReportFormat;
  if (!FORMATS.includes(format)) throw new UserError(`--format ${format}: use ${FORMATS.join(', ')}`);
  if (options.out !== undefined && format !== 'html') throw new UserError('--out is for --format html');
  const all = [...ctx.config().seasons.values()].sort(
    (a, b) => a.orgId.localeCompare(b.orgId) || a.id.localeCompare(b.id),
  );
  const ids = seasonIds.length > 0 ? seasonIds : all.map((s) => s.id);
  if (ids.length === 0) throw new UserError('no seasons in the config directory');
  const reports: SeasonReport[] = [];
  for (const id of ids) reports.push(await seasonReport(ctx, id));

  if (format === 'html') {
    const file = path.resolve(options.out ?? 'season-report.html');
    const page = { generatedAt: new Date().toISOString(), seasons: reports.map((r) => seasonPage(ctx.config(), r)) };
    writeFileSync(file, renderReportHtml(page));
    ctx.out.line(`wrote the season report: ${file}`);
  } else if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ seasons: reports }, null, 2)}\n`);
  } else if (format === 'csv') {
    process.stdout.write(
      `${csv(
        COLUMNS.map(([h]) => h),
        reports.map((r) => COLUMNS.map(([, f]) => f(r))),
      )}\n`,
    );
  } else {
    for (const line of table(
      COLUMNS.map(([h]) => h),
      reports.map((r) => COLUMNS.map(([, f]) => f(r))),
    ))
      ctx.out.line(line);
    for (const r of reports) {
      for (const l of r.leftoverLicenses)
        ctx.out.line(
          `  leftover license: ${r.seasonId} agent ${l.oktaUserId} → Genesys user ${l.genesysUserId} (${l.why})`,
        );
      for (const l of r.leftInQueues)
        ctx.out.line(`  left in a queue: ${r.seasonId} agent ${l.oktaUserId} → Genesys user ${l.genesysUserId}`);
      for (const line of costLines(ctx.config(), r)) ctx.out.line(`  ${line}`);
      if (r.unreadable > 0)
        ctx.out.note(
          `warning: ${r.seasonId}: the state of ${r.unreadable} agent(s) could not be read (is a worker running?)`,
        );
    }
  }
  return 0;
}
