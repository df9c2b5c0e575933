// The catch-up workflow's public contract: input, result and ids. The Schedule helper, the CLI and the activities
// import this file, not the workflow logic. Ids and counts only: the result is kept in history and shown in the UI.

export const CATCH_UP_WORKFLOW = 'seasonCatchUp';

/** Users per Genesys login read (GET /api/v2/users?id=…: the API's limit on ids per call). */
export const USER_LOGINS_BATCH = 100;

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
  /** The login sweep: agents able to log in, and those told of logins new to them (absent in older runs). */
  logins?: LoginSweepResult;
}

export interface LoginSweepResult {
  /** Agents whose Genesys user can log in now. */
  agents: number;
  /** Genesys login reads made (one per USER_LOGINS_BATCH users) and Okta SSO events read. */
  genesysReads: number;
  ssoEvents: number;
  /** Agents sent `loginsSeen` (logins they did not have). */
  told: number;
}

/** An agent the login sweep asks Genesys about. */
export interface LoginTarget {
  oktaUserId: string;
  genesysUserId: string;
}

export interface LoginTargets {
  agents: LoginTarget[];
  /** Read Okta SSO events from here (absent: the org names no Genesys app in Okta, so only Genesys is read). */
  oktaSince?: string;
}

export interface LoginsToTell {
  /** What Genesys said, per agent: their last login. */
  genesys: Array<{ oktaUserId: string; lastLogin: string }>;
  oktaSince?: string;
}

/** The Schedule that runs the catch-up of one season (and the prefix of its workflow ids). */
export function catchUpScheduleId(orgId: string, seasonId: string): string {
  return `catch-up/${orgId}/${seasonId}`;
}
