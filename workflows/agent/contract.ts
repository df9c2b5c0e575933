// The seasonal agent workflow's public contract: input, messages and state. One workflow per (org, Okta user)
// owns that person's Genesys user and holds their season enrolments. Clients (CLI, hook receiver, catch-up)
// import this file, never the workflow logic. Payloads are single objects so fields can be added later.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OktaGroupRef, SeasonMapping } from '../../domain/mapping';
import type { AgentIdentity, DeprovisionPolicy, NameResolution } from '../../domain/agent';
import type { AgentPhase, GrantView, HistoryEntry, QueueView, RoutingView } from '../messages';

export const SEASONAL_AGENT_WORKFLOW = 'seasonalAgent';

/** The Genesys call plans a run may follow (SeasonalAgentInput.genesysCalls); absent is the first. */
export type GenesysCallPlan = 2 | 3;
/** The Genesys call plan new runs follow. */
export const GENESYS_CALL_PLAN: GenesysCallPlan = 3;

/** Workflow id: org and Okta user id only (never an email or a name). One per person per org, across seasons. */
export function seasonalAgentWorkflowId(orgId: string, oktaUserId: string): string {
  return `agent/${orgId}/${oktaUserId}`;
}

/** A person's place in one season: the season's end (movable), mapping, policy and the groups it maps. */
export interface EnrolRequest {
  seasonId: string;
  /** ISO-8601 instant. */
  seasonEndsAt: string;
  mapping: SeasonMapping;
  policy: DeprovisionPolicy;
  /** The person's Okta groups that this season maps. */
  groups: OktaGroupRef[];
  /** When the group list was true (ISO-8601); an older list for the same season is ignored. */
  asOf: string;
  /** Role/division ids the starter already knows: the happy path makes no lookup call. */
  resolved?: NameResolution;
}

export interface SeasonalAgentInput {
  orgId: string;
  agent: AgentIdentity;
  /** The enrolment that starts the workflow (a later one arrives as the `enrol` signal). */
  enrol: EnrolRequest;
  /**
   * The Genesys call plan this run follows. 2 (issue 14): create first and look the userName up only on a 409; no
   * read-back after a bulkadd for a user made now (its 204 is the answer); nothing before a delete at once (the
   * delete takes the grants and the login). 3: as 2, and the queues are joined (and left) all at once, not one
   * after another, so an agent's last step waits for one queue call instead of one per queue. Absent in runs
   * started before plan 2: every run keeps the plan it began with, with no patch marker in every history (a
   * marker and its search-attribute upsert are billable actions).
   */
  genesysCalls?: GenesysCallPlan;
  /** Set only by continue-as-new: what the previous run held. */
  carried?: CarriedAgent;
  /**
   * Test switch (as in Temporal's samples): continue as new once the history has this many events, instead of
   * when the server suggests it. Never set in production.
   */
  continueAsNewAtHistoryLength?: number;
}

export type EnrolmentStatus = 'live' | 'ending' | 'ended';

/** One enrolment as the workflow keeps it. */
export interface Enrolment extends Omit<EnrolRequest, 'resolved'> {
  status: EnrolmentStatus;
  /** Why it ended (season ended, end-now, offboard, no seasonal group left, Okta user stopped). */
  endReason?: string;
}

/** State handed from one run to the next on continue-as-new. */
export interface CarriedAgent {
  genesysUserId?: string;
  homeDivision?: string;
  grants: GrantView[];
  /** Routing skills/languages and queues this workflow gave (absent in runs of earlier versions). */
  routing?: RoutingView;
  queues?: QueueView[];
  enrolments: Enrolment[];
  history: HistoryEntry[];
  conflicts: string[];
  resolved: NameResolution;
  /** Okta's newest word on a suspension (carried so an older one cannot win after continue-as-new). */
  oktaStatus?: OktaStatusChange;
  access?: AccessTimes;
  logins?: LoginRecord;
}

/** When the person could log in to Genesys, and when they reached Active (ISO-8601): what billing turns on. */
export interface AccessTimes {
  /** The Genesys user was first found or made active by this workflow. */
  from?: string;
  /** The workflow first reached Active (everything given): a login before this is a just-in-time miss. */
  activeAt?: string;
  /** Deactivated or deleted (absent while the person can still log in). */
  until?: string;
  /**
   * Every role the user held when Active (never shrinks): Genesys bills the highest license held in a period, and
   * once the user is gone the report infers those licenses from these roles (POST /api/v2/license/infer).
   */
  roleIds?: string[];
}

/** Logins into Genesys that the login sweep saw (Okta SSO events, Genesys's dateLastLogin): instants only. */
export interface LoginRecord {
  first?: string;
  last?: string;
  /** Distinct login instants, to the minute, oldest first (capped; the first is always kept). */
  seen: string[];
}

/** The login sweep saw these logins of the person (ISO-8601 instants); the workflow keeps the new ones. */
export interface LoginsSeen {
  logins: string[];
}

/** A season's view of the person: live enrolments share the person's phase; an ended one is Deprovisioned. */
export interface EnrolmentView {
  seasonId: string;
  seasonEndsAt: string;
  phase: AgentPhase;
  endReason?: string;
}

export interface SeasonalAgentState {
  phase: AgentPhase;
  genesysUserId?: string;
  homeDivision?: string;
  /** The grants this workflow gave: the union of what the live enrolments' mappings give. */
  grants: GrantView[];
  /** The routing skills and languages this workflow gave (absent: none yet). */
  routing?: RoutingView;
  /** The queues this workflow made the user a member of (absent: none). */
  queues?: QueueView[];
  enrolments: EnrolmentView[];
  attentionReason?: string;
  conflicts: string[];
  /** Why the whole person is being offboarded (the last enrolment ended). */
  offboardReason?: string;
  history: HistoryEntry[];
  /** Absent in runs of earlier versions (and until the user is found). */
  access?: AccessTimes;
  /** Absent until the login sweep sees a login. */
  logins?: LoginRecord;
}

export interface SeasonOffboardRequest {
  reason: string;
  /** One season's enrolment; absent: every season (Okta deactivation, left every season group). */
  seasonId?: string;
}
export interface SeasonEndMove {
  seasonId: string;
  /** ISO-8601 instant. */
  newEnd: string;
}
export interface SeasonGroupsChange {
  seasonId: string;
  groups: OktaGroupRef[];
  asOf: string;
}
/** Okta's status of the person: suspended (reversible) or not; the newest asOf wins. */
export interface OktaStatusChange {
  suspended: boolean;
  /** When Okta was read (ISO-8601). */
  asOf: string;
}
export interface RepairRequest {
  /** Hand-made grants the audit found; removed unless a live enrolment's mapping gives them. */
  removeGrants: Array<{ roleId: string; divisionId: string }>;
  /** The audit found mapped skills or languages missing or at another proficiency: set them again. */
  routing?: boolean;
  /** Ids of mapped queues the audit found the user missing from: join them again. */
  rejoinQueues?: string[];
  reason: string;
}
export interface RepairResult {
  added: number;
  removed: number;
  state: SeasonalAgentState;
}

/** Enrol in a season, or (for a season already live) a newer group list. Ignored for a season already ended. */
export const enrolSignal = defineSignal<[EnrolRequest]>('enrol');
export const seasonGroupsChangedSignal = defineSignal<[SeasonGroupsChange]>('seasonGroupsChanged');
export const seasonOffboardSignal = defineSignal<[SeasonOffboardRequest]>('offboard');
/** Same intent as the signal; the caller waits until that season (or the person) is deprovisioned, or stuck. */
export const seasonOffboardUpdate = defineUpdate<SeasonalAgentState, [SeasonOffboardRequest]>('offboardNow');
export const moveSeasonEndSignal = defineSignal<[SeasonEndMove]>('setSeasonEnd');
/** Validated variant for the CLI: rejects an unparsable instant or an ended season; returns the new end. */
export const moveSeasonEndUpdate = defineUpdate<string, [SeasonEndMove]>('setSeasonEndNow');
/** Okta suspended the person (access goes, user and seasons stay) or has them active again (access returns). */
export const oktaStatusSignal = defineSignal<[OktaStatusChange]>('oktaStatus');
export const agentRetrySignal = defineSignal<[]>('retry');
/** The login sweep (workflows/catch-up.ts) saw logins of the person: a fact to keep, nothing to do. */
export const loginsSeenSignal = defineSignal<[LoginsSeen]>('loginsSeen');
export const agentStateQuery = defineQuery<SeasonalAgentState>('getState');
/** `season audit --fix`: re-grant what the live mappings give and is missing, remove the hand-made grants named. */
export const repairUpdate = defineUpdate<RepairResult, [RepairRequest]>('reconcile');
