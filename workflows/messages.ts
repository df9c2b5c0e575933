// The lifecycle workflow's public contract: input, messages and state. Clients (CLI, hook receiver, catch-up)
// import this file, not the workflow logic. Payloads are single objects so fields can be added later.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AgentIdentity, DeprovisionPolicy, NameResolution } from '../domain/agent';
import type { IdGrant } from '../domain/entitlements';
import type { OktaGroupRef, SeasonMapping } from '../domain/mapping';

export type { AgentIdentity, DeprovisionPolicy, NameResolution } from '../domain/agent';

export type AgentPhase =
  | 'Provisioning'
  | 'Active'
  /** Okta suspended the person: the Genesys user is inactive (no login), kept with its seasons until unsuspended. */
  | 'Suspended'
  | 'Deprovisioning'
  | 'Deprovisioned'
  | 'NeedsAttention';

export interface AgentLifecycleInput {
  orgId: string;
  seasonId: string;
  /** ISO-8601 instant. */
  seasonEndsAt: string;
  agent: AgentIdentity;
  groups: OktaGroupRef[];
  /** When the group list above was true (ISO-8601); stale groupsChanged messages are ignored against it. */
  groupsAsOf: string;
  mapping: SeasonMapping;
  policy: DeprovisionPolicy;
  /** Optional; any name missing here is looked up by an activity. */
  resolved?: NameResolution;
  /** Set only by continue-as-new: what the previous run already did. */
  carried?: CarriedState;
}

/** State handed from one run to the next on continue-as-new (a long season with many group changes). */
export interface CarriedState {
  phase: 'Active';
  genesysUserId: string;
  homeDivision: string;
  grants: GrantView[];
  history: HistoryEntry[];
  conflicts: string[];
}

export interface HistoryEntry {
  at: string;
  what: string;
}

export interface GrantView {
  role: string;
  division: string;
  roleId: string;
  divisionId: string;
}

/** A queue the workflow made the user a member of. */
export interface QueueView {
  name: string;
  queueId: string;
}

/** Routing skills and languages by name, with proficiency 0–5. */
export interface RoutingView {
  skills: Array<{ name: string; proficiency: number }>;
  languages: Array<{ name: string; proficiency: number }>;
}

export interface AgentState {
  phase: AgentPhase;
  genesysUserId?: string;
  homeDivision?: string;
  grants: GrantView[];
  seasonEndsAt: string;
  /** Why the agent needs attention (readable; no secrets, no PII). */
  attentionReason?: string;
  conflicts: string[];
  offboardReason?: string;
  history: HistoryEntry[];
  /** Set when the agent was handed over to the seasonalAgent workflow (migration). */
  handedOver?: HandOver;
}

export interface OffboardRequest {
  reason: string;
}
export interface SeasonEndChange {
  /** ISO-8601 instant. */
  newEnd: string;
}
export interface GroupsChange {
  groups: OktaGroupRef[];
  /** ISO-8601 instant of the Okta event this list reflects. */
  asOf: string;
}

export const offboardSignal = defineSignal<[OffboardRequest]>('offboard');
/** Same intent as the signal, but the caller waits until the agent is deprovisioned (or needs attention). */
export const offboardUpdate = defineUpdate<AgentState, [OffboardRequest]>('offboardNow');
export const setSeasonEndSignal = defineSignal<[SeasonEndChange]>('setSeasonEnd');
/** Validated variant for the CLI: rejects an unparsable instant, returns the new end. */
export const setSeasonEndUpdate = defineUpdate<string, [SeasonEndChange]>('setSeasonEndNow');
export const groupsChangedSignal = defineSignal<[GroupsChange]>('groupsChanged');
export const retrySignal = defineSignal<[]>('retry');
export const getStateQuery = defineQuery<AgentState>('getState');

/**
 * `season audit --fix`: repair drift found by the audit, through the workflow that owns the agent. The workflow
 * re-reads the user's direct grants, adds the mapped grants it gave that are missing, and removes the grants
 * listed here (hand-made ones the audit found), never one the mapping gives. Only while Active.
 */
export interface ReconcileRequest {
  removeGrants: IdGrant[];
  reason: string;
}
export interface ReconcileResult {
  added: number;
  removed: number;
  state: AgentState;
}
export const reconcileUpdate = defineUpdate<ReconcileResult, [ReconcileRequest]>('reconcile');

/**
 * Migration to the seasonalAgent workflow (`season migrate`): what it needs to take an Active agent over. The
 * per-season workflow ends at once without touching Genesys (its AgentPhase becomes `HandedOver`) and returns
 * this in its result too, so an interrupted migration can be run again.
 */
export interface HandOver {
  agent: AgentIdentity;
  groups: OktaGroupRef[];
  groupsAsOf: string;
  /** The agent's own season end, extensions included. */
  seasonEndsAt: string;
  genesysUserId: string;
}
export const handOverUpdate = defineUpdate<HandOver, []>('handOver');
export const HANDED_OVER = 'HandedOver';

export const AGENT_LIFECYCLE_WORKFLOW = 'agentLifecycle';

/** Workflow id: org, season and Okta user id only (never an email or a name). */
export function agentWorkflowId(orgId: string, seasonId: string, oktaUserId: string): string {
  return `agent/${orgId}/${seasonId}/${oktaUserId}`;
}

/** One task queue per org carries that org's Genesys calls, rate-limited for the whole org. */
export function genesysTaskQueue(orgId: string): string {
  return `genesys-${orgId}`;
}

/** The task queue that runs lifecycle workflows (and Okta activities). */
export const LIFECYCLE_TASK_QUEUE = 'seasonal-agents';
