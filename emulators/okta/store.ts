// The emulated org: users, groups and memberships, plus the System Log and the hook outbox. Every write that Okta
// would log (create, lifecycle changes, membership changes) appends one event to both, so the admin helpers and
// the HTTP API produce the same deliveries.
import { notFound, OktaProblem, validationFailed } from './errors';
import { newGroupId, newUserId } from './ids';
import { actorFor, buildEvent, buildSsoEvent, EmittedEventType } from './log-events';
import type {
  CreateGroupInput,
  CreateUserInput,
  EmuApp,
  EmuGroup,
  EmuUser,
  LogActor,
  LogEvent,
  UserStatus,
} from './types';

export interface StoreSnapshot {
  actorUserId?: string;
  users: EmuUser[];
  groups: EmuGroup[];
  /** App instances (absent in states saved before apps existed). */
  apps?: EmuApp[];
  /** groupId → member user ids, in the order they joined. */
  memberships: Record<string, string[]>;
  outbox: LogEvent[];
  systemLog: LogEvent[];
}

/** Who made a change and through which request (it shows in the event's actor and debugData.requestUri). */
export interface Caller {
  requestUri: string;
  actor?: LogActor;
}

const SYSTEM_ACTOR: LogActor = {
  id: '0oaemulator0000000000',
  type: 'SystemPrincipal',
  alternateId: 'system@okta.com',
  displayName: 'Okta System',
  detailEntry: null,
};
const STOPPED: ReadonlySet<UserStatus> = new Set(['SUSPENDED', 'DEPROVISIONED']);

export class OktaStore {
  private users = new Map<string, EmuUser>();
  private groups = new Map<string, EmuGroup>();
  private members = new Map<string, Set<string>>();
  private actorUserId: string | undefined;
  private apps = new Map<string, EmuApp>();
  private lastPublishedMs = 0;
  outbox: LogEvent[] = [];
  systemLog: LogEvent[] = [];

  constructor(
    private readonly hooks: {
      /** The hooks an event of this type goes to now (its debugData.targetEventHookIds). */
      hookIdsFor: (eventType: string) => string[];
      onChange?: () => void;
    },
  ) {}

  load(snapshot: StoreSnapshot): void {
    this.users = new Map(snapshot.users.map((u) => [u.id, structuredClone(u)]));
    this.groups = new Map(snapshot.groups.map((g) => [g.id, structuredClone(g)]));
    this.members = new Map(snapshot.groups.map((g) => [g.id, new Set(snapshot.memberships[g.id] ?? [])]));
    this.actorUserId = snapshot.actorUserId;
    this.apps = new Map((snapshot.apps ?? []).map((a) => [a.id, { ...a }]));
    this.outbox = structuredClone(snapshot.outbox);
    this.systemLog = structuredClone(snapshot.systemLog);
    const published = this.systemLog.map((e) => Date.parse(e.published));
    this.lastPublishedMs = Math.max(0, ...published);
  }

  snapshot(): StoreSnapshot {
    const memberships: Record<string, string[]> = {};
    for (const [groupId, ids] of this.members) memberships[groupId] = [...ids];
    return structuredClone({
      actorUserId: this.actorUserId,
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      apps: [...this.apps.values()],
      memberships,
      outbox: this.outbox,
      systemLog: this.systemLog,
    });
  }

  // ── Reads ─────────────────────────────────────────────────────────────────────────────────────

  /** By id, or by login (case-insensitive), as `GET /api/v1/users/{idOrLogin}` allows. */
  user(idOrLogin: string): EmuUser {
    const byId = this.users.get(idOrLogin);
    if (byId) return byId;
    const lower = idOrLogin.toLowerCase();
    for (const u of this.users.values()) if (u.profile.login.toLowerCase() === lower) return u;
    throw notFound(idOrLogin, 'User');
  }

  group(id: string): EmuGroup {
    const g = this.groups.get(id);
    if (!g) throw notFound(id, 'Group');
    return g;
  }

  /** The fixture's admin: the user behind the API token, and the default actor of events. */
  adminUserId(): string | undefined {
    return this.actorUserId;
  }

  listUsers(): EmuUser[] {
    return [...this.users.values()];
  }

  listGroups(): EmuGroup[] {
    return [...this.groups.values()];
  }

  groupsOf(userId: string): EmuGroup[] {
    this.user(userId);
    return this.listGroups().filter((g) => this.members.get(g.id)?.has(userId));
  }

  membersOf(groupId: string): EmuUser[] {
    this.group(groupId);
    return [...(this.members.get(groupId) ?? [])]
      .map((id) => this.users.get(id))
      .filter((u): u is EmuUser => u !== undefined);
  }

  // ── Writes ────────────────────────────────────────────────────────────────────────────────────

  createGroup(input: CreateGroupInput): EmuGroup {
    const id = input.id ?? newGroupId();
    if (this.groups.has(id)) throw validationFailed('id', `A group with id ${id} already exists`);
    const now = new Date().toISOString();
    const group: EmuGroup = {
      id,
      created: now,
      lastUpdated: now,
      lastMembershipUpdated: now,
      objectClass: ['okta:user_group'],
      type: input.type ?? 'OKTA_GROUP',
      profile: { name: input.name, description: input.description ?? null },
    };
    this.groups.set(id, group);
    this.members.set(id, new Set());
    this.changed();
    return group;
  }

  createUser(input: CreateUserInput, caller: Caller): EmuUser {
    const id = input.id ?? newUserId();
    if (this.users.has(id)) throw validationFailed('id', `A user with id ${id} already exists`);
    const login = input.profile.login;
    if (this.listUsers().some((u) => u.profile.login.toLowerCase() === login.toLowerCase())) {
      throw validationFailed('login', 'login: An object with this field already exists in the current organization');
    }
    for (const groupId of input.groupIds ?? []) this.group(groupId);
    const now = new Date().toISOString();
    const status = input.status ?? 'ACTIVE';
    const user: EmuUser = {
      id,
      status,
      created: now,
      activated: status === 'ACTIVE' ? now : null,
      statusChanged: status === 'ACTIVE' ? now : null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: null,
      type: { id: 'otyemulatordefault0001' },
      profile: {
        login,
        email: input.profile.email ?? login,
        firstName: input.profile.firstName ?? null,
        lastName: input.profile.lastName ?? null,
        ...(input.profile.employeeNumber !== undefined ? { employeeNumber: input.profile.employeeNumber } : {}),
      },
    };
    this.users.set(id, user);
    this.emit('user.lifecycle.create', caller, user);
    for (const groupId of input.groupIds ?? []) this.addMember(groupId, id, caller);
    this.changed();
    return user;
  }

  /** Returns false when the user was already a member (Okta answers 204 and logs nothing new). */
  addMember(groupId: string, userId: string, caller: Caller): boolean {
    const { group, user, set } = this.membership(groupId, userId);
    if (set.has(userId)) return false;
    set.add(userId);
    group.lastMembershipUpdated = new Date().toISOString();
    this.emit('group.user_membership.add', caller, user, group);
    this.changed();
    return true;
  }

  /** Returns false when the user was not a member (the emulator answers 204: removal is idempotent). */
  removeMember(groupId: string, userId: string, caller: Caller): boolean {
    const { group, user, set } = this.membership(groupId, userId);
    if (!set.delete(userId)) return false;
    group.lastMembershipUpdated = new Date().toISOString();
    this.emit('group.user_membership.remove', caller, user, group);
    this.changed();
    return true;
  }

  /** Deactivation keeps group memberships (Okta's documented behaviour). */
  deactivate(userId: string, caller: Caller): void {
    const user = this.user(userId);
    // Reported Okta behaviour (JAVA721): deactivating a deprovisioned user answers 404 E0000007.
    if (user.status === 'DEPROVISIONED') throw notFound(user.id, 'User');
    this.setStatus(user, 'DEPROVISIONED');
    this.emit('user.lifecycle.deactivate', caller, user);
  }

  suspend(userId: string, caller: Caller): void {
    const user = this.user(userId);
    if (user.status !== 'ACTIVE') throw notAllowedInStatus();
    this.setStatus(user, 'SUSPENDED');
    this.emit('user.lifecycle.suspend', caller, user);
  }

  unsuspend(userId: string, caller: Caller): void {
    const user = this.user(userId);
    if (user.status !== 'SUSPENDED') throw notAllowedInStatus();
    this.setStatus(user, 'ACTIVE');
    this.emit('user.lifecycle.unsuspend', caller, user);
  }

  activate(userId: string, caller: Caller): void {
    const user = this.user(userId);
    if (user.status === 'ACTIVE' || STOPPED.has(user.status)) throw notAllowedInStatus();
    this.setStatus(user, 'ACTIVE');
    user.activated = user.statusChanged;
    this.emit('user.lifecycle.activate', caller, user);
  }

  takeOutbox(): LogEvent[] {
    const events = this.outbox;
    this.outbox = [];
    this.changed();
    return events;
  }

  requeue(events: LogEvent[]): void {
    this.outbox.push(...events);
    this.changed();
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────────

  private membership(groupId: string, userId: string): { group: EmuGroup; user: EmuUser; set: Set<string> } {
    const group = this.group(groupId);
    const user = this.user(userId);
    // Okta: memberships of APP_GROUP/BUILT_IN groups are owned by imports; the error code is undocumented.
    if (group.type !== 'OKTA_GROUP')
      throw validationFailed('group', `Cannot modify memberships of a ${group.type} group`);
    let set = this.members.get(group.id);
    if (!set) {
      set = new Set();
      this.members.set(group.id, set);
    }
    return { group, user, set };
  }

  private setStatus(user: EmuUser, status: UserStatus): void {
    const now = new Date().toISOString();
    user.status = status;
    user.statusChanged = now;
    user.lastUpdated = now;
    this.changed();
  }

  app(id: string): EmuApp {
    const app = this.apps.get(id);
    if (!app) throw notFound(id, 'AppInstance');
    return app;
  }

  listApps(): EmuApp[] {
    return [...this.apps.values()];
  }

  /**
   * The user signs in to the app through Okta at `at`: a user.authentication.sso event in the System Log, kept in
   * published order. Not eligible for event hooks, so nothing goes to the outbox.
   */
  ssoLogin(userId: string, appId: string, at: string): LogEvent {
    const user = this.user(userId);
    const app = this.app(appId);
    if (user.status !== 'ACTIVE')
      throw new OktaProblem(409, 'E0000001', `Api validation failed: a ${user.status} user cannot sign in`);
    const event = buildSsoEvent(user, app, at);
    const index = this.systemLog.findIndex((e) => e.published > event.published);
    if (index < 0) this.systemLog.push(event);
    else this.systemLog.splice(index, 0, event);
    this.changed();
    return event;
  }

  private emit(type: EmittedEventType, caller: Caller, user: EmuUser, group?: EmuGroup): void {
    const event = buildEvent(
      type,
      {
        published: this.nextPublished(),
        actor: caller.actor ?? this.defaultActor(),
        requestUri: caller.requestUri,
        hookIds: this.hooks.hookIdsFor(type),
      },
      user,
      group,
    );
    this.systemLog.push(event);
    this.outbox.push(event);
    this.changed();
  }

  /** Strictly increasing timestamps, so "order by published" is well defined even within one millisecond. */
  private nextPublished(): string {
    this.lastPublishedMs = Math.max(Date.now(), this.lastPublishedMs + 1);
    return new Date(this.lastPublishedMs).toISOString();
  }

  private defaultActor(): LogActor {
    const admin = this.actorUserId ? this.users.get(this.actorUserId) : undefined;
    return admin ? actorFor(admin) : SYSTEM_ACTOR;
  }

  private changed(): void {
    this.hooks.onChange?.();
  }
}

function notAllowedInStatus(): OktaProblem {
  return new OktaProblem(403, 'E0000038', "This operation is not allowed in the user's current status.");
}
