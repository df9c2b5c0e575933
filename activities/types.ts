// The activities the lifecycle workflow calls. Genesys activities make exactly one Genesys API call each
// (plus an OAuth token call when the cached token is stale), so the per-org task-queue rate limit is exact,
// and each is idempotent under retries. Implementations: activities/genesys.ts, activities/okta.ts.
import type { IdGrant } from '../domain/entitlements';
import type { AgentIdentity } from '../workflows/messages';

export interface GenesysUser {
  id: string;
  userName: string;
  active: boolean;
  /** Home division name (SCIM enterprise extension). */
  homeDivision?: string;
  externalId?: string;
  /** The routing skills and languages the answer showed (a SCIM answer carrying the Genesys extension). */
  routing?: UserRouting;
}

/** A user the Users API search found, in any state (a deleted one is restored with its `version`). */
export interface FoundUser {
  id: string;
  state: string;
  version: number;
  /** Home division name, when the search showed it. */
  homeDivision?: string;
}

export type RestoreUserResult = { kind: 'restored'; user: GenesysUser } | { kind: 'stale' };

/**
 * When the workflow created, revived or restored the user in this run (epoch ms, workflow time): a 404 from an
 * Authorization or queue call within 30 s of it is the API's lag and retried; later, or for an older user, final.
 */
export interface CreatedAt {
  userCreatedAt?: number;
}

/** Routing skills and languages by name, with proficiency 0–5 (the SCIM Genesys extension's shape). */
export interface RoutingProficiency {
  name: string;
  proficiency: number;
}
export interface UserRouting {
  skills: RoutingProficiency[];
  languages: RoutingProficiency[];
}

/** 'created' also when the create brought a deleted user back (same id; the answer shows its division and routing). */
export type CreateUserResult = { kind: 'created'; user: GenesysUser } | { kind: 'conflict' };

export interface GenesysActivities {
  /** SCIM list with `filter=userName eq "…"`; null when none. */
  findUserByUserName(input: { orgId: string; userName: string }): Promise<GenesysUser | null>;
  /**
   * SCIM create with the home division (enterprise extension), externalId = Okta user id and the routing skills
   * and languages (Genesys extension; absent or empty: none). 409 → {kind:'conflict'}.
   */
  createUser(input: {
    orgId: string;
    agent: AgentIdentity;
    homeDivision: string;
    routing?: UserRouting;
  }): Promise<CreateUserResult>;
  /** SCIM GET of the user's routing skills and languages. */
  getUserRouting(input: { orgId: string; userId: string }): Promise<UserRouting>;
  /**
   * GET /api/v2/users?id=…&expand=dateLastLogin,lasttokenissued for at most USER_LOGINS_BATCH users (one call): when
   * each last logged in, as far as Genesys knows (users it no longer has are left out).
   */
  readUserLogins(input: { orgId: string; userIds: string[] }): Promise<Array<{ userId: string; lastLogin?: string }>>;
  /** SCIM PATCH replacing the user's routing skills and languages with exactly these (idempotent). */
  setUserRouting(input: { orgId: string; userId: string; routing: UserRouting }): Promise<void>;
  /** GET /api/v2/routing/queues (one page, name filter): name → id for the names that exist. */
  lookupQueues(input: { orgId: string; names: string[] }): Promise<Record<string, string>>;
  /** POST /api/v2/routing/queues/{queueId}/members with [{id: userId}]; already a member is fine. */
  joinQueue(input: { orgId: string; queueId: string; userId: string } & CreatedAt): Promise<void>;
  /** The same with delete=true; not a member, or the queue or user gone, is fine. */
  leaveQueue(input: { orgId: string; queueId: string; userId: string }): Promise<void>;
  /** POST /api/v2/authorization/divisions/{divisionId}/objects/USER with [userId]. */
  moveHomeDivision(input: { orgId: string; userId: string; divisionId: string } & CreatedAt): Promise<void>;
  /** GET /api/v2/authorization/subjects/{userId}: the user's direct grants only (not group-inherited ones). */
  getGrants(input: { orgId: string; userId: string } & CreatedAt): Promise<IdGrant[]>;
  /** POST …/subjects/{userId}/bulkadd. A 404 shortly after creation is retried (the real API lags). */
  addGrants(input: { orgId: string; userId: string; grants: IdGrant[] } & CreatedAt): Promise<void>;
  /** POST …/subjects/{userId}/bulkremove; a 404 (the user, a role or a division gone) leaves nothing to remove. */
  removeGrants(input: { orgId: string; userId: string; grants: IdGrant[] }): Promise<void>;
  /**
   * POST /api/v2/users/search: the user holding this userName in any state (active, inactive, deleted), or null.
   * With `retryIfMissing` (the userName is known to be taken) none found is retried with backoff, as search lags
   * behind creates and deletes, then fails non-retryable.
   */
  findUserInAnyState(input: { orgId: string; userName: string; retryIfMissing?: boolean }): Promise<FoundUser | null>;
  /** PATCH /api/v2/users/{userId} {state: "active", version}; a version no longer current → {kind: 'stale'}. */
  restoreUser(input: { orgId: string; userId: string; version: number }): Promise<RestoreUserResult>;
  /** SCIM PATCH `active`. */
  setUserActive(input: { orgId: string; userId: string; active: boolean }): Promise<void>;
  /** SCIM DELETE; a 404 means already deleted (success). */
  deleteUser(input: { orgId: string; userId: string }): Promise<void>;
  /** GET /api/v2/authorization/roles (one page, name filter): name → id for the names that exist. */
  lookupRoles(input: { orgId: string; names: string[] }): Promise<Record<string, string>>;
  /** GET /api/v2/authorization/divisions (one page): name → id for the names that exist. */
  lookupDivisions(input: { orgId: string; names: string[] }): Promise<Record<string, string>>;
}

export interface OktaActivities {
  /**
   * Removes the user from each group (idempotent: not a member is fine). With `seasonGroups` (the mapping's group
   * names or ids) the user's current groups are read first, and any that a season rule names goes too: a
   * membership whose hook was dropped is unknown to the workflow but still holds a seasonal entitlement.
   */
  removeFromOktaGroups(input: {
    orgId: string;
    oktaUserId: string;
    groupIds: string[];
    seasonGroups?: string[];
  }): Promise<void>;
  deactivateOktaUser(input: { orgId: string; oktaUserId: string }): Promise<void>;
}

// Failure types that will not heal by retrying (the workflow sends the agent to NeedsAttention).
export { NON_HEALING_FAILURES } from '../domain/failure-types';
