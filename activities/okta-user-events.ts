// The Okta-events workflow's activity: read the user and their groups from Okta NOW, then make the person's agent
// workflow match, per season, whatever order the events came in (they only said when to look). Moved here from
// the hook receiver, so Okta's answer time never holds up the hook's answer and a slow or rate-limited Okta is
// retried by Temporal instead of turning into a 503.
//
//   deleted or DEPROVISIONED → offboard every season of the org (running workflow only)
//   SUSPENDED                → suspend (running workflow only): access goes, the user and the seasons stay
//   otherwise                → per season: its groups left → enrol (signal-with-start); none → groups [] to a
//                              running workflow; after a lifecycle event also resume (undoes a suspend)
import { Context } from '@temporalio/activity';
import { Client, type Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { computeEntitlements } from '../domain/entitlements';
import type { OktaGroupRef } from '../domain/mapping';
import type { SeasonShape } from '../domain/season';
import { agentIdentityOf, isOktaApiError, type OktaClient, type OktaGroup, type OktaUser } from '../integrations/okta';
import { seasonalAgentInput, signalIfRunning, signalWithEnrol } from '../operations/seasonal-agent';
import {
  oktaStatusSignal,
  seasonalAgentWorkflowId,
  seasonGroupsChangedSignal,
  seasonOffboardSignal,
} from '../workflows/agent/contract';
import type { OktaTriggerAction, OktaUserEventActivities } from '../workflows/okta-events/activities';
import type { OktaTrigger } from '../workflows/okta-events/contract';
import { toTemporalFailure } from './okta-failures';
import { resolveOktaClient, type OktaClientSource } from './okta-registry';

export interface OktaUserEventDeps {
  okta: OktaClientSource;
  connection: Connection;
  namespace: string;
  /** The worker's payload encryption: agents started here carry names and emails in their input. */
  dataConverter?: DataConverter;
}

interface OktaView {
  /** null: the user no longer exists in Okta. */
  user: OktaUser | null;
  groups: OktaGroup[];
  /** When the read began: Okta's state is at least this new. */
  readAt: string;
}

/** Seasons whose mapping has a rule for this group (by id, or by name). */
export function seasonMapsGroup(season: SeasonShape, group: OktaGroupRef): boolean {
  return computeEntitlements(season.mapping, [group]).matchedGroups.length > 0;
}

/** Only the user's groups that this season maps: the agent's history holds nothing else. */
function seasonalGroups(groups: OktaGroup[], season: SeasonShape): OktaGroupRef[] {
  return groups.map((g) => ({ id: g.id, name: g.profile.name })).filter((g) => seasonMapsGroup(season, g));
}

async function readOkta(okta: OktaClient, oktaUserId: string, signal: AbortSignal): Promise<OktaView> {
  const readAt = new Date().toISOString();
  try {
    const [user, groups] = await Promise.all([
      okta.getUser(oktaUserId, { signal }),
      okta.listUserGroups(oktaUserId, { signal }),
    ]);
    return { user, groups, readAt };
  } catch (err) {
    // Deleted since the event: a running workflow offboards and nothing new starts.
    if (isOktaApiError(err, 'NotFound')) return { user: null, groups: [], readAt };
    throw isOktaApiError(err) ? toTemporalFailure(err) : err;
  }
}

export function createOktaUserEventActivities(deps: OktaUserEventDeps): OktaUserEventActivities {
  const client = new Client({
    connection: deps.connection,
    namespace: deps.namespace,
    dataConverter: deps.dataConverter,
  });

  return {
    async followOktaUser({ orgId, oktaUserId, trigger }) {
      const okta = resolveOktaClient(deps.okta, orgId);
      const view = await readOkta(okta, oktaUserId, Context.current().cancellationSignal);
      const workflowId = seasonalAgentWorkflowId(orgId, oktaUserId);
      const toRunning = (send: Parameters<typeof signalIfRunning>[2]) => signalIfRunning(client, workflowId, send);

      const status = view.user?.status;
      if (view.user === null || status === 'DEPROVISIONED') {
        // Okta stopped the person for good: every season of the org ends (not only the ones named here).
        const reason = view.user === null ? 'Okta user deleted' : 'Okta user deactivated';
        const outcome = await toRunning((h) => h.signal(seasonOffboardSignal, { reason }));
        return [{ action: 'offboard', outcome }];
      }
      if (status === 'SUSPENDED') {
        // Reversible: access goes now, the user and the seasons stay (a membership event never starts one).
        const outcome = await toRunning((h) => h.signal(oktaStatusSignal, { suspended: true, asOf: view.readAt }));
        return [{ action: 'suspend', outcome }];
      }
      const actions = await Promise.all(
        trigger.seasons
          .filter((s) => s.orgId === orgId && (trigger.checkAllSeasons || trigger.namedSeasonIds.includes(s.id)))
          .map((s) => applyGroups(client, trigger, s, view)),
      );
      if (trigger.lifecycle) {
        const outcome = await toRunning((h) => h.signal(oktaStatusSignal, { suspended: false, asOf: view.readAt }));
        actions.push({ action: 'resume', outcome });
      }
      return actions;
    },
  };
}

async function applyGroups(
  client: Client,
  trigger: OktaTrigger,
  season: SeasonShape,
  view: OktaView,
): Promise<OktaTriggerAction> {
  const user = view.user!;
  const base = { seasonId: season.id, action: 'groups' as const };
  const groups = seasonalGroups(view.groups, season);
  const asOf = trigger.groupsAsOf ?? view.readAt;
  if (groups.length === 0) {
    // Nothing seasonal for this season now. Starting a workflow would only end at once, so only a running one
    // hears about it, and only for a season an event named.
    if (!trigger.namedSeasonIds.includes(season.id)) return { ...base, outcome: 'skipped' };
    const outcome = await signalIfRunning(client, seasonalAgentWorkflowId(season.orgId, user.id), (h) =>
      h.signal(seasonGroupsChangedSignal, { seasonId: season.id, groups, asOf }),
    );
    return { ...base, outcome };
  }
  const { outcome } = await signalWithEnrol(
    client,
    seasonalAgentInput(season, agentIdentityOf(user), groups, asOf, trigger.resolved?.[season.id]),
  );
  return { ...base, outcome: outcome === 'signalled' ? 'started-or-signalled' : 'already-closed' };
}
