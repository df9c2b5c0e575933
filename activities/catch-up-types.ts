// The activities the catch-up workflow calls (implementation: activities/catch-up.ts). They run on the lifecycle
// queue: Okta reads and Temporal calls only, never a Genesys call (those belong to the org's rate-limited queue).
import type { CatchUpAction, SeasonMembers, SeasonWorkflows } from '../domain/catch-up';
import type { AgentOutcome, CatchUpInput, LoginsToTell, LoginTargets } from '../workflows/catch-up-contract';

export interface AgentReconciled {
  oktaUserId: string;
  kind: CatchUpAction['kind'];
  outcome: AgentOutcome;
}

/** The season has ended, or waits for a running season that maps the same groups (domain/hire-window.ts). */
export interface NoHires {
  noHires: 'ended' | 'waiting';
  detail: string;
}

export interface CatchUpActivities {
  /** Visibility: the season's agent workflows (running and closed), by Okta user id. */
  listSeasonWorkflows(input: CatchUpInput): Promise<SeasonWorkflows>;
  /** Okta: members of the season's groups (follows paging), unless the season takes no hires now. */
  listSeasonMembers(input: CatchUpInput): Promise<SeasonMembers | NoHires>;
  /** Starts or messages a batch of agents. Profiles are read here, so none enters the catch-up's history. */
  reconcileAgents(input: CatchUpInput & { asOf: string; actions: CatchUpAction[] }): Promise<AgentReconciled[]>;
  /** Deletes the season's catch-up Schedule; false when there was none. */
  retireCatchUpSchedule(input: CatchUpInput): Promise<boolean>;
}

/** The login sweep (activities/login-sweep.ts): Temporal and Okta reads; the Genesys reads are Genesys activities. */
export interface LoginSweepActivities {
  /** Running agents of the season whose Genesys user can log in, and where the Okta SSO read starts. */
  listLoginTargets(input: CatchUpInput): Promise<LoginTargets>;
  /** Reads Okta's SSO events, adds Genesys's last logins, and tells each agent the logins new to it. */
  tellLogins(input: CatchUpInput & LoginsToTell & { agents: string[] }): Promise<{ told: number; ssoEvents: number }>;
}
