// `season extend <season> [agent…] --to <when> | --by <duration>`: moves the season's end for running agents
// (their durable timers move with it). Without agent ids: every running agent of the season. The season file's
// `end` still applies to agents started later: the command says so.
import { findSeason } from '../../config/load';
import { zonedTimeToInstant } from '../../config/schema-time';
import { UserError } from '../../platform/errors';
import { agentStateQuery, moveSeasonEndUpdate } from '../../workflows/agent/contract';
import type { CommandContext } from './context';
import { applyToTargets, finish } from './support/apply';
import { plural } from './support/table';
import { selectTargets, Target } from './support/targets';
import { seasonBillingWarnings } from './support/season-costs';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "7d", "12h", "90m", "2w". */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/.exec(text);
  if (!m) throw new UserError(`--by "${text}" is not a duration: write it like 7d, 12h, 90m or 2w`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export async function extendCommand(
  ctx: CommandContext,
  seasonId: string,
  agents: string[],
  options: { to?: string; by?: string },
): Promise<number> {
  const { season, org } = findSeason(ctx.config(), seasonId);
  if ((options.to === undefined) === (options.by === undefined))
    throw new UserError('give either --to <date and time> or --by <duration>');
  let fixedEnd: string | undefined;
  if (options.to !== undefined) {
    const parsed = zonedTimeToInstant(options.to, season.timeZone);
    if (!parsed.ok) throw new UserError(`--to ${parsed.problem}`);
    if (Date.parse(parsed.iso) <= Date.now())
      throw new UserError(`--to ${options.to} (${season.timeZone}) is in the past: use end-now to end the season now`);
    fixedEnd = parsed.iso;
  }
  const byMs = options.by !== undefined ? parseDuration(options.by) : 0;

  const { client } = await ctx.temporal();
  /** --by moves the agent's own end in this season (an earlier extend may have moved it already). */
  const newEnd = async (t: Target): Promise<string> => {
    if (fixedEnd) return fixedEnd;
    const state = await client.workflow.getHandle(t.workflowId).query(agentStateQuery);
    const current = state.enrolments.find((e) => e.seasonId === seasonId)?.seasonEndsAt ?? season.endsAt;
    return new Date(Date.parse(current) + byMs).toISOString();
  };
  const { targets, ended } = await selectTargets(client, season, { agents, allByDefault: true });
  // Billing: an end just inside a new period bills every agent who logs in during it for the whole period.
  const warnEnd = fixedEnd ?? (targets.length > 0 ? await newEnd(targets[0]!) : undefined);
  if (warnEnd !== undefined)
    for (const w of seasonBillingWarnings(season, org, targets.length, warnEnd))
      if (w.kind === 'end-inside-period') ctx.out.note(`warning: ${w.message}`);
  const result = await applyToTargets(ctx, targets, 'extending', async (t) =>
    client.workflow
      .getHandle(t.workflowId)
      .executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId, newEnd: await newEnd(t) }] }),
  );
  const what = fixedEnd ? `to ${fixedEnd}` : `by ${options.by}`;
  const code = finish(
    ctx,
    `season ${seasonId}: end moved ${what} for ${plural(result.done.length, 'agent')}, ${result.failed.length} failed`,
    result,
    ended,
    {
      seasonId,
      ...(fixedEnd ? { newEnd: fixedEnd } : { by: options.by }),
    },
  );
  if (agents.length === 0)
    ctx.out.note(
      `note: agents started later still end at the season file's end (${season.endsAt}); change "end" there too`,
    );
  return code;
}
