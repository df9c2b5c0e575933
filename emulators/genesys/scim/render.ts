// Stored user → ScimV2User as Genesys serves it: the read-only `other` email mirrors userName, the enterprise
// `division` is the home division's NAME, `roles` lists role names (no divisions), and externalIds always
// carries the immutable x-pc:scimv2:v1 mirror of externalId.
import type { OrgStore, StoredUser } from '../store';
import { CORE_USER, ENTERPRISE_USER, GENESYS_USER, SCIM_EXTERNAL_ID_AUTHORITY } from './urns';

export type JsonObject = { [key: string]: unknown };

export function etag(user: StoredUser): string {
  return `"${user.version}"`;
}

/** Distinct names of the roles the user holds in any division, in grant order. */
export function roleNames(org: OrgStore, user: StoredUser): string[] {
  const names: string[] = [];
  for (const g of user.grants) {
    const name = org.roleById(g.roleId)?.name;
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

export function renderScimUser(org: OrgStore, user: StoredUser, baseUrl: string): JsonObject {
  const location = `${baseUrl}/api/v2/scim/v2/users/${user.id}`;
  const enterprise: JsonObject = { division: org.divisionById(user.homeDivisionId)?.name ?? org.homeDivision().name };
  if (user.department !== undefined) enterprise.department = user.department;
  if (user.managerId !== undefined)
    enterprise.manager = { value: user.managerId, $ref: `${baseUrl}/api/v2/scim/v2/users/${user.managerId}` };
  if (user.employeeNumber !== undefined) enterprise.employeeNumber = user.employeeNumber;
  if (user.dateHire !== undefined) enterprise.dateHire = user.dateHire;

  const externalIds =
    user.externalId !== undefined
      ? [{ authority: SCIM_EXTERNAL_ID_AUTHORITY, value: user.externalId }, ...user.externalIds]
      : [...user.externalIds];

  const rendered: JsonObject = {
    schemas: [CORE_USER, ENTERPRISE_USER, GENESYS_USER],
    id: user.id,
    userName: user.userName,
    displayName: user.displayName,
    active: user.state === 'active',
  };
  if (user.title !== undefined) rendered.title = user.title;
  if (user.externalId !== undefined) rendered.externalId = user.externalId;
  rendered.emails = [{ value: user.userName, type: 'other', primary: true }, ...user.emails.map((e) => ({ ...e }))];
  rendered.phoneNumbers = user.phoneNumbers.map((p) => ({ ...p }));
  rendered.groups = [];
  rendered.roles = roleNames(org, user).map((value) => ({ value }));
  rendered[ENTERPRISE_USER] = enterprise;
  rendered[GENESYS_USER] = {
    routingSkills: user.routingSkills.map((s) => ({ ...s })),
    routingLanguages: user.routingLanguages.map((s) => ({ ...s })),
    externalIds,
  };
  rendered.meta = { resourceType: 'User', lastModified: user.lastModified, location, version: String(user.version) };
  return rendered;
}
