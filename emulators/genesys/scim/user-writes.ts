// Turning a validated SCIM body into a user: create, replace (PUT) and the replace that ends a PATCH.
// Every reference (division, role, skill, manager) is resolved BEFORE anything is written, so a rejected
// request never leaves a half-applied user behind.
import { randomUUID } from 'node:crypto';
import { ScimError } from '../errors';
import type { ContactPoint, ExternalId, OrgStore, Proficiency, StoredUser } from '../store';
import type { ScimUserBody } from './schemas';
import { ENTERPRISE_USER, GENESYS_USER, SCIM_EXTERNAL_ID_AUTHORITY } from './urns';

export interface WriteBehaviour {
  deactivationRemovesGrants: boolean;
}

/**
 * What a SCIM POST does with the userName of a DELETED user: 'revive' brings that same user back (Genesys's FAQ
 * on re-enabling a deleted user from Okta), 'conflict' answers 409 (as the platform Users API does, per the
 * Terraform provider), 'new-id' creates another user (no source says so; kept as an option).
 */
export type RehireMode = 'revive' | 'conflict' | 'new-id';

interface ResolvedBody {
  userName: string;
  displayName: string;
  active: boolean | undefined;
  title?: string;
  externalId?: string;
  emails: ContactPoint[];
  phoneNumbers: ContactPoint[];
  department?: string;
  managerId?: string;
  employeeNumber?: string;
  dateHire?: string;
  routingSkills: Proficiency[];
  routingLanguages: Proficiency[];
  externalIds: ExternalId[];
  homeDivisionId: string;
  roleIds: string[];
}

const orUndefined = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function checkCatalogue(
  kind: string,
  entries: Proficiency[],
  catalogue: ReadonlyArray<{ name: string }> | undefined,
): void {
  if (!catalogue) return;
  const unknown = entries.filter((e) => !catalogue.some((c) => c.name === e.name)).map((e) => e.name);
  if (unknown.length > 0)
    throw new ScimError(400, 'invalidValue', `Unknown ${kind}: ${unknown.join(', ')} (names are case-sensitive)`);
}

function resolveBody(org: OrgStore, body: ScimUserBody, existing: StoredUser | undefined): ResolvedBody {
  if (existing && body.id !== undefined && body.id !== existing.id)
    throw new ScimError(400, 'mutability', 'id is read-only');
  const enterprise = orUndefined(body[ENTERPRISE_USER]);
  const genesys = orUndefined(body[GENESYS_USER]);

  // The enterprise division is the HOME division, by name only (the stricter reading: ids are not names).
  const divisionName = orUndefined(enterprise?.division);
  const division = divisionName === undefined ? org.homeDivision() : org.divisionByName(divisionName);
  if (!division) throw new ScimError(400, 'invalidValue', `Unknown division "${divisionName}"`);

  const roleIds: string[] = [];
  for (const r of body.roles ?? []) {
    const role = org.roleByName(r.value);
    if (!role) throw new ScimError(400, 'invalidValue', `Unknown role "${r.value}"`);
    if (!roleIds.includes(role.id)) roleIds.push(role.id);
  }

  const routingSkills = orUndefined(genesys?.routingSkills) ?? [];
  const routingLanguages = orUndefined(genesys?.routingLanguages) ?? [];
  checkCatalogue('routing skill(s)', routingSkills, org.skills);
  checkCatalogue('routing language(s)', routingLanguages, org.languages);

  const managerId = orUndefined(enterprise?.manager)?.value;
  if (managerId !== undefined && !org.liveUser(managerId))
    throw new ScimError(400, 'invalidValue', `manager ${managerId} is not a user of this org`);

  // The `other` email and the x-pc:scimv2:v1 external id are read-only mirrors: echoing them back is fine,
  // changing them is a mutability error.
  const emails: ContactPoint[] = [];
  for (const e of body.emails ?? []) {
    if (e.type === 'other') {
      if (e.value.toLowerCase() !== body.userName.toLowerCase() && e.value !== existing?.userName) {
        throw new ScimError(400, 'mutability', 'The "other" email mirrors userName and is read-only');
      }
    } else emails.push({ value: e.value, type: 'work', ...(e.primary !== undefined ? { primary: e.primary } : {}) });
  }
  const externalId = orUndefined(body.externalId);
  const externalIds: ExternalId[] = [];
  for (const x of orUndefined(genesys?.externalIds) ?? []) {
    if (x.authority === SCIM_EXTERNAL_ID_AUTHORITY) {
      if (x.value !== externalId && x.value !== existing?.externalId)
        throw new ScimError(400, 'mutability', `externalIds with authority ${SCIM_EXTERNAL_ID_AUTHORITY} is read-only`);
    } else externalIds.push({ authority: x.authority, value: x.value });
  }

  return {
    userName: body.userName,
    displayName: body.displayName,
    active: body.active,
    title: orUndefined(body.title),
    externalId,
    emails,
    phoneNumbers: (body.phoneNumbers ?? []).map((p) => ({ ...p })),
    department: orUndefined(enterprise?.department),
    managerId,
    employeeNumber: orUndefined(enterprise?.employeeNumber),
    dateHire: orUndefined(enterprise?.dateHire)?.slice(0, 10),
    routingSkills: routingSkills.map((s) => ({ name: s.name, proficiency: s.proficiency })),
    routingLanguages: routingLanguages.map((s) => ({ name: s.name, proficiency: s.proficiency })),
    externalIds,
    homeDivisionId: division.id,
    roleIds,
  };
}

function assertUserNameFree(org: OrgStore, userName: string, self: StoredUser | undefined): void {
  const holder = org.liveUserByName(userName);
  if (holder && holder !== self)
    throw new ScimError(409, 'uniqueness', 'User name already in use by non-deleted user.');
}

function copyProfile(user: StoredUser, r: ResolvedBody): void {
  user.displayName = r.displayName;
  user.title = r.title;
  user.externalId = r.externalId;
  user.emails = r.emails;
  user.phoneNumbers = r.phoneNumbers;
  user.department = r.department;
  user.managerId = r.managerId;
  user.employeeNumber = r.employeeNumber;
  user.dateHire = r.dateHire;
  user.routingSkills = r.routingSkills;
  user.routingLanguages = r.routingLanguages;
  user.externalIds = r.externalIds;
  user.homeDivisionId = r.homeDivisionId;
}

/**
 * POST: a new user, with the org's default role and any SCIM roles granted in the Home division. A deleted
 * user's userName is handled per `rehire` (see RehireMode).
 */
export function createUser(org: OrgStore, body: ScimUserBody, rehire: RehireMode = 'revive'): StoredUser {
  const r = resolveBody(org, body, undefined);
  assertUserNameFree(org, r.userName, undefined);
  const deleted = rehire === 'new-id' ? undefined : org.deletedUserByName(r.userName);
  if (deleted && rehire === 'conflict')
    throw new ScimError(409, 'uniqueness', 'User name is held by a deleted user; restore that user instead.');
  if (deleted) return revive(org, deleted, r);
  const created = new Date().toISOString();
  const user: StoredUser = {
    id: randomUUID(),
    userName: r.userName,
    displayName: r.displayName,
    state: r.active === false ? 'inactive' : 'active',
    emails: [],
    phoneNumbers: [],
    routingSkills: [],
    routingLanguages: [],
    externalIds: [],
    homeDivisionId: r.homeDivisionId,
    grants: [],
    version: 1,
    createdAt: created,
    lastModified: created,
  };
  copyProfile(user, r);
  const home = org.homeDivision().id;
  const defaultRole = org.defaultRole();
  if (defaultRole) org.grant(user, defaultRole.id, home);
  for (const roleId of r.roleIds) org.grant(user, roleId, home);
  org.addUser(user);
  return user;
}

/**
 * The same user comes back, Active, as Genesys's FAQ describes an Okta re-enable after a delete: no role at all
 * (not even the default one), in the Home division whatever the body says. The body's profile is applied;
 * routing skills and languages stay as they were when the user was deleted (the FAQ names none coming back,
 * so the caller must set them again).
 */
function revive(org: OrgStore, user: StoredUser, r: ResolvedBody): StoredUser {
  const { routingSkills, routingLanguages } = user;
  copyProfile(user, r);
  user.userName = r.userName;
  user.routingSkills = routingSkills;
  user.routingLanguages = routingLanguages;
  org.undelete(user);
  return user;
}

/**
 * PUT, and the final step of PATCH. `replaceRoles` says whether the body's `roles` is authoritative: always
 * for PUT (an absent `roles` strips every role — the stricter reading of a full replace), and for PATCH only
 * when the operations changed the role list. Roles dropped from the list lose their grants in EVERY
 * division; roles added are granted in Home; roles kept keep all their grants.
 */
export function replaceUser(
  org: OrgStore,
  user: StoredUser,
  body: ScimUserBody,
  replaceRoles: boolean,
  behaviour: WriteBehaviour,
): void {
  const r = resolveBody(org, body, user);
  assertUserNameFree(org, r.userName, user);
  if (r.userName !== user.userName) org.renameUser(user, r.userName);
  copyProfile(user, r);

  if (replaceRoles) {
    user.grants = user.grants.filter((g) => r.roleIds.includes(g.roleId));
    const home = org.homeDivision().id;
    for (const roleId of r.roleIds) if (!user.grants.some((g) => g.roleId === roleId)) org.grant(user, roleId, home);
  }

  if (r.active === false && user.state === 'active') {
    user.state = 'inactive';
    if (behaviour.deactivationRemovesGrants) user.grants = [];
  } else if (r.active === true && user.state === 'inactive') {
    // Reactivation does not bring roles back (Genesys documents this); only what the body says is applied.
    user.state = 'active';
  }
  org.touch(user);
}
