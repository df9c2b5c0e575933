// The catch-up workflow's public contract: input, result and ids. The Schedule helper, the CLI and the activities
// import this file, not the workflow logic. Ids and counts only: the result is kept in history and shown in the UI.

export const CATCH_UP_WORKFLOW = 'seasonCatchUp';

export interface CatchUpInput {
  seasonId: string;
  orgId: string;
}

/** What one agent's reconciliation came to. */
export type AgentOutcome =
  | 'started'
  /** At work in another season of the org: their workflow enrolled them in this one. */
  | 'enrolled'
  | 'already-enrolled'
  /** The season already ended for them (offboarded early, still in a group): left alone. */
  | 'already-ended'
  | 'signalled'
  | 'no-workflow'
  /** The user left Okta (404) or was stopped between the member read and the start. */
  | 'not-startable';

export interface CatchUpResult {
  seasonId: string;
  orgId: string;
  /** The season had ended: nothing was reconciled and the schedule was deleted. */
  seasonOver: boolean;
  /** The season has not started and a running season of the org maps the same groups: nothing was started. */
  waiting?: string;
  /** When the Okta read began. */
  asOf?: string;
  members: number;
  runningBefore: number;
  /** Okta user ids per outcome of a start (a member without a workflow). */
  started: string[];
  startSkipped: Array<{ oktaUserId: string; outcome: AgentOutcome }>;
  /** Sent `groupsChanged` with no season group: the agent offboards itself. */
  groupsGone: string[];
  /** Sent `offboard`: Okta has deactivated the user. */
  offboarded: string[];
  /** Sent `oktaStatus` suspended: Okta has suspended the user (reversible; the agent keeps user and seasons). */
  suspended?: string[];
  /** Workflows that had closed by the time the message was sent. */
  noWorkflow: string[];
  stoppedWithoutWorkflow: number;
  endedMembers: number;
  missingGroups: string[];
  held?: { reason: string; oktaUserIds: string[] };
}

/** The Schedule that runs the catch-up of one season (and the prefix of its workflow ids). */
export function catchUpScheduleId(orgId: string, seasonId: string): string {
  return `catch-up/${orgId}/${seasonId}`;
}
