// Doctor's clock checks: this machine's clock against the Date header of Genesys and Okta (a skewed clock breaks
// Okta's signed client assertions and moves every season end), and each season's time zone as this Node knows it.
import type { OrgConfig } from '../../../config/types';
import { resolveGenesysBaseUrls } from '../../../integrations/genesys/regions';
import type { CommandContext } from '../context';
import { failed, passed, type Check } from './doctor-check';

/** Okta accepts client assertions within minutes; our timers and reports want far less. */
export const MAX_CLOCK_SKEW_MS = 30_000;

async function skewAgainst(url: string): Promise<number | undefined> {
  const before = Date.now();
  const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  const after = Date.now();
  const date = response.headers.get('date');
  if (!date) return undefined;
  // The header has whole seconds: compare with the middle of the request.
  return Date.parse(date) - (before + after) / 2;
}

export async function clockChecks(ctx: CommandContext, org: OrgConfig): Promise<Check[]> {
  const checks: Check[] = [];
  const targets: Array<[string, string]> = [
    ['Genesys', resolveGenesysBaseUrls({ region: org.genesys.region, apiBaseUrl: org.genesys.apiBaseUrl }).apiBaseUrl],
  ];
  if (org.okta) targets.push(['Okta', org.okta.orgUrl]);
  for (const [who, url] of targets) {
    const skew = await skewAgainst(url);
    if (skew === undefined) {
      checks.push(failed(org.id, 'clock', `${who} sent no Date header: cannot compare clocks`));
      continue;
    }
    const seconds = (skew / 1000).toFixed(1);
    checks.push(
      Math.abs(skew) <= MAX_CLOCK_SKEW_MS + 1000
        ? passed(org.id, 'clock', `this machine's clock is within ${Math.abs(Number(seconds))} s of ${who}'s`)
        : failed(org.id, 'clock', `this machine's clock is ${seconds} s off ${who}'s: set it with NTP`),
    );
  }
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const season of [...ctx.config().seasons.values()].filter((s) => s.orgId === org.id)) {
    try {
      const end = new Intl.DateTimeFormat('en-US', {
        timeZone: season.timeZone,
        dateStyle: 'medium',
        timeStyle: 'short',
      }).format(new Date(season.endsAt));
      checks.push(
        passed(org.id, 'timezone', `season ${season.id} ends ${end} ${season.timeZone} (this machine: ${local})`),
      );
    } catch {
      checks.push(failed(org.id, 'timezone', `season ${season.id}: time zone ${season.timeZone} is unknown here`));
    }
  }
  return checks;
}
