// One user's planned work → the trigger for each org concerned. Pure: which orgs and seasons a trigger names is
// unit-tested without Temporal. The season shapes travel along, so the worker applies the mapping the receiver
// saw as active when the event came.
import type { SeasonConfig } from '../config/types';
import type { NameResolution } from '../domain/agent';
import type { SeasonShape } from '../domain/season';
import type { OktaTrigger } from '../workflows/okta-events/contract';
import type { UserWork } from './plan';

const shapeOf = (s: SeasonConfig): SeasonShape => ({
  id: s.id,
  orgId: s.orgId,
  endsAt: s.endsAt,
  policy: s.policy,
  mapping: s.mapping,
});

export function triggersFor(
  work: UserWork,
  seasons: SeasonConfig[],
  resolved?: (seasonId: string) => NameResolution | undefined,
): Array<{ orgId: string; trigger: OktaTrigger }> {
  // A create or a lifecycle event concerns every org with an active season (the person's one workflow there
  // holds every season, also ones this receiver does not see as active); a membership event, its seasons' orgs.
  const orgIds = new Set(
    seasons
      .filter((s) => work.checkAllSeasons || work.lifecycle || work.namedSeasonIds.includes(s.id))
      .map((s) => s.orgId),
  );
  return [...orgIds].map((orgId) => {
    const candidates = seasons.filter(
      (s) => s.orgId === orgId && (work.checkAllSeasons || work.namedSeasonIds.includes(s.id)),
    );
    const ids: Record<string, NameResolution> = {};
    for (const s of candidates) {
      const r = resolved?.(s.id);
      if (r) ids[s.id] = r;
    }
    const trigger: OktaTrigger = {
      seasons: candidates.map(shapeOf),
      namedSeasonIds: work.namedSeasonIds.filter((id) => candidates.some((s) => s.id === id)),
      checkAllSeasons: work.checkAllSeasons,
      lifecycle: work.lifecycle,
      ...(work.groupsAsOf !== undefined ? { groupsAsOf: work.groupsAsOf } : {}),
      ...(Object.keys(ids).length > 0 ? { resolved: ids } : {}),
    };
    return { orgId, trigger };
  });
}
