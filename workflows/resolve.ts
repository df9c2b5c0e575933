// Role and division names → Genesys ids. The starter passes what preflight resolved, so the happy path makes
// no lookup call; a name not known yet costs one lookup activity per kind (roles, divisions).
import type { GenesysActivities } from '../activities/types';
import { ALL_DIVISIONS, Entitlements } from '../domain/mapping';
import type { GrantView, NameResolution } from './messages';
import { NeedsAttention } from './attention';

export class ResolutionCache {
  private roles: Record<string, string>;
  private divisions: Record<string, string>;

  constructor(initial: NameResolution | undefined) {
    this.roles = { ...(initial?.roles ?? {}) };
    this.divisions = { ...(initial?.divisions ?? {}) };
  }

  /** After an operator's retry, look everything up again: a role may have been added, renamed or re-created. */
  forgetAll(): void {
    this.roles = {};
    this.divisions = {};
  }

  export(): NameResolution {
    return { roles: { ...this.roles }, divisions: { ...this.divisions } };
  }

  role(name: string): string | undefined {
    return this.roles[name];
  }
  division(name: string): string | undefined {
    return name === ALL_DIVISIONS ? ALL_DIVISIONS : this.divisions[name];
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

  // Report every missing name at once, so one fix of the mapping or the org is enough.
  const problems = [
    ...roleNames.filter((n) => cache.role(n) === undefined).map((n) => `role "${n}" not found in org ${orgId}`),
    ...divisionNames
      .filter((n) => cache.division(n) === undefined)
      .map((n) => `division "${n}" not found in org ${orgId}`),
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
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
