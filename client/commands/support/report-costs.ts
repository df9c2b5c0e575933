// How `season report` shows what a season costs: the lines under the table, and the page `--format html` draws.
import { findSeason, type LoadedConfig } from '../../../config/load';
import type { SeasonReport } from '../report';
import type { SeasonPage } from './report-page-model';
import { plural } from './table';

const iso = (t: number) => new Date(t).toISOString();

function when(t: number | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(typeof t === 'string' ? Date.parse(t) : t);
}

/** The lines printed under the report's table for one season. */
export function costLines(config: LoadedConfig, r: SeasonReport): string[] {
  const { season } = findSeason(config, r.seasonId);
  const { readiness, billing, dormant, exposedAfterSeason } = r.costs;
  const lines = [`${r.seasonId}: ${readiness.headline}`];
  for (const miss of readiness.loggedInFirst)
    lines.push(
      `  logged in before Active: agent ${miss.oktaUserId} (first login ${when(miss.firstLogin, season.timeZone)}, ${
        miss.activeAt !== undefined ? `Active ${when(miss.activeAt, season.timeZone)}` : 'never Active'
      })`,
    );
  if (billing) {
    const tz = billing.timeZone;
    lines.push(`${r.seasonId}: billing (${billing.model}, periods from day ${billing.periodStartDay}, ${tz}):`);
    for (const p of billing.periods) {
      const licenses = p.licenses.map((l) => `${l.license} ${l.billable}/${l.exposed}`).join(', ');
      lines.push(
        `  ${when(p.start, tz)} – ${when(p.end, tz)}: ${p.billable} billable (logged in), ${p.exposed} exposed (able to log in)${
          licenses ? `; licenses billable/exposed: ${licenses}` : ''
        }`,
      );
    }
    if (billing.peakExposed !== undefined)
      lines.push(`  concurrent model: at most ${billing.peakExposed} seasonal users could log in at once`);
    for (const w of billing.warnings) lines.push(`  warning: ${w.message}`);
  } else {
    lines.push(`${r.seasonId}: billing: not configured (orgs.yaml billing: model, periodStartDay)`);
  }
  lines.push(
    dormant.length === 0
      ? `${r.seasonId}: dormant: none (Active, no login ${plural(season.dormantAfterDays, 'day')} after the start)`
      : `${r.seasonId}: dormant (Active, no login ${plural(season.dormantAfterDays, 'day')} after the start): ${dormant.length}: ${dormant
          .map((d) => d.oktaUserId)
          .join(', ')}`,
  );
  if (exposedAfterSeason.length > 0)
    lines.push(
      `${r.seasonId}: still able to log in after their season: ${exposedAfterSeason.length}: ${exposedAfterSeason.join(', ')}`,
    );
  return lines;
}

/** One season of the HTML page. */
export function seasonPage(config: LoadedConfig, r: SeasonReport): SeasonPage {
  const { season } = findSeason(config, r.seasonId);
  const { readiness, billing } = r.costs;
  return {
    orgId: r.orgId,
    seasonId: r.seasonId,
    startsAt: season.startsAt,
    endsAt: season.endsAt,
    timeZone: season.timeZone,
    counts: {
      agents: r.agents,
      provisioned: r.provisioned,
      active: r.active,
      needsAttention: r.needsAttention,
      deprovisioned: r.deprovisioned,
      failed: r.failed,
      licensesHeld: r.licensesHeld,
    },
    phases: r.costs.phases,
    logins: {
      loggedIn: readiness.loggedIn,
      readyBeforeFirstLogin: readiness.ready,
      loggedInFirst: readiness.loggedInFirst.map((m) => ({
        oktaUserId: m.oktaUserId,
        firstLogin: iso(m.firstLogin),
        ...(m.activeAt !== undefined ? { activeAt: iso(m.activeAt) } : {}),
      })),
      ...(readiness.medianLeadMs !== undefined ? { medianLeadMs: readiness.medianLeadMs } : {}),
      perDay: r.costs.perDay,
      headline: readiness.headline,
    },
    ...(billing
      ? {
          billing: {
            model: billing.model,
            periodStartDay: billing.periodStartDay,
            periods: billing.periods.map((p) => ({ ...p, start: iso(p.start), end: iso(p.end) })),
            warnings: [
              ...billing.warnings.map((w) => w.message),
              ...(billing.peakExposed !== undefined
                ? [`concurrent model: at most ${billing.peakExposed} seasonal users could log in at once`]
                : []),
            ],
          },
        }
      : {}),
    wave: r.costs.wave,
    dormant: { afterDays: season.dormantAfterDays, agents: r.costs.dormant },
    leftovers: { licenses: r.leftoverLicenses, queues: r.leftInQueues },
  };
}
