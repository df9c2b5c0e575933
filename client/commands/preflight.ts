// `season preflight <season>`: every mapped role, division and Okta group checked against the live org with
// read-only calls; all mismatches at once, with the closest existing names. Exit 1 when anything is wrong.
import { formatProblem } from '../../config/load';
import { formatPreflight } from '../../domain/preflight';
import type { CommandContext } from './context';
import { openSeason, runPreflight } from './support/season';

export async function preflightCommand(ctx: CommandContext, seasonId: string): Promise<number> {
  const session = openSeason(ctx, seasonId);
  for (const w of ctx.config().warnings) ctx.out.note(`warning: ${formatProblem(w)}`);
  const { report } = await runPreflight(session);
  if (!session.okta) ctx.out.note(`note: Okta groups not checked (org ${session.org.id} has no Okta connection)`);
  ctx.out.json(report);
  for (const line of formatPreflight(report)) ctx.out.line(line);
  return report.ok ? 0 : 1;
}
