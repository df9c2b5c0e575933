// `season plan <season> --roster <csv> | --from-okta`: the dry run of a wave. Per agent, what `start` would make
// its workflow do (create, adopt, grants to add, grants left alone), totals, and the wave's duration at the
// org's request budget. Only reads: nothing is written to Genesys, Okta or Temporal.
import { AgentPlan, planWave, PlanAgentFacts, WavePlan } from '../../domain/plan';
import { formatPreflight } from '../../domain/preflight';
import type { CommandContext } from './context';
import { inParallel } from '../../operations/concurrency';
import { progress } from './support/progress';
import { openSeason, runPreflight, waveAgents } from './support/season';
import { humanDuration, plural, table } from './support/table';
import { listAgents } from '../../operations/visibility';
import { seasonBillingWarnings } from './support/season-costs';

export interface PlanOptions {
  roster?: string;
  fromOkta?: boolean;
  /** Requests per minute for the plan's own reads (default: the org's budget). */
  rate?: number;
}

function describeAction(a: AgentPlan): string {
  switch (a.action) {
    case 'create':
      return 'create user';
    case 'adopt':
      return a.reactivate ? 'adopt + reactivate' : 'adopt existing';
    case 'already-started':
      return 'nothing (workflow running)';
    case 'already-ended':
      return 'nothing (workflow ended)';
    case 'not-mapped':
      return 'nothing (no mapped group)';
  }
}

function notes(a: AgentPlan): string {
  const n: string[] = [];
  if (a.moveHomeFrom) n.push(`home moves from "${a.moveHomeFrom}"`);
  if (a.grantsLeftAlone.length > 0) n.push(`keeps ${plural(a.grantsLeftAlone.length, 'unmapped grant')}`);
  if (a.externalIdMismatch) n.push('externalId names another identity');
  if (a.conflicts.length > 0) n.push(plural(a.conflicts.length, 'home-division conflict'));
  return n.join('; ');
}

/** What the agent will hold for routing: skills and languages with proficiency, and queues. */
function routingLine(a: WavePlan['agents'][number]): string {
  const parts: string[] = [];
  const list = (xs: Array<{ name: string; proficiency: number }>) => xs.map((x) => `${x.name} ${x.proficiency}`);
  if (a.skills.length > 0) parts.push(`skills ${list(a.skills).join(', ')}`);
  if (a.languages.length > 0) parts.push(`languages ${list(a.languages).join(', ')}`);
  if (a.queues.length > 0) parts.push(`queues ${a.queues.join(', ')}`);
  return parts.join('; ');
}

function printPlan(ctx: CommandContext, plan: WavePlan): void {
  const rows = plan.agents.map((a) => [
    a.oktaUserId,
    a.login,
    describeAction(a),
    a.homeDivision,
    a.grantsToAdd.length > 0 ? `+${a.grantsToAdd.length}` : '',
    a.grantsToRemove.length > 0 ? `-${a.grantsToRemove.length}` : '',
    notes(a),
  ]);
  for (const line of table(['oktaUserId', 'login', 'action', 'home division', 'add', 'remove', 'notes'], rows))
    ctx.out.line(line);
  for (const a of plan.agents) {
    if (a.grantsToAdd.length > 0)
      ctx.out.line(`  ${a.oktaUserId}: + ${a.grantsToAdd.map((g) => `${g.role} @ ${g.division}`).join(', ')}`);
    const routing = routingLine(a);
    if (routing && (a.action === 'create' || a.action === 'adopt')) ctx.out.line(`  ${a.oktaUserId}: ${routing}`);
  }
  const t = plan.totals;
  ctx.out.line('');
  ctx.out.line(
    `${plural(t.agents, 'agent')}: ${t.create} new, ${t.adopt} adopted, ${t.alreadyStarted + t.alreadyEnded} already started, ${t.notMapped} not mapped; ` +
      `${plural(t.grantsToAdd, 'grant')} to add, ${t.grantsToRemove} to remove`,
  );
  ctx.out.line(
    `wave: ${plural(t.apiCalls, 'Genesys call')} at ${plan.requestsPerMinute}/min ≈ ${humanDuration(plan.estimatedSeconds * 1000)}`,
  );
}

export async function planCommand(ctx: CommandContext, seasonId: string, options: PlanOptions): Promise<number> {
  const session = openSeason(ctx, seasonId, {
    forWave: true,
    requireOkta: options.fromOkta === true,
    ...(options.rate ? { requestsPerMinute: options.rate } : {}),
  });
  const { report, catalog, oktaGroups } = await runPreflight(session);
  if (!report.ok) {
    ctx.out.json({ preflight: report });
    for (const line of formatPreflight(report)) ctx.out.line(line);
    ctx.out.note('plan needs a clean preflight: fix the mapping (or the org) first');
    return 1;
  }
  const wave = await waveAgents(session, options, oktaGroups);
  for (const r of wave.rejected) ctx.out.note(r);

  const { client } = await ctx.temporal();
  const existing = new Map((await listAgents(client, session.season)).map((e) => [e.oktaUserId, e.status]));
  const bar = progress(ctx.out, wave.agents.length, 'reading Genesys');
  const facts = await inParallel(wave.agents, 16, async (w): Promise<PlanAgentFacts> => {
    const status = existing.get(w.agent.oktaUserId);
    try {
      if (status !== undefined)
        return { agent: w.agent, groups: w.groups, workflow: status === 'RUNNING' ? 'running' : 'closed' };
      const user = await session.genesys.findUser(w.agent.login);
      const directGrants = user ? await session.genesys.directGrants(user.id) : undefined;
      return { agent: w.agent, groups: w.groups, user, ...(directGrants ? { directGrants } : {}) };
    } finally {
      bar.tick();
    }
  });
  bar.stop();

  const plan = planWave({
    seasonId: session.season.id,
    orgId: session.org.id,
    mapping: session.season.mapping,
    resolved: report.resolved,
    catalog,
    defaultRoleIds: catalog.defaultRoleIds,
    requestsPerMinute: session.org.genesys.requestsPerMinute,
    agents: facts,
  });
  const t = plan.totals;
  const warnings = seasonBillingWarnings(session.season, session.org, t.create + t.adopt + t.alreadyStarted);
  ctx.out.json({ ...plan, rejected: wave.rejected, billingWarnings: warnings });
  printPlan(ctx, plan);
  for (const w of warnings) ctx.out.line(`warning: ${w.message}`);
  if (wave.kind === 'roster' && wave.rejected.length > 0) {
    ctx.out.note(`${plural(wave.rejectedCount, 'row')} of ${wave.source} would be refused by start (see above)`);
    return 1;
  }
  return 0;
}
