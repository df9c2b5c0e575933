// Genesys activities for the lifecycle workflow: each makes one Genesys API call and is safe to retry,
// including after a response that never arrived (the write may have committed). Failures are mapped to
// Temporal failures in genesys-failures.ts; this file decides which outcomes are success.
import { Context } from '@temporalio/activity';
import type { IdGrant } from '../domain/entitlements';
import { bestUserNameMatch } from '../domain/user-match';
import { isGenesysApiError, type GenesysClient, type PlatformUser, type ScimUser } from '../integrations/genesys';
import { applicationFailure } from './application-failure';
import { toTemporalFailure, type FailureContext } from './genesys-failures';
import { resolveClient, type GenesysClientSource } from './genesys-registry';
import type { CreateUserResult, FoundUser, GenesysActivities, GenesysUser } from './types';
import { USER_LOGINS_BATCH } from '../workflows/catch-up-contract';

export type { GenesysClientSource } from './genesys-registry';

/** One page large enough for a contact center's roles/divisions; the limit is not documented (reference §3). */
export const LOOKUP_PAGE_SIZE = 100;
/** Ids named in a final 404 message are capped, so a long grant list cannot bloat workflow history. */
const MAX_IDS_IN_MESSAGE = 10;
/**
 * Attempts of a lookup for a userName Genesys just called taken (409) before giving up: search lags behind creates
 * and deletes (the Terraform provider polls it for up to 3 minutes after a delete). With the workflow's backoff
 * (1 s doubling, at most 1 min) the last attempt comes about 2 minutes after the first.
 */
export const TAKEN_LOOKUP_ATTEMPTS = 8;

function toGenesysUser(u: ScimUser): GenesysUser {
  const division = u['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.division;
  const ext = u['urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User'];
  const copy = (list: Array<{ name: string; proficiency: number }> | null | undefined) =>
    (list ?? []).map((p) => ({ name: p.name, proficiency: p.proficiency }));
  return {
    id: u.id,
    userName: u.userName,
    active: u.active,
    ...(division ? { homeDivision: division } : {}),
    ...(u.externalId ? { externalId: u.externalId } : {}),
    ...(ext ? { routing: { skills: copy(ext.routingSkills), languages: copy(ext.routingLanguages) } } : {}),
  };
}

function toFoundUser(u: PlatformUser): FoundUser {
  return {
    id: u.id,
    state: u.state,
    version: u.version,
    ...(u.division?.name ? { homeDivision: u.division.name } : {}),
  };
}

function listIds(ids: string[]): string {
  const unique = [...new Set(ids)];
  const shown = unique.slice(0, MAX_IDS_IN_MESSAGE).join(', ');
  return unique.length > MAX_IDS_IN_MESSAGE ? `${shown}, … (${unique.length} in all)` : shown;
}

function grantsHint(userId: string, grants: IdGrant[]): string {
  return `user ${userId}; roles [${listIds(grants.map((g) => g.roleId))}]; divisions [${listIds(grants.map((g) => g.divisionId))}]`;
}

function cancellationSignal(): AbortSignal {
  return Context.current().cancellationSignal;
}

/**
 * Runs one Genesys call; GenesysApiErrors become deliberate Temporal failures, anything else (a bug) propagates.
 * What a 404 means is decided from the call (failureContext.notFound) and the time since the workflow created the
 * user (userCreatedAt), never from the error's text, which Genesys does not document.
 */
async function call<T>(fn: () => Promise<T>, failureContext: Omit<FailureContext, 'attempt'>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isGenesysApiError(err)) throw err;
    throw toTemporalFailure(err, { ...failureContext, attempt: Context.current().info.attempt });
  }
}

/**
 * Runs a call whose 404 reaches the goal: deactivating a user that no longer exists, or removing grants when the
 * user, the role or the division is gone (none of them can leave the user holding the grant).
 */
async function goneIsDone(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (isGenesysApiError(err, 'NotFound')) return;
    throw err;
  }
}

/** Builds the activities over per-org clients: pass clients, or OrgConnections (clients are then built once per org). */
export function createGenesysActivities(source: GenesysClientSource): GenesysActivities {
  const clientFor = (orgId: string): GenesysClient => resolveClient(source, orgId);

  return {
    async findUserByUserName({ orgId, userName }) {
      const client = clientFor(orgId);
      const users = await call(() => client.findUsersByUserName(userName, { signal: cancellationSignal() }), {
        notFound: 'final',
      });
      const best = bestUserNameMatch(users, userName);
      return best ? toGenesysUser(best) : null;
    },

    async createUser({ orgId, agent, homeDivision, routing }): Promise<CreateUserResult> {
      const client = clientFor(orgId);
      try {
        const user = await client.createUser(
          {
            userName: agent.login,
            givenName: agent.givenName,
            familyName: agent.familyName,
            email: agent.email,
            externalId: agent.oktaUserId,
            homeDivisionName: homeDivision,
            employeeNumber: agent.employeeNumber,
            routing,
          },
          { signal: cancellationSignal() },
        );
        return { kind: 'created', user: toGenesysUser(user) };
      } catch (err) {
        // The userName is taken: either an earlier attempt committed but its response was lost, or the person
        // already exists. Either way the workflow looks the user up and adopts it.
        if (isGenesysApiError(err, 'Conflict') && err.status === 409) return { kind: 'conflict' };
        if (isGenesysApiError(err)) {
          throw toTemporalFailure(err, {
            attempt: Context.current().info.attempt,
            notFound: 'final',
            notFoundHint: `home division "${homeDivision}"`,
          });
        }
        throw err;
      }
    },

    async moveHomeDivision({ orgId, userId, divisionId, userCreatedAt }) {
      const client = clientFor(orgId);
      await call(() => client.moveUsersToDivision(divisionId, [userId], { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        userCreatedAt,
        notFoundHint: `user ${userId}; division ${divisionId}`,
      });
    },

    async getGrants({ orgId, userId, userCreatedAt }) {
      const client = clientFor(orgId);
      return call(() => client.getDirectGrants(userId, { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        userCreatedAt,
        notFoundHint: `user ${userId}`,
      });
    },

    async addGrants({ orgId, userId, grants, userCreatedAt }) {
      if (grants.length === 0) return;
      const client = clientFor(orgId);
      // Granting what the user already holds is a no-op upstream, so a retry after a lost 204 is harmless. The role
      // and division ids were looked up by name just before; a 404 past the lag window names them all.
      await call(() => client.addGrants(userId, grants, { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        userCreatedAt,
        notFoundHint: `unknown user, role or division? ${grantsHint(userId, grants)}`,
      });
    },

    async removeGrants({ orgId, userId, grants }) {
      if (grants.length === 0) return;
      const client = clientFor(orgId);
      // Whatever the 404 is about (the user deleted, e.g. by another season of the same person, or a role or
      // division deleted), the user does not hold the grant any more: the goal is reached.
      await call(() => goneIsDone(() => client.removeGrants(userId, grants, { signal: cancellationSignal() })), {
        notFound: 'final',
        notFoundHint: grantsHint(userId, grants),
      });
    },

    async findUserInAnyState({ orgId, userName, retryIfMissing }) {
      const client = clientFor(orgId);
      const found = await call(
        () =>
          client.searchUsersByUserName(userName, ['active', 'inactive', 'deleted'], { signal: cancellationSignal() }),
        { notFound: 'final' },
      );
      const wanted = userName.toLowerCase();
      const holders = found.filter((u) => (u.username ?? u.email ?? '').toLowerCase() === wanted);
      // A live holder first (a userName is unique among live users); else the deleted one with the highest version.
      const live = holders.find((u) => u.state !== 'deleted');
      const best = live ?? [...holders].sort((a, b) => b.version - a.version)[0];
      if (best) return toFoundUser(best);
      if (!retryIfMissing) return null;
      const attempt = Context.current().info.attempt;
      const message = `Genesys reports the userName as taken, but the users search finds no user holding it (attempt ${attempt})`;
      // Search lags behind creates and deletes: retried with the workflow's backoff, then someone should look.
      throw applicationFailure(
        attempt < TAKEN_LOOKUP_ATTEMPTS ? 'GenesysNotFoundYet' : 'GenesysNotFound',
        message,
        attempt >= TAKEN_LOOKUP_ATTEMPTS,
      );
    },

    async restoreUser({ orgId, userId, version }) {
      const client = clientFor(orgId);
      try {
        const user = await client.restoreUser(userId, version, { signal: cancellationSignal() });
        return {
          kind: 'restored',
          user: {
            id: user.id,
            userName: user.username ?? user.email ?? '',
            active: user.state === 'active',
            ...(user.division?.name ? { homeDivision: user.division.name } : {}),
          },
        };
      } catch (err) {
        // The version moved on since the search (or the search lagged): the workflow searches again.
        if (isGenesysApiError(err, 'Conflict')) return { kind: 'stale' };
        if (isGenesysApiError(err))
          throw toTemporalFailure(err, {
            attempt: Context.current().info.attempt,
            notFound: 'final',
            notFoundHint: `user ${userId}`,
          });
        throw err;
      }
    },

    async setUserActive({ orgId, userId, active }) {
      const client = clientFor(orgId);
      // Deactivating a user that no longer exists reaches the goal too; activating one does not.
      const patch = () => client.setUserActive(userId, active, { signal: cancellationSignal() });
      await call(active ? patch : () => goneIsDone(patch), { notFound: 'user-lag', notFoundHint: `user ${userId}` });
    },

    async deleteUser({ orgId, userId }) {
      const client = clientFor(orgId);
      try {
        await client.deleteUser(userId, { signal: cancellationSignal() });
      } catch (err) {
        // Gone already (an earlier attempt whose response was lost, or someone else): the goal is reached.
        if (isGenesysApiError(err, 'NotFound')) return;
        if (isGenesysApiError(err))
          throw toTemporalFailure(err, { attempt: Context.current().info.attempt, notFound: 'final' });
        throw err;
      }
    },

    async getUserRouting({ orgId, userId }) {
      const client = clientFor(orgId);
      return call(() => client.getUserRouting(userId, { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        notFoundHint: `user ${userId}`,
      });
    },

    async readUserLogins({ orgId, userIds }) {
      if (userIds.length > USER_LOGINS_BATCH)
        throw applicationFailure(
          'InvalidInput',
          `readUserLogins takes at most ${USER_LOGINS_BATCH} users (one call), not ${userIds.length}`,
          true,
        );
      const client = clientFor(orgId);
      const users = await call(() => client.usersLogins(userIds, { signal: cancellationSignal() }), {
        notFound: 'final',
      });
      // dateLastLogin may miss a login made through SSO (the evidence); the newer of the two is the login.
      return users.map((u) => {
        const last = [u.dateLastLogin, u.lastTokenIssued]
          .filter((t): t is string => t !== undefined)
          .sort()
          .pop();
        return { userId: u.id, ...(last ? { lastLogin: new Date(Date.parse(last)).toISOString() } : {}) };
      });
    },

    async setUserRouting({ orgId, userId, routing }) {
      const client = clientFor(orgId);
      // A name the org does not have is a 400 (non-healing): the agent waits in NeedsAttention with the reason.
      await call(() => client.setUserRouting(userId, routing, { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        notFoundHint: `user ${userId}`,
      });
    },

    async lookupQueues({ orgId, names }) {
      const client = clientFor(orgId);
      const page = await call(
        () =>
          client.listRouting(
            'queues',
            { name: names.length === 1 ? names[0] : undefined, pageSize: LOOKUP_PAGE_SIZE },
            { signal: cancellationSignal() },
          ),
        { notFound: 'final' },
      );
      return pickByName(page.entities, names, page.more, 'queues');
    },

    async joinQueue({ orgId, queueId, userId, userCreatedAt }) {
      const client = clientFor(orgId);
      // A 404 is the queue gone or the user not yet known to routing: retried while the user may be lagging, then
      // NeedsAttention (a retry after the admin fixes it looks the queue's name up again).
      await call(() => client.addQueueMembers(queueId, [userId], { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        userCreatedAt,
        notFoundHint: `queue ${queueId}; user ${userId}`,
      });
    },

    async leaveQueue({ orgId, queueId, userId }) {
      const client = clientFor(orgId);
      await call(
        async () => {
          try {
            await client.removeQueueMembers(queueId, [userId], { signal: cancellationSignal() });
          } catch (err) {
            // The queue or the user is gone: the user is in no such queue, which is the goal.
            if (isGenesysApiError(err, 'NotFound')) return;
            throw err;
          }
        },
        { notFound: 'final' },
      );
    },

    async lookupRoles({ orgId, names }) {
      const client = clientFor(orgId);
      const page = await call(
        () =>
          client.listRoles(
            { name: names.length === 1 ? names[0] : undefined, pageSize: LOOKUP_PAGE_SIZE },
            { signal: cancellationSignal() },
          ),
        { notFound: 'final' },
      );
      return pickByName(page.entities, names, page.more, 'roles');
    },

    async lookupDivisions({ orgId, names }) {
      const client = clientFor(orgId);
      const page = await call(
        () =>
          client.listDivisions(
            { name: names.length === 1 ? names[0] : undefined, pageSize: LOOKUP_PAGE_SIZE },
            { signal: cancellationSignal() },
          ),
        { notFound: 'final' },
      );
      return pickByName(page.entities, names, page.more, 'divisions');
    },
  };
}

/** Exact, case-sensitive name match (Genesys names are what the mapping must spell). */
function pickByName(
  entities: Array<{ id: string; name: string }>,
  names: string[],
  more: boolean,
  what: string,
): Record<string, string> {
  const wanted = new Set(names);
  const out: Record<string, string> = {};
  for (const e of entities) if (wanted.has(e.name) && out[e.name] === undefined) out[e.name] = e.id;
  const missing = names.filter((n) => out[n] === undefined);
  if (missing.length > 0 && more) {
    // One page per activity keeps the request count exact; say so when that may hide a name.
    Context.current().log.warn(
      `Genesys ${what} lookup: ${missing.length} name(s) not on the first page of ${LOOKUP_PAGE_SIZE}; the org has more`,
    );
  }
  return out;
}
