// Carries out one user's planned work: reads the user and their current groups from Okta (once per org), then
// starts, signals or offboards the agent's workflow per season, by what Okta holds NOW (the events only say when
// to look), so any order or duplication of the same events ends the same. Anything that fails throws, so the
// delivery is answered 503 and Okta retries it; what succeeded is remembered and skipped on that retry.
import type { Client } from '@temporalio/client';
import { seasonalAgentInput, signalIfRunning, signalWithEnrol } from '../operations/seasonal-agent';
import type { SeasonConfig } from '../config/types';
import type { OktaGroupRef } from '../domain/mapping';
import {
  agentIdentityOf,
  isOktaApiError,
  isStoppedInOkta,
  stoppedReason,
  type OktaClient,
  type OktaGroup,
  type OktaUser,
} from '../integrations/okta';
import type { NameResolution } from '../domain/agent';
import { seasonalAgentWorkflowId, seasonGroupsChangedSignal, seasonOffboardSignal } from '../workflows/agent/contract';
import { seasonsForGroup, type UserWork } from './plan';

/** What the receiver reads from Okta; an OktaClient fits. */
export type OktaReader = Pick<OktaClient, 'getUser' | 'listUserGroups'>;

export interface ApplyDeps {
  temporalClient: Client;
  okta: (orgId: string) => OktaReader;
  resolved?: (seasonId: string) => NameResolution | undefined;
}

export type ActionOutcome =
  'started-or-signalled' | 'signalled' | 'offboard-signalled' | 'no-workflow' | 'already-closed' | 'skipped';

export interface ActionRecord {
  oktaUserId: string;
  orgId: string;
  /** Absent for an offboard of the whole person (every season of the org). */
  seasonId?: string;
  action: 'groups' | 'offboard';
  outcome: ActionOutcome;
}

/** Only the user's groups that this season maps: the workflow's history holds nothing else. */
function seasonalGroups(groups: OktaGroup[], season: SeasonConfig): OktaGroupRef[] {
  return groups.map((g) => ({ id: g.id, name: g.profile.name })).filter((g) => seasonsForGroup(g, [season]).length > 0);
}

/**
 * Okta stopped the user (deactivated, suspended): the person leaves every season of the org, not only the
 * active seasons this receiver knows (a season that starts later may already hold them), so no seasonId.
 */
async function offboardPerson(
  deps: ApplyDeps,
  orgId: string,
  oktaUserId: string,
  reason: string,
): Promise<ActionRecord> {
  const outcome = await signalIfRunning(deps.temporalClient, seasonalAgentWorkflowId(orgId, oktaUserId), (h) =>
    h.signal(seasonOffboardSignal, { reason }),
  );
  return { oktaUserId, orgId, action: 'offboard', outcome: outcome === 'signalled' ? 'offboard-signalled' : outcome };
}

interface OktaView {
  /** null: the user no longer exists in Okta. */
  user: OktaUser | null;
  groups: OktaGroup[];
}

async function readOkta(okta: OktaReader, oktaUserId: string): Promise<OktaView> {
  try {
    const [user, groups] = await Promise.all([okta.getUser(oktaUserId), okta.listUserGroups(oktaUserId)]);
    return { user, groups };
  } catch (err) {
    // Deleted since the event: no groups left, so a running workflow offboards and nothing new starts.
    if (isOktaApiError(err, 'NotFound')) return { user: null, groups: [] };
    throw err;
  }
}

async function applyGroups(
  deps: ApplyDeps,
  work: UserWork,
  season: SeasonConfig,
  view: OktaView,
  named: boolean,
): Promise<ActionRecord> {
  const base = { oktaUserId: work.oktaUserId, orgId: season.orgId, seasonId: season.id, action: 'groups' as const };
  const groups = seasonalGroups(view.groups, season);
  const asOf = work.groupsAsOf ?? new Date().toISOString();
  const workflowId = seasonalAgentWorkflowId(season.orgId, work.oktaUserId);

  if (view.user && isStoppedInOkta(view.user.status)) {
    // Deactivation keeps memberships: a membership event for a stopped user must not provision them.
    const r = await offboardPerson(deps, season.orgId, work.oktaUserId, stoppedReason(view.user.status));
    return { ...r, seasonId: season.id, action: 'groups' };
  }
  if (groups.length === 0 || !view.user) {
    // Nothing seasonal for this season now. Starting a workflow would only end at once, so only a running one
    // hears about it.
    if (!named) return { ...base, outcome: 'skipped' };
    const outcome = await signalIfRunning(deps.temporalClient, workflowId, (h) =>
      h.signal(seasonGroupsChangedSignal, { seasonId: season.id, groups, asOf }),
    );
    return { ...base, outcome };
  }
  const resolved = deps.resolved?.(season.id);
  const { outcome } = await signalWithEnrol(
    deps.temporalClient,
    seasonalAgentInput(season, agentIdentityOf(view.user), groups, asOf, resolved),
  );
  return { ...base, outcome: outcome === 'signalled' ? 'started-or-signalled' : 'already-closed' };
}

/**
 * A deactivate or suspend event is a trigger too: the person is offboarded only if Okta still has them stopped
 * (or deleted). One that was reactivated since is left alone, so the outcome is the same in any delivery order.
 */
async function applyStop(deps: ApplyDeps, orgId: string, work: UserWork, view: OktaView): Promise<ActionRecord> {
  if (view.user && !isStoppedInOkta(view.user.status))
    return { oktaUserId: work.oktaUserId, orgId, action: 'offboard', outcome: 'skipped' };
  return offboardPerson(deps, orgId, work.oktaUserId, work.offboardReason!);
}

export async function applyUserWork(deps: ApplyDeps, work: UserWork, seasons: SeasonConfig[]): Promise<ActionRecord[]> {
  const wantsGroups = work.groupsAsOf !== undefined;
  const wantsStop = work.offboardReason !== undefined;
  const candidates = seasons.filter((s) => work.checkAllSeasons || work.namedSeasonIds.includes(s.id));

  // One Okta read per org (an org's seasons share its Okta), in parallel across orgs.
  const views = new Map<string, Promise<OktaView>>();
  const viewOf = (orgId: string): Promise<OktaView> => {
    let view = views.get(orgId);
    if (!view) {
      view = readOkta(deps.okta(orgId), work.oktaUserId);
      views.set(orgId, view);
    }
    return view;
  };

  const actions: Array<Promise<ActionRecord>> = [];
  if (wantsGroups) {
    for (const s of candidates)
      actions.push(
        viewOf(s.orgId).then((view) => applyGroups(deps, work, s, view, work.namedSeasonIds.includes(s.id))),
      );
  }
  if (wantsStop) {
    // One signal per org: the person's one workflow there ends every season it holds.
    for (const orgId of new Set(seasons.map((s) => s.orgId)))
      actions.push(viewOf(orgId).then((view) => applyStop(deps, orgId, work, view)));
  }
  // allSettled, then rethrow: every action gets its chance before the delivery is reported as failed.
  const settled = await Promise.allSettled(actions);
  const records: ActionRecord[] = [];
  for (const r of settled) {
    if (r.status === 'rejected') throw r.reason;
    records.push(r.value);
  }
  return records;
}
