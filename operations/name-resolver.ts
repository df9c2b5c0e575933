// Role, division and queue names → ids, per season, refreshed in the background. Starters (hook receiver, catch-up)
// pass them in the workflow input, so the happy path of each agent makes no lookup call: two reads per org every
// few minutes instead of two per agent. Names missing here are simply left out; the workflow looks them up itself
// (and parks the agent in NeedsAttention with a readable reason when the org really lacks them).
import type { SeasonShape } from '../domain/season';
import { GenesysClient } from '../integrations/genesys';
import { ALL_DIVISIONS } from '../domain/mapping';
import type { NameResolution } from '../domain/agent';

interface OrgCatalog {
  roles: Map<string, string>;
  divisions: Map<string, string>;
  queues: Map<string, string>;
}

export interface NameResolver {
  resolved(seasonId: string): NameResolution | undefined;
  /** As resolved(), after reading the catalog again when it is older than the refresh interval (or never read). */
  resolvedFresh(seasonId: string): Promise<NameResolution | undefined>;
  refresh(): Promise<void>;
  stop(): void;
}

function namesOf(season: SeasonShape): { roles: Set<string>; divisions: Set<string>; queues: Set<string> } {
  const roles = new Set<string>();
  const queues = new Set(season.mapping.rules.flatMap((r) => r.queues ?? []));
  const divisions = new Set<string>([season.mapping.defaultHomeDivision ?? 'Home']);
  for (const rule of season.mapping.rules) {
    if (rule.homeDivision) divisions.add(rule.homeDivision);
    for (const r of rule.roles) {
      roles.add(r.role);
      for (const d of r.divisions) if (d !== ALL_DIVISIONS) divisions.add(d);
    }
  }
  return { roles, divisions, queues };
}

export function startNameResolver(opts: {
  seasons: () => SeasonShape[];
  genesys: (orgId: string) => GenesysClient | undefined;
  refreshMs?: number;
  /**
   * 'background' (the receiver, which starts agents on every hook): read now and every refreshMs. 'on-demand' (a
   * worker, whose catch-up starts agents rarely): read only when resolvedFresh() finds the catalog stale. These
   * reads are Genesys calls outside the org's rate-limited task queue; every worker process reading at start and
   * every few minutes would spend the budget's headroom for nothing.
   */
  mode?: 'background' | 'on-demand';
  onError?: (orgId: string, err: unknown) => void;
}): NameResolver {
  const catalogs = new Map<string, OrgCatalog>();
  const refreshMs = opts.refreshMs ?? 5 * 60_000;
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;
  const refresh = async () => {
    const startedAt = Date.now();
    const orgIds = new Set(opts.seasons().map((s) => s.orgId));
    for (const orgId of orgIds) {
      const client = opts.genesys(orgId);
      if (!client) continue;
      try {
        const mapsQueues = opts.seasons().some((s) => s.orgId === orgId && namesOf(s).queues.size > 0);
        const [roles, divisions, queues] = await Promise.all([
          client.listRoles({ pageSize: 100 }),
          client.listDivisions({ pageSize: 100 }),
          mapsQueues ? client.listRouting('queues', { pageSize: 100 }) : { entities: [] },
        ]);
        catalogs.set(orgId, {
          roles: new Map(roles.entities.map((r) => [r.name, r.id])),
          divisions: new Map(divisions.entities.map((d) => [d.name, d.id])),
          queues: new Map(queues.entities.map((q) => [q.name, q.id])),
        });
      } catch (err) {
        opts.onError?.(orgId, err); // keep the last good catalog; workflows fall back to their own lookups
      }
    }
    readAt = startedAt;
  };
  const timer = opts.mode === 'on-demand' ? undefined : setInterval(() => void refresh(), refreshMs);
  timer?.unref();
  const resolver: NameResolver = {
    refresh,
    stop: () => clearInterval(timer),
    async resolvedFresh(seasonId) {
      // Concurrent callers (the catch-up starts agents eight at a time) share one read.
      if (reading === undefined && Date.now() - readAt >= refreshMs)
        reading = refresh().finally(() => (reading = undefined));
      await reading;
      return resolver.resolved(seasonId);
    },
    resolved(seasonId) {
      const season = opts.seasons().find((s) => s.id === seasonId);
      const catalog = season && catalogs.get(season.orgId);
      if (!season || !catalog) return undefined;
      const wanted = namesOf(season);
      const pick = (names: Set<string>, from: Map<string, string>) =>
        Object.fromEntries([...names].flatMap((n) => (from.has(n) ? [[n, from.get(n)!]] : [])));
      const queues = pick(wanted.queues, catalog.queues);
      return {
        roles: pick(wanted.roles, catalog.roles),
        divisions: pick(wanted.divisions, catalog.divisions),
        ...(Object.keys(queues).length > 0 ? { queues } : {}),
      };
    },
  };
  return resolver;
}
