// Role, division and queue names → Genesys ids. The starter passes what preflight resolved, so the happy path
// makes no lookup call; a name not known yet costs one lookup activity per kind (roles, divisions, queues).
// Skills and languages need no ids: SCIM carries them by name.
import type { GenesysActivities } from '../activities/types';
import { ALL_DIVISIONS, Entitlements } from '../domain/mapping';
import type { GrantView, NameResolution, QueueView } from './messages';
import { NeedsAttention } from './attention';

export class ResolutionCache {
  private roles: Record<string, string>;
  private divisions: Record<string, string>;
  private queues: Record<string, string>;

  constructor(initial: NameResolution | undefined) {
    this.roles = { ...(initial?.roles ?? {}) };
    this.divisions = { ...(initial?.divisions ?? {}) };
    this.queues = { ...(initial?.queues ?? {}) };
  }

  /** After an operator's retry, look everything up again: a role may have been added, renamed or re-created. */
  forgetAll(): void {
    this.roles = {};
    this.divisions = {};
    this.queues = {};
  }

  export(): NameResolution {
    const queues = Object.keys(this.queues).length > 0 ? { queues: { ...this.queues } } : {};
    return { roles: { ...this.roles }, divisions: { ...this.divisions }, ...queues };
  }

  role(name: string): string | undefined {
    return this.roles[name];
  }
  division(name: string): string | undefined {
    return name === ALL_DIVISIONS ? ALL_DIVISIONS : this.divisions[name];
  }
  queue(name: string): string | undefined {
    return this.queues[name];
  }
  learnQueues(found: Record<string, string>): void {
    Object.assign(this.queues, found);
  }
  learnRoles(found: Record<string, string>): void {
    Object.assign(this.roles, found);
  }
  learnDivisions(found: Record<string, string>): void {
    Object.assign(this.divisions, found);
  }
}

export interface ResolvedEntitlements {
  homeDivisionId: string;
  grants: GrantView[];
  queues: QueueView[];
}

export async function resolveEntitlements(
  genesys: GenesysActivities,
  orgId: string,
  entitlements: Entitlements,
  cache: ResolutionCache,
): Promise<ResolvedEntitlements> {
  const roleNames = unique(entitlements.grants.map((g) => g.role));
  const divisionNames = unique([entitlements.homeDivision, ...entitlements.grants.map((g) => g.division)]);

  const unknownRoles = roleNames.filter((n) => cache.role(n) === undefined);
  if (unknownRoles.length > 0) cache.learnRoles(await genesys.lookupRoles({ orgId, names: unknownRoles }));
  const unknownDivisions = divisionNames.filter((n) => cache.division(n) === undefined);
  if (unknownDivisions.length > 0)
    cache.learnDivisions(await genesys.lookupDivisions({ orgId, names: unknownDivisions }));
  const unknownQueues = entitlements.queues.filter((n) => cache.queue(n) === undefined);
  if (unknownQueues.length > 0) cache.learnQueues(await genesys.lookupQueues({ orgId, names: unknownQueues }));

  // Report every missing name at once, so one fix of the mapping or the org is enough.
  const problems = [
    ...roleNames.filter((n) => cache.role(n) === undefined).map((n) => `role "${n}" not found in org ${orgId}`),
    ...divisionNames
      .filter((n) => cache.division(n) === undefined)
      .map((n) => `division "${n}" not found in org ${orgId}`),
    ...entitlements.queues
      .filter((n) => cache.queue(n) === undefined)
      .map((n) => `queue "${n}" not found in org ${orgId}`),
  ];
  if (problems.length > 0) throw new NeedsAttention(problems.join('; '));

  return {
    homeDivisionId: cache.division(entitlements.homeDivision)!,
    grants: entitlements.grants.map((g) => ({
      role: g.role,
      division: g.division,
      roleId: cache.role(g.role)!,
      divisionId: cache.division(g.division)!,
    })),
    queues: entitlements.queues.map((name) => ({ name, queueId: cache.queue(name)! })),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
