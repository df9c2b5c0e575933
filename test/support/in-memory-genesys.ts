// Stub activities for workflow tests in skipped time: an in-memory Genesys org and Okta, with the behaviour the
// lifecycle depends on (409 on a taken userName, grants by id pairs, deleted users gone) and switches for the
// failures the workflow must survive. Never used by production code; the emulators are the faithful stand-ins.
import { ApplicationFailure } from '@temporalio/common';
import type {
  CreateUserResult,
  GenesysActivities,
  GenesysUser,
  OktaActivities,
  UserRouting,
} from '../../activities/types';
import type { IdGrant } from '../../domain/entitlements';

export const ROLE_IDS: Record<string, string> = {
  'Seasonal Agents': 'role-seasonal',
  'Voice Agent': 'role-voice',
  'Chat Agent': 'role-chat',
  'Returns Agent': 'role-returns',
};
export const DIVISION_IDS: Record<string, string> = {
  Home: 'div-home',
  'Retail Stores': 'div-stores',
  'Holiday Overflow': 'div-overflow',
  'E-Commerce': 'div-ecom',
  'Returns & Exchanges': 'div-returns',
};

export const QUEUE_IDS: Record<string, string> = {
  'Holiday Voice': 'queue-voice',
  'Holiday Chat': 'queue-chat',
  'Returns & Exchanges': 'queue-returns',
};

interface StoredUser extends GenesysUser {
  grants: Map<string, IdGrant>;
  routing: UserRouting;
}

export class InMemoryGenesys {
  readonly users = new Map<string, StoredUser>();
  readonly deleted: string[] = [];
  /** Every activity call, by name (the figure a test compares with the calls the design promises). */
  readonly calls: string[] = [];
  readonly oktaRemovals: Array<{ oktaUserId: string; groupIds: string[]; seasonGroups?: string[] }> = [];
  readonly roles = { ...ROLE_IDS };
  readonly queues: Record<string, string> = { ...QUEUE_IDS };
  /** Skill and language names the org has; a create or PATCH naming another fails as Genesys's 400 does. */
  readonly routingNames = new Set(['Store Orders', 'Returns', 'Online Orders', 'English', 'Spanish']);
  /** Queue id → member user ids. */
  readonly members = new Map<string, Set<string>>();
  /** bulkadd answers 204 but keeps nothing (the "grants not kept" failure). */
  dropGrants = false;
  /** The next create commits but its answer is lost (a retryable failure): the retry meets a 409. */
  loseNextCreateAnswer = false;
  /** While set, a create waits for it (to act while provisioning is in flight). */
  holdCreate: Promise<void> | undefined;
  private nextId = 1;

  /** A user that exists before the workflow runs (the 409 → adopt path). */
  seedUser(userName: string, homeDivision = 'Home', active = true): StoredUser {
    const user: StoredUser = {
      id: `user-${this.nextId++}`,
      userName,
      active,
      homeDivision,
      grants: new Map(),
      routing: { skills: [], languages: [] },
    };
    this.users.set(user.id, user);
    return user;
  }

  userNamed(userName: string): StoredUser | undefined {
    return [...this.users.values()].find((u) => u.userName === userName);
  }

  grantsOf(userId: string): IdGrant[] {
    return [...(this.users.get(userId)?.grants.values() ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
  }

  /** Queue names the user is a member of, sorted. */
  queuesOf(userId: string): string[] {
    return Object.entries(this.queues)
      .filter(([, id]) => this.members.get(id)?.has(userId))
      .map(([name]) => name)
      .sort();
  }

  private checkRouting(routing: UserRouting): void {
    const unknown = [...routing.skills, ...routing.languages].filter((p) => !this.routingNames.has(p.name));
    if (unknown.length > 0)
      throw ApplicationFailure.create({
        type: 'GenesysBadRequest',
        nonRetryable: true,
        message: `unknown routing names: ${unknown.map((p) => p.name).join(', ')}`,
      });
  }

  private user(userId: string): StoredUser {
    const user = this.users.get(userId);
    if (!user)
      throw ApplicationFailure.create({
        type: 'GenesysNotFound',
        nonRetryable: true,
        message: `user ${userId} not found`,
      });
    return user;
  }

  activities(): GenesysActivities {
    const call = (name: string) => this.calls.push(name);
    const view = (u: StoredUser): GenesysUser => ({
      id: u.id,
      userName: u.userName,
      active: u.active,
      ...(u.homeDivision ? { homeDivision: u.homeDivision } : {}),
    });
    return {
      findUserByUserName: async ({ userName }) => {
        call('findUserByUserName');
        const u = this.userNamed(userName);
        return u ? view(u) : null;
      },
      createUser: async ({ agent, homeDivision, routing }): Promise<CreateUserResult> => {
        call('createUser');
        await this.holdCreate;
        if (this.userNamed(agent.login)) return { kind: 'conflict' };
        if (routing) this.checkRouting(routing);
        const stored = this.seedUser(agent.login, homeDivision);
        if (routing) stored.routing = structuredClone(routing);
        // The SCIM answer shows the Genesys extension's skills and languages.
        const user = { ...view(stored), routing: structuredClone(stored.routing) };
        if (this.loseNextCreateAnswer) {
          this.loseNextCreateAnswer = false;
          throw ApplicationFailure.create({
            type: 'GenesysTransport',
            message: 'socket hang up after the create committed',
          });
        }
        return { kind: 'created', user };
      },
      findUserInAnyState: async ({ userName, retryIfMissing }) => {
        call('findUserInAnyState');
        // Deleted users are gone from this fake: only live holders are found.
        const u = this.userNamed(userName);
        if (u) return { id: u.id, state: u.active ? 'active' : 'inactive', version: 1, homeDivision: u.homeDivision };
        if (!retryIfMissing) return null;
        throw ApplicationFailure.create({ type: 'GenesysNotFound', nonRetryable: true, message: 'taken, not found' });
      },
      restoreUser: async ({ userId }) => {
        call('restoreUser');
        const user = this.user(userId);
        user.active = true;
        return { kind: 'restored', user: view(user) };
      },
      moveHomeDivision: async ({ userId, divisionId }) => {
        call('moveHomeDivision');
        this.user(userId).homeDivision =
          Object.entries(DIVISION_IDS).find(([, id]) => id === divisionId)?.[0] ?? divisionId;
      },
      getGrants: async ({ userId }) => {
        call('getGrants');
        return this.grantsOf(this.user(userId).id);
      },
      addGrants: async ({ userId, grants }) => {
        call('addGrants');
        const user = this.user(userId);
        if (!this.dropGrants) for (const g of grants) user.grants.set(key(g), g);
      },
      removeGrants: async ({ userId, grants }) => {
        call('removeGrants');
        const user = this.user(userId);
        for (const g of grants) user.grants.delete(key(g));
      },
      setUserActive: async ({ userId, active }) => {
        call('setUserActive');
        this.user(userId).active = active;
      },
      deleteUser: async ({ userId }) => {
        call('deleteUser');
        if (this.users.delete(userId)) this.deleted.push(userId);
        for (const m of this.members.values()) m.delete(userId);
      },
      getUserRouting: async ({ userId }) => {
        call('getUserRouting');
        return structuredClone(this.user(userId).routing);
      },
      setUserRouting: async ({ userId, routing }) => {
        call('setUserRouting');
        this.checkRouting(routing);
        this.user(userId).routing = structuredClone(routing);
      },
      lookupQueues: async ({ names }) => {
        call('lookupQueues');
        return Object.fromEntries(names.filter((n) => this.queues[n]).map((n) => [n, this.queues[n]!]));
      },
      joinQueue: async ({ queueId, userId }) => {
        call('joinQueue');
        this.user(userId);
        if (!Object.values(this.queues).includes(queueId))
          throw ApplicationFailure.create({ type: 'GenesysNotFound', nonRetryable: true, message: `queue ${queueId}` });
        const m = this.members.get(queueId) ?? new Set<string>();
        m.add(userId);
        this.members.set(queueId, m);
      },
      leaveQueue: async ({ queueId, userId }) => {
        call('leaveQueue');
        this.members.get(queueId)?.delete(userId);
      },
      lookupRoles: async ({ names }) => {
        call('lookupRoles');
        return Object.fromEntries(names.filter((n) => this.roles[n]).map((n) => [n, this.roles[n]!]));
      },
      lookupDivisions: async ({ names }) => {
        call('lookupDivisions');
        return Object.fromEntries(names.filter((n) => DIVISION_IDS[n]).map((n) => [n, DIVISION_IDS[n]!]));
      },
      // Nobody logs in to the in-memory org: the users are read back without a last login.
      readUserLogins: async ({ userIds }) => {
        call('readUserLogins');
        return userIds.map((userId) => ({ userId }));
      },
    };
  }

  oktaActivities(): OktaActivities {
    return {
      removeFromOktaGroups: async ({ oktaUserId, groupIds, seasonGroups }) => {
        this.calls.push('removeFromOktaGroups');
        this.oktaRemovals.push({ oktaUserId, groupIds, ...(seasonGroups ? { seasonGroups } : {}) });
      },
      deactivateOktaUser: async () => {
        this.calls.push('deactivateOktaUser');
      },
    };
  }
}

function key(g: IdGrant): string {
  return `${g.roleId}/${g.divisionId}`;
}
