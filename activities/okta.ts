// Okta activities for the lifecycle workflow's teardown: take the agent out of the season's groups, deactivate
// the Okta user. Both are idempotent under retries, including after a response that never arrived.
import { Context } from '@temporalio/activity';
import { isOktaApiError, type OktaClient, type OktaGroup } from '../integrations/okta';
import { toTemporalFailure } from './okta-failures';
import { resolveOktaClient, type OktaClientSource } from './okta-registry';
import type { OktaActivities } from './types';

export type { OktaClientSource } from './okta-registry';

/** Runs one Okta call; OktaApiErrors become deliberate Temporal failures, anything else (a bug) propagates. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isOktaApiError(err)) throw toTemporalFailure(err);
    throw err;
  }
}

/** The user's groups; none when Okta no longer knows the user (removing from the given ids is then a no-op). */
async function currentGroups(client: OktaClient, oktaUserId: string): Promise<OktaGroup[]> {
  try {
    return await client.listUserGroups(oktaUserId, { signal: Context.current().cancellationSignal });
  } catch (err) {
    if (isOktaApiError(err, 'NotFound')) return [];
    throw isOktaApiError(err) ? toTemporalFailure(err) : err;
  }
}

export function createOktaActivities(source: OktaClientSource): OktaActivities {
  const clientFor = (orgId: string): OktaClient => resolveOktaClient(source, orgId);
  const signal = () => Context.current().cancellationSignal;

  return {
    async removeFromOktaGroups({ orgId, oktaUserId, groupIds, seasonGroups }) {
      const client = clientFor(orgId);
      const targets = new Set(groupIds);
      if (seasonGroups !== undefined && seasonGroups.length > 0) {
        // Okta's truth now, not only the groups the workflow heard of; a rule names a group by id or by name.
        const named = new Set(seasonGroups);
        for (const g of await currentGroups(client, oktaUserId))
          if (named.has(g.id) || named.has(g.profile.name)) targets.add(g.id);
      }
      // One group at a time: each call is one request against the org's budget, and a retry after a failure
      // in the middle simply removes again (204 or 404 both mean "not a member now").
      for (const groupId of targets) {
        await call(() => client.removeUserFromGroup(groupId, oktaUserId, { signal: signal() }));
      }
    },

    async deactivateOktaUser({ orgId, oktaUserId }) {
      const client = clientFor(orgId);
      try {
        await client.deactivateUser(oktaUserId, { signal: signal() });
      } catch (err) {
        if (!isOktaApiError(err, 'NotFound')) throw isOktaApiError(err) ? toTemporalFailure(err) : err;
        // Okta answers 404 both for an unknown user and for one already deprovisioned (perhaps by our own
        // earlier attempt whose response was lost). Only the second is success.
        const user = await call(() => client.getUser(oktaUserId, { signal: signal() }));
        if (user.status === 'DEPROVISIONED' || user.transitioningToStatus === 'DEPROVISIONED') return;
        throw toTemporalFailure(err);
      }
    },
  };
}
