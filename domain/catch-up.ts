// The catch-up reconciliation's judgement, kept pure (it runs inside the catch-up workflow): given the season's
// agent workflows and the current members of its Okta groups, what did the event hooks miss? Okta drops events
// past its limits and never replays them, so a member may have no workflow, and a workflow may belong to someone
// who left every season group or whom Okta has stopped.
//
// Only ids cross this boundary (Okta user ids, group ids and names): no profile reaches the workflow history.
import type { OktaGroupRef } from './mapping';

/** A current member of at least one of the season's Okta groups. */
export interface SeasonMember {
  oktaUserId: string;
  /** The season groups the user is in (ids; names in SeasonMembers.groups). */
  groupIds: string[];
  /** Set only when Okta has stopped the user for good (deprovisioned): the offboarding reason. */
  stopped?: string;
  /** Okta has the user suspended: reversible, so their agent is suspended, never offboarded nor started. */
  suspended?: boolean;
}

export interface SeasonMembers {
  /** When the Okta read began: the groups below were true at least then (the asOf of what is sent). */
  asOf: string;
  /** The season's groups as Okta knows them now. */
  groups: OktaGroupRef[];
  /** Mapping entries (names or ids) Okta has no group for: their members cannot be known. */
  missingGroups: string[];
  members: SeasonMember[];
}

/** The season's agent workflows by Okta user id, from Temporal visibility. */
export interface SeasonWorkflows {
  running: string[];
  /** Closed within the namespace's retention: deliberately ended, never restarted by the catch-up. */
  closed: string[];
}

export type CatchUpAction =
  | { kind: 'start'; oktaUserId: string; groups: OktaGroupRef[] }
  /** No season group left: the same `groupsChanged` an Okta remove event would have brought. */
  | { kind: 'groups-gone'; oktaUserId: string }
  | { kind: 'offboard'; oktaUserId: string; reason: string }
  /** Suspended in Okta: the agent loses access but keeps the user and the season (the hook may have been lost). */
  | { kind: 'suspend'; oktaUserId: string };

export interface CatchUpPlan {
  actions: CatchUpAction[];
  /** Stopped or suspended in Okta, no running workflow: nothing to start. */
  stoppedWithoutWorkflow: string[];
  /** Members whose workflow has ended (offboarded early, still in a group): left alone. */
  endedMembers: string[];
  /** Leavers not offboarded in this run, and why (an operator decides: `season offboard`). */
  held?: { reason: string; oktaUserIds: string[] };
}

/**
 * Like the CLI's circuit breaker for mass offboarding (10 % of the season's agents), with a floor so that a small
 * season's few ordinary leavers are not held. A read that silently lost members must not empty a season.
 */
export const BREAKER_SHARE = 0.1;
export const BREAKER_FLOOR = 5;

export function breakerLimit(running: number): number {
  return Math.max(BREAKER_FLOOR, Math.ceil(running * BREAKER_SHARE));
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planCatchUp(workflows: SeasonWorkflows, snapshot: SeasonMembers): CatchUpPlan {
  const running = new Set(workflows.running);
  const closed = new Set(workflows.closed);
  const groupById = new Map(snapshot.groups.map((g) => [g.id, g]));
  const memberIds = new Set(snapshot.members.map((m) => m.oktaUserId));
  const plan: CatchUpPlan = { actions: [], stoppedWithoutWorkflow: [], endedMembers: [] };

  for (const m of [...snapshot.members].sort((a, b) => byId(a.oktaUserId, b.oktaUserId))) {
    if (m.stopped !== undefined) {
      if (running.has(m.oktaUserId))
        plan.actions.push({ kind: 'offboard', oktaUserId: m.oktaUserId, reason: m.stopped });
      else plan.stoppedWithoutWorkflow.push(m.oktaUserId);
    } else if (m.suspended) {
      if (running.has(m.oktaUserId)) plan.actions.push({ kind: 'suspend', oktaUserId: m.oktaUserId });
      else plan.stoppedWithoutWorkflow.push(m.oktaUserId);
    } else if (closed.has(m.oktaUserId) && !running.has(m.oktaUserId)) {
      plan.endedMembers.push(m.oktaUserId);
    } else if (!running.has(m.oktaUserId)) {
      const groups = m.groupIds.map((id) => groupById.get(id) ?? { id });
      plan.actions.push({ kind: 'start', oktaUserId: m.oktaUserId, groups });
    }
  }

  const gone = [...running].filter((id) => !memberIds.has(id)).sort(byId);
  if (gone.length === 0) return plan;
  if (snapshot.missingGroups.length > 0) {
    // A group Okta cannot find (renamed, deleted, search lagging) hides its members: absence proves nothing.
    plan.held = {
      reason: `Okta has no group for ${snapshot.missingGroups.map((g) => `"${g}"`).join(', ')}`,
      oktaUserIds: gone,
    };
  } else if (gone.length > breakerLimit(running.size)) {
    plan.held = {
      reason: `${gone.length} of ${running.size} running agents are in no season group, above the breaker's ${breakerLimit(running.size)}`,
      oktaUserIds: gone,
    };
  } else {
    for (const oktaUserId of gone) plan.actions.push({ kind: 'groups-gone', oktaUserId });
  }
  return plan;
}
