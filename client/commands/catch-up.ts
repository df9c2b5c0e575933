// `season catch-up <season> [--install [--every 5m] | --now | --remove]`: the season's catch-up reconciliation,
// a Temporal Schedule that finds what the Okta hooks missed (members without an agent, agents who left every
// season group or were stopped in Okta). Without an option: shows the schedule and its last runs.
import type { Command } from 'commander';
import { WorkflowNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { durationMs } from '../../platform/durations';
import { findSeason } from '../../config/load';
import { UserError } from '../../platform/errors';
import { catchUpScheduleId, type CatchUpResult } from '../../workflows/catch-up-contract';
import {
  DEFAULT_CATCH_UP_EVERY,
  deleteCatchUpSchedule,
  describeCatchUpSchedule,
  ensureCatchUpSchedule,
} from '../../operations/catch-up-schedule';
import type { CommandContext } from './context';

export interface CatchUpOptions {
  install?: boolean;
  every?: string;
  now?: boolean;
  remove?: boolean;
}

function intervalMs(text: string): number {
  let ms: number;
  try {
    // Checked here: ms() throws on anything that is not a duration.
    ms = durationMs(text);
  } catch {
    throw new UserError(`--every "${text}" is not a duration: write it like 5m, 15 minutes or 1h`);
  }
  if (!(ms >= 60_000)) throw new UserError(`--every ${text}: the catch-up runs at most once a minute`);
  return ms;
}

function minutes(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`;
}

/** The last runs' results (ids and counts only), newest first. */
async function lastRuns(
  client: Client,
  d: ScheduleDescription,
  count: number,
): Promise<Array<{ workflowId: string; runId: string; status: string; result?: CatchUpResult }>> {
  const recent = d.info.recentActions.slice(-count).reverse();
  return Promise.all(
    recent.map(async (a) => {
      // The scheduler names a run after its time to the second, and a manual trigger in the same second as the
      // last (closed) run starts another run under the same id: the run id tells them apart.
      const { workflowId, firstExecutionRunId: runId } = a.action.workflow;
      const handle = client.workflow.getHandle(workflowId, runId);
      try {
        const status = (await handle.describe()).status.name;
        return {
          workflowId,
          runId,
          status,
          ...(status === 'COMPLETED' ? { result: (await handle.result()) as CatchUpResult } : {}),
        };
      } catch (err) {
        // Past the namespace's retention a run is gone; the schedule still lists it.
        if (err instanceof WorkflowNotFoundError) return { workflowId, runId, status: 'GONE' };
        throw err;
      }
    }),
  );
}

function summary(r: CatchUpResult): string {
  if (r.seasonOver) return 'season over';
  if (r.waiting) return `waiting: ${r.waiting}`;
  const parts = [
    `${r.members} members`,
    `${r.started.length} started`,
    `${r.groupsGone.length + r.offboarded.length} offboarded`,
  ];
  if (r.held) parts.push(`${r.held.oktaUserIds.length} held (${r.held.reason})`);
  if (r.logins)
    parts.push(
      `logins: ${r.logins.agents} able to log in, ${r.logins.genesysReads} Genesys read(s), ${r.logins.ssoEvents} Okta SSO event(s), ${r.logins.told} agent(s) told`,
    );
  return parts.join(', ');
}

export async function catchUpCommand(ctx: CommandContext, seasonId: string, options: CatchUpOptions): Promise<number> {
  const { season } = findSeason(ctx.config(), seasonId);
  if ([options.install, options.now, options.remove].filter((o) => o === true).length > 1)
    throw new UserError('give one of --install, --now or --remove');
  if (options.every !== undefined && options.install !== true) throw new UserError('--every goes with --install');
  const everyMs = intervalMs(options.every ?? DEFAULT_CATCH_UP_EVERY);
  const scheduleId = catchUpScheduleId(season.orgId, season.id);
  const { client } = await ctx.temporal();

  if (options.install) {
    const outcome = await ensureCatchUpSchedule(client, season, { every: everyMs });
    ctx.out.json({ seasonId, scheduleId, outcome, everyMs });
    if (outcome === 'deleted' || outcome === 'absent') {
      ctx.out.line(
        `season ${seasonId} ended at ${season.endsAt}: no catch-up needed` +
          (outcome === 'deleted' ? ` (schedule ${scheduleId} deleted)` : ''),
      );
    } else {
      ctx.out.line(
        `catch-up of season ${seasonId}: schedule ${scheduleId} ${outcome}, every ${minutes(everyMs)} until the season ends (${season.endsAt})`,
      );
    }
    return 0;
  }
  if (options.remove) {
    const deleted = await deleteCatchUpSchedule(client, season.orgId, season.id);
    ctx.out.json({ seasonId, scheduleId, outcome: deleted ? 'deleted' : 'absent' });
    ctx.out.line(deleted ? `schedule ${scheduleId} deleted` : `season ${seasonId} has no catch-up schedule`);
    return 0;
  }

  const d = await describeCatchUpSchedule(client, season.orgId, season.id);
  if (!d) {
    ctx.out.json({ seasonId, scheduleId, installed: false });
    ctx.out.line(`season ${seasonId} has no catch-up schedule (install it: season catch-up ${seasonId} --install)`);
    return options.now ? 1 : 0;
  }
  if (options.now) {
    // After an outage: one run now, or right after the one in progress (never two at once).
    await client.schedule.getHandle(scheduleId).trigger('BUFFER_ONE');
    ctx.out.json({ seasonId, scheduleId, triggered: true });
    ctx.out.line(`catch-up of season ${seasonId} triggered (watch: season catch-up ${seasonId})`);
    return 0;
  }
  const runs = await lastRuns(client, d, 3);
  const every = d.spec.intervals?.[0]?.every;
  ctx.out.json({
    seasonId,
    scheduleId,
    installed: true,
    everyMs: every,
    paused: d.state.paused,
    nextRuns: d.info.nextActionTimes,
    runs,
  });
  ctx.out.line(
    `catch-up of season ${seasonId}: schedule ${scheduleId}, every ${every !== undefined ? minutes(every) : '?'}${d.state.paused ? ', PAUSED' : ''}`,
  );
  if (d.info.nextActionTimes[0]) ctx.out.line(`  next run ${d.info.nextActionTimes[0].toISOString()}`);
  for (const r of runs)
    ctx.out.line(`  ${r.workflowId} (run ${r.runId}): ${r.status}${r.result ? ` — ${summary(r.result)}` : ''}`);
  return 0;
}

type Action = <A extends unknown[]>(
  program: Command,
  run: (ctx: CommandContext, ...args: A) => Promise<number>,
) => (...args: A) => Promise<void>;

/** One registration line in cli.ts: `registerCatchUpCommand(program, action)`. */
export function registerCatchUpCommand(program: Command, action: Action): void {
  program
    .command('catch-up')
    .description(
      "the season's catch-up schedule: start agents whose Okta event was dropped, offboard leavers it missed",
    )
    .argument('<season>', 'season id')
    .option('--install', `create or update the schedule (every ${DEFAULT_CATCH_UP_EVERY} unless --every)`)
    .option('--every <interval>', 'how often it runs: 5m, 15 minutes, 1h')
    .option('--now', 'run it now (after a hook outage)')
    .option('--remove', 'delete the schedule')
    .action(action(program, (ctx, season: string, o: CatchUpOptions) => catchUpCommand(ctx, season, o)));
}
