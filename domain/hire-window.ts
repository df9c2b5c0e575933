// Which seasons take hires now: the hook receiver and the catch-up start agents only in these.
//
// Just in time also means before the season starts: an agent hired into a season group a week early is
// provisioned at once (trained, able to log in on day one), as `season start` already does ahead of the start.
// One exception: seasons of an org often reuse the same Okta groups year after year. While a started season of
// the org maps a group, a season that has not started yet and maps the same group waits: the members belong to
// the running season, and two workflows must never own one Genesys user. It opens when that season ends.
import type { SeasonShape } from './season';

export type SeasonWindow = Pick<SeasonShape, 'id' | 'orgId' | 'endsAt' | 'mapping'> & {
  /** ISO-8601 instant. */
  startsAt: string;
};

export type HireStatus = { open: true } | { open: false; why: 'ended' | 'waiting'; detail: string };

export function hireStatus(season: SeasonWindow, all: Iterable<SeasonWindow>, now: number): HireStatus {
  if (Date.parse(season.endsAt) <= now)
    return { open: false, why: 'ended', detail: `season ${season.id} ended at ${season.endsAt}` };
  if (Date.parse(season.startsAt) <= now) return { open: true };
  // Names or ids as the mappings spell them: the same group spelled both ways is not noticed here.
  const mine = new Set(season.mapping.rules.map((r) => r.group));
  for (const other of all) {
    if (other.id === season.id || other.orgId !== season.orgId) continue;
    const running = Date.parse(other.startsAt) <= now && now < Date.parse(other.endsAt);
    const shared = other.mapping.rules.map((r) => r.group).filter((g) => mine.has(g));
    if (running && shared.length > 0) {
      return {
        open: false,
        why: 'waiting',
        detail: `season ${other.id} maps the same Okta group(s) (${shared.join(', ')}) until ${other.endsAt}`,
      };
    }
  }
  return { open: true };
}

export function seasonsTakingHires<S extends SeasonWindow>(all: Iterable<S>, now: number): S[] {
  const list = [...all];
  return list.filter((s) => hireStatus(s, list, now).open);
}
