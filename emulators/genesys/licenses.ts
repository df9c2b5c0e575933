// Licenses follow roles: each role may imply one license (the fixture's `license`), and an ACTIVE user holds the
// licenses of the roles it is granted (in any division; the default role's grant included). Inactive and deleted
// users hold none. The ids are the ones third-party tools read from real orgs' GET /api/v2/license/definitions
// (README, "Licenses"); the tier order is what billing uses: a user is billed at the highest tier it held.
import type { OrgStore, Role, StoredUser } from './store';

/** The named-user tiers, lowest first (Genesys bills "the highest level license assigned" in the period). */
export const LICENSE_TIERS: readonly string[] = ['communicate', 'cloudCX1', 'cloudCX2', 'cloudCX3'];

/** Product names as Genesys's billing pages spell them; ids outside this list are described by their id. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  communicate: 'Genesys Cloud Communicate',
  cloudCX1: 'Genesys Cloud CX 1',
  cloudCX2: 'Genesys Cloud CX 2',
  cloudCX3: 'Genesys Cloud CX 3',
};

/** Tiers in tier order, then any other id alphabetically: every list the emulator returns uses this order. */
export function byLicenseOrder(a: string, b: string): number {
  const ra = LICENSE_TIERS.indexOf(a);
  const rb = LICENSE_TIERS.indexOf(b);
  if (ra >= 0 || rb >= 0) return (ra < 0 ? Infinity : ra) - (rb < 0 ? Infinity : rb);
  return a.localeCompare(b);
}

const distinct = (ids: Iterable<string>): string[] => [...new Set(ids)].sort(byLicenseOrder);

/** The licenses a set of roles implies (POST /api/v2/license/infer). */
export function licensesOfRoles(roles: Iterable<Role | undefined>): string[] {
  const ids: string[] = [];
  for (const r of roles) if (r?.licenseId) ids.push(r.licenseId);
  return distinct(ids);
}

/** What the user holds now: the licenses of its granted roles while it is active, else nothing. */
export function licensesOfUser(org: OrgStore, user: StoredUser): string[] {
  if (user.state !== 'active') return [];
  return licensesOfRoles(user.grants.map((g) => org.roleById(g.roleId)));
}

/** The org's license definitions: every license one of its roles implies. */
export function licenseIdsOfOrg(org: OrgStore): string[] {
  return licensesOfRoles(org.roles);
}

/** LicenseDefinition; `permissions.ids` (required by the model) are those of the roles implying the license. */
export function renderLicenseDefinition(org: OrgStore, id: string) {
  const permissions = new Set<string>();
  for (const r of org.roles) if (r.licenseId === id) for (const p of r.permissions ?? []) permissions.add(p);
  return {
    id,
    description: DESCRIPTIONS[id] ?? id,
    permissions: { ids: [...permissions].sort() },
    prerequisites: [],
    comprises: [],
    selfUri: `/api/v2/license/definitions/${id}`,
  };
}

/** LicenseUser: the user and its licenses as definitions. */
export function renderLicenseUser(org: OrgStore, user: StoredUser) {
  return {
    id: user.id,
    licenses: licensesOfUser(org, user).map((id) => renderLicenseDefinition(org, id)),
    selfUri: `/api/v2/license/users/${user.id}`,
  };
}

/**
 * What billing charges a user for, given every license it held at a login in the period: the highest tier once,
 * plus any license outside the tiers (an add-on) on its own.
 */
export function billedLicenses(held: Iterable<string>): string[] {
  const all = distinct(held);
  const tiers = all.filter((id) => LICENSE_TIERS.includes(id));
  const addOns = all.filter((id) => !LICENSE_TIERS.includes(id));
  return [...tiers.slice(-1), ...addOns];
}
