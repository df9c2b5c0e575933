// In-memory state of the emulated orgs. Plain data (OrgState) is what gets persisted; OrgStore wraps it
// with the indexes and invariants the routes rely on (unique userName among non-deleted users, grant sets).
import { randomUUID } from 'node:crypto';
import type { FixtureOrg, ParsedOrgsFixture } from './fixture';

/** Genesys's wildcard division id in grants: the role applies in every division. Stored and returned as is. */
export const ALL_DIVISIONS = '*';
export const ALL_DIVISIONS_NAME = 'All Divisions';

export interface Division {
  id: string;
  name: string;
  description?: string;
  home: boolean;
}

export interface Role {
  id: string;
  name: string;
  description?: string;
  isDefault: boolean;
  /** `domain:entity:action` strings (`*` for any entity or action); absent in older state files: none. */
  permissions?: string[];
  /** The license the role implies for a user who holds it (licenses.ts); absent: none. */
  licenseId?: string;
}

/** A role granted to an OAuth client in a division (`*`: all), as OAuthClient.roleDivisions has it. */
export interface RoleDivision {
  roleId: string;
  divisionId: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  name?: string;
  /** The client's roles; what its tokens may do is the union of their permissions (client-roles.ts). */
  roleDivisions?: RoleDivision[];
}

export interface Proficiency {
  name: string;
  proficiency: number;
}

/** A routing skill or language of the org's catalogue. */
export interface RoutingEntity {
  id: string;
  name: string;
}

export interface Queue {
  id: string;
  name: string;
  divisionId: string;
  /** User ids of the queue's members (added through POST …/members; a deleted user leaves every queue). */
  memberIds: string[];
}

export interface ContactPoint {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface ExternalId {
  authority: string;
  value: string;
}

export interface StoredGrant {
  roleId: string;
  divisionId: string;
  grantedAt: string;
}

export type UserState = 'active' | 'inactive' | 'deleted';

/** One login of a user (the control endpoint or logIn()), with the licenses the user held at that instant. */
export interface StoredLogin {
  at: string;
  licenseIds: string[];
}

export interface StoredUser {
  id: string;
  userName: string;
  displayName: string;
  title?: string;
  state: UserState;
  externalId?: string;
  /** Work emails only; the read-only `other` email mirrors userName and is derived when rendering. */
  emails: ContactPoint[];
  phoneNumbers: ContactPoint[];
  department?: string;
  managerId?: string;
  employeeNumber?: string;
  dateHire?: string;
  routingSkills: Proficiency[];
  routingLanguages: Proficiency[];
  /** Client-supplied external ids; the immutable `x-pc:scimv2:v1` one is derived from externalId. */
  externalIds: ExternalId[];
  homeDivisionId: string;
  grants: StoredGrant[];
  version: number;
  createdAt: string;
  lastModified: string;
  deletedAt?: string;
  /**
   * When the user last came into being for the Authorization API: its create, or its revival/restore after a
   * delete. Authorization calls about it 404 for `newUserNotFoundMs` after this (createdAt when absent).
   */
  bornAt?: string;
  /** Every login, oldest first (kept through deactivation, delete and revival: billing counts them). */
  logins?: StoredLogin[];
}

export interface OrgState {
  id: string;
  name: string;
  defaultRoleName?: string;
  clients: OAuthClient[];
  divisions: Division[];
  roles: Role[];
  /** The routing catalogue. Absent skills/languages: SCIM accepts any name (older fixtures and state files). */
  skills?: RoutingEntity[];
  languages?: RoutingEntity[];
  queues?: Queue[];
  users: StoredUser[];
}

const now = (): string => new Date().toISOString();

/** One state of a user as the search index knows it, from `at` (ms) on. */
interface IndexedVersion {
  at: number;
  view: StoredUser;
}

export class OrgStore {
  readonly users = new Map<string, StoredUser>();
  /** lower-cased userName → id, for non-deleted users only (a deleted user's name is free again). */
  private readonly liveUserNames = new Map<string, string>();
  /**
   * The search index (SCIM filter/list, POST /api/v2/users/search): what it knows of each user, oldest first.
   * A search at time t sees the newest version written at or before t − searchLagMs; a user with no version
   * that old is not found yet. Users loaded from the fixture or a state file are indexed since time 0.
   * Not persisted: after a restart the index is current.
   */
  private readonly index = new Map<string, IndexedVersion[]>();

  constructor(
    private readonly state: OrgState,
    private readonly searchLagMs = 0,
  ) {
    // State files written before the catalogue had ids listed bare names.
    const withIds = (list: Array<RoutingEntity | string> | undefined) =>
      list?.map((e) => (typeof e === 'string' ? { id: randomUUID(), name: e } : e));
    state.skills = withIds(state.skills);
    state.languages = withIds(state.languages);
    state.queues ??= [];
    for (const u of state.users) {
      this.users.set(u.id, u);
      if (u.state !== 'deleted') this.liveUserNames.set(u.userName.toLowerCase(), u.id);
    }
  }

  get id(): string {
    return this.state.id;
  }
  get name(): string {
    return this.state.name;
  }
  get clients(): readonly OAuthClient[] {
    return this.state.clients;
  }
  client(clientId: string): OAuthClient | undefined {
    return this.state.clients.find((c) => c.clientId === clientId);
  }
  get divisions(): readonly Division[] {
    return this.state.divisions;
  }
  get roles(): readonly Role[] {
    return this.state.roles;
  }
  get skills(): readonly RoutingEntity[] | undefined {
    return this.state.skills;
  }
  get languages(): readonly RoutingEntity[] | undefined {
    return this.state.languages;
  }
  get queues(): readonly Queue[] {
    return this.state.queues ?? [];
  }
  queueById(id: string): Queue | undefined {
    return this.queues.find((q) => q.id === id);
  }

  /** Adds a skill or language to the catalogue (an admin creating it); returns its id. */
  addRoutingEntity(kind: 'skills' | 'languages', name: string): string {
    const list = (this.state[kind] ??= []);
    if (list.some((e) => e.name === name)) throw new Error(`${kind} ${name} already exists in org ${this.id}`);
    const entity = { id: randomUUID(), name };
    list.push(entity);
    return entity.id;
  }

  /** Deletes a skill or language: like the admin UI, it is taken from every user that held it. */
  removeRoutingEntity(kind: 'skills' | 'languages', name: string): void {
    const list = this.state[kind];
    if (!list?.some((e) => e.name === name)) throw new Error(`no ${kind} ${name} in org ${this.id}`);
    this.state[kind] = list.filter((e) => e.name !== name);
    const field = kind === 'skills' ? 'routingSkills' : 'routingLanguages';
    for (const u of this.users.values()) {
      if (u[field].some((e) => e.name === name)) {
        u[field] = u[field].filter((e) => e.name !== name);
        this.touch(u);
      }
    }
  }

  addQueue(name: string, divisionId = this.homeDivision().id): string {
    if (this.queues.some((q) => q.name === name)) throw new Error(`queue ${name} already exists in org ${this.id}`);
    const queue: Queue = { id: randomUUID(), name, divisionId, memberIds: [] };
    (this.state.queues ??= []).push(queue);
    return queue.id;
  }

  /** Deletes a queue (its memberships go with it). */
  removeQueue(name: string): void {
    if (!this.queues.some((q) => q.name === name)) throw new Error(`no queue ${name} in org ${this.id}`);
    this.state.queues = this.queues.filter((q) => q.name !== name);
  }

  homeDivision(): Division {
    const home = this.state.divisions.find((d) => d.home);
    if (!home) throw new Error(`org ${this.state.id} has no home division`);
    return home;
  }

  divisionById(id: string): Division | undefined {
    return this.state.divisions.find((d) => d.id === id);
  }
  divisionByName(name: string): Division | undefined {
    return this.state.divisions.find((d) => d.name === name);
  }
  roleById(id: string): Role | undefined {
    return this.state.roles.find((r) => r.id === id);
  }
  roleByName(name: string): Role | undefined {
    return this.state.roles.find((r) => r.name === name);
  }
  defaultRole(): Role | undefined {
    return this.state.defaultRoleName ? this.roleByName(this.state.defaultRoleName) : undefined;
  }

  /** A non-deleted user holding this userName (case-insensitive: it is an email address). */
  liveUserByName(userName: string): StoredUser | undefined {
    const id = this.liveUserNames.get(userName.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  /** A user that is not deleted; deleted users behave as absent on every API. */
  liveUser(id: string): StoredUser | undefined {
    const u = this.users.get(id);
    return u && u.state !== 'deleted' ? u : undefined;
  }

  addUser(user: StoredUser): void {
    this.users.set(user.id, user);
    this.state.users.push(user);
    if (user.state !== 'deleted') this.liveUserNames.set(user.userName.toLowerCase(), user.id);
    this.reindex(user);
  }

  /** Whether the user came into being (created, revived, restored) less than `ms` ago. */
  isNew(user: StoredUser, ms: number): boolean {
    return Date.now() - Date.parse(user.bornAt ?? user.createdAt) < ms;
  }

  /** The most recently deleted user that held this userName (case-insensitive), if any. */
  deletedUserByName(userName: string): StoredUser | undefined {
    const wanted = userName.toLowerCase();
    let found: StoredUser | undefined;
    for (const u of this.users.values()) {
      if (u.state !== 'deleted' || u.userName.toLowerCase() !== wanted) continue;
      if (!found || (u.deletedAt ?? '') > (found.deletedAt ?? '')) found = u;
    }
    return found;
  }

  /**
   * A deleted user comes back (SCIM revive or Users API restore): active, in Home, holding no role at all,
   * and new again for the Authorization API. The caller checks that its userName is free.
   */
  undelete(user: StoredUser): void {
    user.state = 'active';
    user.grants = [];
    user.homeDivisionId = this.homeDivision().id;
    delete user.deletedAt;
    user.bornAt = now();
    this.liveUserNames.set(user.userName.toLowerCase(), user.id);
    this.touch(user);
  }

  /** Records the user's current state for the search index (after a create and every change). */
  reindex(user: StoredUser): void {
    const at = Date.now();
    const versions = this.index.get(user.id) ?? [];
    versions.push({ at, view: structuredClone(user) });
    // Keep the newest version older than the lag (what searches see now) and everything after it.
    const visibleFrom = at - this.searchLagMs;
    let firstKept = 0;
    for (let i = 0; i < versions.length; i++) if (versions[i].at <= visibleFrom) firstKept = i;
    this.index.set(user.id, versions.slice(firstKept));
  }

  /** Users as the search index shows them now (each the indexed copy; a user not indexed yet is absent). */
  searchable(): StoredUser[] {
    const visibleFrom = Date.now() - this.searchLagMs;
    const out: StoredUser[] = [];
    for (const u of this.users.values()) {
      const versions = this.index.get(u.id);
      if (!versions) {
        out.push(u);
        continue;
      }
      let seen: StoredUser | undefined;
      for (const v of versions) if (v.at <= visibleFrom) seen = v.view;
      if (seen) out.push(seen);
    }
    return out;
  }

  renameUser(user: StoredUser, newUserName: string): void {
    this.liveUserNames.delete(user.userName.toLowerCase());
    user.userName = newUserName;
    this.liveUserNames.set(newUserName.toLowerCase(), user.id);
  }

  /** Soft delete as Genesys documents it: no login, all permissions gone, moved to Home, hidden from lists. */
  softDelete(user: StoredUser): void {
    this.liveUserNames.delete(user.userName.toLowerCase());
    user.state = 'deleted';
    user.grants = [];
    user.homeDivisionId = this.homeDivision().id;
    user.deletedAt = now();
    // A deleted user leaves every queue.
    for (const q of this.queues) q.memberIds = q.memberIds.filter((id) => id !== user.id);
    this.touch(user);
  }

  hasGrant(user: StoredUser, roleId: string, divisionId: string): boolean {
    return user.grants.some((g) => g.roleId === roleId && g.divisionId === divisionId);
  }

  /** Adds a grant; a grant the user already holds is left as it is. Returns whether anything changed. */
  grant(user: StoredUser, roleId: string, divisionId: string): boolean {
    if (this.hasGrant(user, roleId, divisionId)) return false;
    user.grants.push({ roleId, divisionId, grantedAt: now() });
    return true;
  }

  revoke(user: StoredUser, roleId: string, divisionId: string): boolean {
    const before = user.grants.length;
    user.grants = user.grants.filter((g) => !(g.roleId === roleId && g.divisionId === divisionId));
    return user.grants.length !== before;
  }

  /** Every change to a user bumps its version (the SCIM ETag) and lastModified, and reaches the search index. */
  touch(user: StoredUser): void {
    user.version += 1;
    user.lastModified = now();
    this.reindex(user);
  }

  addRole(name: string): Role {
    if (this.roleByName(name)) throw new Error(`role ${name} already exists in org ${this.id}`);
    const role: Role = { id: randomUUID(), name, isDefault: false };
    this.state.roles.push(role);
    return role;
  }

  /** Removes a role and every grant of it, OAuth clients' included (as deleting a role in the admin UI would). */
  removeRole(name: string): void {
    const role = this.roleByName(name);
    if (!role) throw new Error(`no role ${name} in org ${this.id}`);
    this.state.roles = this.state.roles.filter((r) => r !== role);
    for (const u of this.users.values()) u.grants = u.grants.filter((g) => g.roleId !== role.id);
    for (const c of this.state.clients) c.roleDivisions = c.roleDivisions?.filter((g) => g.roleId !== role.id);
  }

  toState(): OrgState {
    return this.state;
  }
}

export function orgStateFromFixture(org: FixtureOrg): OrgState {
  const divisions: Division[] = org.divisions.map((d) => ({
    id: d.id,
    name: d.name,
    description: d.description,
    home: d.home === true,
  }));
  const roles: Role[] = org.roles.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    isDefault: r.default === true,
    permissions: [...(r.permissions ?? [])],
    ...(r.license !== undefined ? { licenseId: r.license } : {}),
  }));
  const divisionIdOf = (name: string): string =>
    name === ALL_DIVISIONS ? ALL_DIVISIONS : (divisions.find((d) => d.name === name)?.id ?? '');
  const home = divisions.find((d) => d.home);
  if (!home) throw new Error(`org ${org.id} has no home division`);
  const created = now();
  const users: StoredUser[] = org.users.map((u) => ({
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    state: u.active ? 'active' : 'inactive',
    externalId: u.externalId,
    emails: [],
    phoneNumbers: [],
    routingSkills: [],
    routingLanguages: [],
    externalIds: [],
    homeDivisionId: divisions.find((d) => d.name === (u.division ?? home.name))?.id ?? home.id,
    grants: u.grants.map((g) => ({
      roleId: roles.find((r) => r.name === g.role)?.id ?? '',
      divisionId: divisionIdOf(g.division),
      grantedAt: created,
    })),
    version: 1,
    createdAt: created,
    lastModified: created,
  }));
  return {
    id: org.id,
    name: org.name,
    defaultRoleName: org.defaultRole,
    clients: org.clients.map((c) => ({
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      name: c.name,
      roleDivisions: c.roles.map((g) => ({
        roleId: roles.find((r) => r.name === g.role)?.id ?? '',
        divisionId: divisionIdOf(g.division),
      })),
    })),
    divisions,
    roles,
    ...(org.skills ? { skills: org.skills.map((e) => ({ id: e.id, name: e.name })) } : {}),
    ...(org.languages ? { languages: org.languages.map((e) => ({ id: e.id, name: e.name })) } : {}),
    queues: (org.queues ?? []).map((q) => ({
      id: q.id,
      name: q.name,
      divisionId: divisions.find((d) => d.name === (q.division ?? home.name))?.id ?? home.id,
      memberIds: [],
    })),
    users,
  };
}

export class EmulatorStore {
  readonly orgs = new Map<string, OrgStore>();

  constructor(states: OrgState[], searchLagMs = 0) {
    for (const s of states) this.orgs.set(s.id, new OrgStore(s, searchLagMs));
  }

  static fromFixture(fixture: ParsedOrgsFixture, searchLagMs = 0): EmulatorStore {
    return new EmulatorStore(fixture.orgs.map(orgStateFromFixture), searchLagMs);
  }

  org(orgId: string): OrgStore {
    const org = this.orgs.get(orgId);
    if (!org) throw new Error(`unknown org ${orgId}`);
    return org;
  }

  /** The org and client record for a client id, or undefined. */
  client(clientId: string): { org: OrgStore; client: OAuthClient } | undefined {
    for (const org of this.orgs.values()) {
      const client = org.clients.find((c) => c.clientId === clientId);
      if (client) return { org, client };
    }
    return undefined;
  }

  toStates(): OrgState[] {
    return [...this.orgs.values()].map((o) => o.toState());
  }
}
