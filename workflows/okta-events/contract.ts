// The Okta-events workflow's public contract: one workflow per (org, Okta user) that turns the receiver's
// triggers into what Okta says now. The receiver only hands triggers over (signal-with-start) and answers Okta at
// once; reading Okta happens in this workflow's activity, with retries. Ids, season shapes and timestamps only:
// the user's profile is read inside the activity and never enters this workflow's history.
import { defineSignal } from '@temporalio/workflow';
import type { NameResolution } from '../../domain/agent';
import type { SeasonShape } from '../../domain/season';

export const OKTA_USER_EVENTS_WORKFLOW = 'oktaUserEvents';
/** Its own queue: triggers are never stuck behind agents' workflow tasks, and tests can run it alone. */
export const OKTA_EVENTS_TASK_QUEUE = 'okta-events';

/** Org and Okta user id only (never an email or a name). */
export function oktaUserEventsWorkflowId(orgId: string, oktaUserId: string): string {
  return `okta-user/${orgId}/${oktaUserId}`;
}

/** What one or more hook events asked the provisioner to look at for one person in one org. */
export interface OktaTrigger {
  /** Seasons (of this org, active when the event arrived) the events concern: their shapes travel along. */
  seasons: SeasonShape[];
  /** Seasons whose mapping names a group of a membership event: a running agent hears even "no group left". */
  namedSeasonIds: string[];
  /** A create (or a return to active) was seen: enrol in any of `seasons` whose groups the user is in. */
  checkAllSeasons: boolean;
  /** Newest `published` among membership/create events: the asOf of the groups sent to the agent. */
  groupsAsOf?: string;
  /** A lifecycle event (deactivate, suspend, unsuspend, reactivate…) was seen: tell the agent Okta's status. */
  lifecycle: boolean;
  /** Role/division ids the receiver knows per season, so started agents skip their lookups. */
  resolved?: Record<string, NameResolution>;
}

export interface OktaUserEventsInput {
  orgId: string;
  oktaUserId: string;
}

export const oktaTriggerSignal = defineSignal<[OktaTrigger]>('oktaTrigger');

/** Triggers that arrived while the last one was being applied: one Okta read serves them all. */
export function mergeTriggers(triggers: OktaTrigger[]): OktaTrigger {
  const seasons = new Map<string, SeasonShape>();
  const named = new Set<string>();
  const resolved: Record<string, NameResolution> = {};
  let checkAllSeasons = false;
  let lifecycle = false;
  let groupsAsOf: string | undefined;
  for (const t of triggers) {
    for (const s of t.seasons) seasons.set(s.id, s);
    for (const id of t.namedSeasonIds) named.add(id);
    Object.assign(resolved, t.resolved ?? {});
    checkAllSeasons ||= t.checkAllSeasons;
    lifecycle ||= t.lifecycle;
    if (t.groupsAsOf !== undefined && (groupsAsOf === undefined || Date.parse(t.groupsAsOf) > Date.parse(groupsAsOf)))
      groupsAsOf = t.groupsAsOf;
  }
  return {
    seasons: [...seasons.values()],
    namedSeasonIds: [...named],
    checkAllSeasons,
    lifecycle,
    ...(groupsAsOf !== undefined ? { groupsAsOf } : {}),
    ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
  };
}
