// `season start <season> --roster <csv> | --from-okta [--partial]`: one lifecycle workflow per agent. Refuses
// while preflight fails, and (from a roster) while any row is bad unless --partial. Idempotent: an agent whose
// workflow exists is reported, never started twice. Starts run in parallel; Genesys pacing is the workers' job.
import { formatPreflight } from '../../domain/preflight';
import { UserError } from '../../platform/errors';
import { seasonalAgentInput, enrolAgent, StartOutcome } from '../../operations/seasonal-agent';
import type { CommandContext } from './context';
import { inParallel } from '../../operations/concurrency';
import { progress } from './support/progress';
import { openSeason, runPreflight, waveAgents } from './support/season';
import { plural } from './support/table';
import { webUiLink } from '../../operations/visibility';

export interface StartOptions {
  roster?: string;
  fromOkta?: boolean;
  partial?: boolean;
  concurrency?: number;
}

export interface StartSummary {
  seasonId: string;
  orgId: string;
  source: string;
  started: number;
  /** Already at work in another season of the org: enrolled in this one by their running workflow. */
  enrolled: number;
  alreadyRunning: number;
  alreadyEnded: number;
  failed: Array<{ oktaUserId: string; error: string }>;
  rejected: string[];
  webUi: string;
}

export async function startCommand(ctx: CommandContext, seasonId: string, options: StartOptions): Promise<number> {
  const session = openSeason(ctx, seasonId, { forWave: true, requireOkta: options.fromOkta === true });
  const now = new Date();
  if (Date.parse(session.season.endsAt) <= now.getTime()) {
    throw new UserError(
      `season ${seasonId} ended at ${session.season.endsAt}: nothing to start (move its end in the season file first)`,
    );
  }
  const { report, oktaGroups } = await runPreflight(session);
  if (!report.ok) {
    ctx.out.json({ preflight: report });
    for (const line of formatPreflight(report)) ctx.out.line(line);
    ctx.out.note('start refused: preflight fails (nothing was started)');
    return 1;
  }
  const wave = await waveAgents(session, options, oktaGroups);
  if (wave.kind === 'roster' && wave.rejected.length > 0 && options.partial !== true) {
    for (const r of wave.rejected) ctx.out.note(r);
    ctx.out.json({ seasonId, started: 0, rejected: wave.rejected });
    ctx.out.note(
      `start refused: ${plural(wave.rejectedCount, 'bad row')} in ${wave.source}; nothing was started (fix them, or start the valid rows with --partial)`,
    );
    return 1;
  }
  for (const r of wave.rejected) ctx.out.note(`skipped: ${r}`);

  const { client, namespace } = await ctx.temporal();
  const counts: Record<StartOutcome, number> = { started: 0, enrolled: 0, 'already-enrolled': 0, 'already-ended': 0 };
  const failed: StartSummary['failed'] = [];
  const bar = progress(ctx.out, wave.agents.length, 'starting');
  await inParallel(wave.agents, options.concurrency ?? 32, async (agent) => {
    try {
      const { outcome } = await enrolAgent(
        client,
        seasonalAgentInput(session.season, agent.agent, agent.groups, now.toISOString(), report.resolved),
      );
      counts[outcome] += 1;
    } catch (err) {
      failed.push({ oktaUserId: agent.agent.oktaUserId, error: err instanceof Error ? err.message : String(err) });
    } finally {
      bar.tick();
    }
  });
  bar.stop();

  const summary: StartSummary = {
    seasonId,
    orgId: session.org.id,
    source: wave.source,
    started: counts.started,
    enrolled: counts.enrolled,
    alreadyRunning: counts['already-enrolled'],
    alreadyEnded: counts['already-ended'],
    failed: failed.sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId)),
    rejected: wave.rejected,
    webUi: webUiLink(ctx.env, namespace, session.season),
  };
  ctx.out.json(summary);
  ctx.out.line(
    `season ${seasonId} (${session.org.id}) from ${wave.source}: ${summary.started} started, ${summary.enrolled} joined from another season, ` +
      `${summary.alreadyRunning} already running, ` +
      `${summary.alreadyEnded} already ended, ${failed.length} failed` +
      (wave.rejectedCount > 0 ? `, ${wave.rejectedCount} skipped` : ''),
  );
  for (const f of summary.failed) ctx.out.line(`  failed ${f.oktaUserId}: ${f.error}`);
  ctx.out.line(`watch: ${summary.webUi}`);
  return failed.length > 0 ? 1 : 0;
}
