// Stub activities for workflow tests in skipped time: an in-memory Genesys org and Okta, with the behaviour the
// lifecycle depends on (409 on a taken userName, grants by id pairs, deleted users gone) and switches for the
// failures the workflow must survive. Never used by production code; the emulators are the faithful stand-ins.
import { ApplicationFailure } from '@temporalio/common';
import type { CreateUserResult, GenesysActivities, GenesysUser, OktaActivities } from '../../activities/types';
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

interface StoredUser extends GenesysUser {
  grants: Map<string, IdGrant>;
}

export class InMemoryGenesys {
  readonly users = new Map<string, StoredUser>();
  readonly deleted: string[] = [];
  /** Every activity call, by name (the figure a test compares with the calls the design promises). */
  readonly calls: string[] = [];
  readonly oktaRemovals: Array<{ oktaUserId: string; groupIds: string[]; seasonGroups?: string[] }> = [];
  readonly roles = { ...ROLE_IDS };
  /** bulkadd answers 204 but keeps nothing (the "grants not kept" failure). */
  dropGrants = false;
  /** The next create commits but its answer is lost (a retryable failure): the retry meets a 409. */
  loseNextCreateAnswer = false;
  /** While set, a create waits for it (to act while provisioning is in flight). */
  holdCreate: Promise<void> | undefined;
  private nextId = 1;

  /** A user that exists before the workflow runs (the 409 → adopt path). */
  seedUser(userName: string, homeDivision = 'Home', active = true): StoredUser {
    const user: StoredUser = { id: `user-${this.nextId++}`, userName, active, homeDivision, grants: new Map() };
    this.users.set(user.id, user);
    return user;
  }

  userNamed(userName: string): StoredUser | undefined {
    return [...this.users.values()].find((u) => u.userName === userName);
  }

  grantsOf(userId: string): IdGrant[] {
    return [...(this.users.get(userId)?.grants.values() ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
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
      createUser: async ({ agent, homeDivision }): Promise<CreateUserResult> => {
        call('createUser');
        await this.holdCreate;
        if (this.userNamed(agent.login)) return { kind: 'conflict' };
        const user = view(this.seedUser(agent.login, homeDivision));
        if (this.loseNextCreateAnswer) {
          this.loseNextCreateAnswer = false;
          throw ApplicationFailure.create({
            type: 'GenesysTransport',
            message: 'socket hang up after the create committed',
          });
        }
        return { kind: 'created', user };
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
      },
      lookupRoles: async ({ names }) => {
        call('lookupRoles');
        return Object.fromEntries(names.filter((n) => this.roles[n]).map((n) => [n, this.roles[n]!]));
      },
      lookupDivisions: async ({ names }) => {
        call('lookupDivisions');
        return Object.fromEntries(names.filter((n) => DIVISION_IDS[n]).map((n) => [n, DIVISION_IDS[n]!]));
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
