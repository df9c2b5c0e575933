// Genesys activities for the lifecycle workflow: each makes one Genesys API call and is safe to retry,
// including after a response that never arrived (the write may have committed). Failures are mapped to
// Temporal failures in genesys-failures.ts; this file decides which outcomes are success.
import { Context } from '@temporalio/activity';
import type { IdGrant } from '../domain/entitlements';
import { bestUserNameMatch } from '../domain/user-match';
import { isGenesysApiError, type GenesysClient, type GenesysApiError, type ScimUser } from '../integrations/genesys';
import { toTemporalFailure, type FailureContext } from './genesys-failures';
import { resolveClient, type GenesysClientSource } from './genesys-registry';
import type { CreateUserResult, GenesysActivities, GenesysUser } from './types';

export type { GenesysClientSource } from './genesys-registry';

/** One page large enough for a contact center's roles/divisions; the limit is not documented (reference §3). */
export const LOOKUP_PAGE_SIZE = 100;
/** Ids named in a final 404 message are capped, so a long grant list cannot bloat workflow history. */
const MAX_IDS_IN_MESSAGE = 10;

function toGenesysUser(u: ScimUser): GenesysUser {
  const division = u['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.division;
  return {
    id: u.id,
    userName: u.userName,
    active: u.active,
    ...(division ? { homeDivision: division } : {}),
    ...(u.externalId ? { externalId: u.externalId } : {}),
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

/** Whether Genesys' 404 says what was missing was a role or division (not the user, which may still be lagging). */
function blamesRoleOrDivision(err: GenesysApiError): boolean {
  return /\b(role|division)/i.test(`${err.code ?? ''} ${err.upstreamMessage ?? ''}`);
}

function cancellationSignal(): AbortSignal {
  return Context.current().cancellationSignal;
}

/**
 * Runs one Genesys call; GenesysApiErrors become deliberate Temporal failures, anything else (a bug) propagates.
 * A 404 that names a role or division is final even where a lagging user would be retried.
 */
async function call<T>(fn: () => Promise<T>, failureContext: Omit<FailureContext, 'attempt'>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isGenesysApiError(err)) throw err;
    const notFound = err.kind === 'NotFound' && blamesRoleOrDivision(err) ? 'final' : failureContext.notFound;
    throw toTemporalFailure(err, { ...failureContext, notFound, attempt: Context.current().info.attempt });
  }
}

/** Runs a teardown call; a 404 for the user (not for a role or division) means there is nothing left to undo. */
async function goneIsDone(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (isGenesysApiError(err, 'NotFound') && !blamesRoleOrDivision(err)) return;
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

    async moveHomeDivision({ orgId, userId, divisionId }) {
      const client = clientFor(orgId);
      await call(() => client.moveUsersToDivision(divisionId, [userId], { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        notFoundHint: `user ${userId}; division ${divisionId}`,
      });
    },

    async getGrants({ orgId, userId }) {
      const client = clientFor(orgId);
      return call(() => client.getDirectGrants(userId, { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        notFoundHint: `user ${userId}`,
      });
    },

    async addGrants({ orgId, userId, grants }) {
      if (grants.length === 0) return;
      const client = clientFor(orgId);
      // Granting what the user already holds is a no-op upstream, so a retry after a lost 204 is harmless.
      await call(() => client.addGrants(userId, grants, { signal: cancellationSignal() }), {
        notFound: 'user-lag',
        notFoundHint: `unknown user, role or division? ${grantsHint(userId, grants)}`,
      });
    },

    async removeGrants({ orgId, userId, grants }) {
      if (grants.length === 0) return;
      const client = clientFor(orgId);
      // A user that no longer exists holds no grants: the goal is reached (e.g. another season of the same
      // person deleted the user first). A 404 naming a role or division is still a real problem.
      await call(() => goneIsDone(() => client.removeGrants(userId, grants, { signal: cancellationSignal() })), {
        notFound: 'user-lag',
        notFoundHint: grantsHint(userId, grants),
      });
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

    async joinQueue({ orgId, queueId, userId }) {
      const client = clientFor(orgId);
      // A 404 is the queue gone or the user not yet known to routing: retried a few times, then NeedsAttention
      // (a retry after the admin fixes it looks the queue's name up again).
      await call(() => client.addQueueMembers(queueId, [userId], { signal: cancellationSignal() }), {
        notFound: 'user-lag',
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
