// `season preflight <season>`: every mapped role, division and Okta group checked against the live org with
// read-only calls; all mismatches at once, with the closest existing names. Exit 1 when anything is wrong.
import { formatProblem } from '../../config/load';
import { formatPreflight } from '../../domain/preflight';
import type { CommandContext } from './context';
import { openSeason, runPreflight } from './support/season';
import { seasonBillingWarnings } from './support/season-costs';
import { countAgents } from '../../operations/visibility';
import type { SeasonConfig } from '../../config/types';

export async function preflightCommand(ctx: CommandContext, seasonId: string): Promise<number> {
  const session = openSeason(ctx, seasonId);
  for (const w of ctx.config().warnings) ctx.out.note(`warning: ${formatProblem(w)}`);
  const { report } = await runPreflight(session);
  if (!session.okta) ctx.out.note(`note: Okta groups not checked (org ${session.org.id} has no Okta connection)`);
  const billing = seasonBillingWarnings(session.season, session.org, await agentsOf(ctx, session.season));
  ctx.out.json({ ...report, billingWarnings: billing });
  for (const line of formatPreflight(report)) ctx.out.line(line);
  for (const w of billing) ctx.out.line(`  warning: ${w.message}`);
  return report.ok ? 0 : 1;
}

/**
 * How many agents the billing warnings count: the season's agents in Temporal; 0 (unknown) before any is started
 * or when no Temporal is reachable (preflight needs none).
 */
async function agentsOf(ctx: CommandContext, season: SeasonConfig): Promise<number> {
  try {
    const { client } = await ctx.temporal();
    return await countAgents(client, season);
  } catch {
    return 0;
  }
}
