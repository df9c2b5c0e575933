// Public types of the Genesys Cloud emulator. Deliberately self-contained: the emulator shares no code or
// types with the service's clients, so a wrong assumption about Genesys cannot silently agree with itself.
import type { OrgsFixture } from './fixture';

/** Faults the emulator injects into API traffic (never into `/__emulator/*`). All fractions are 0..1. */
export interface FaultConfig {
  /** Added to every API response, in milliseconds. */
  latencyMs: number;
  /** Extra random latency, uniformly 0..latencyJitterMs, drawn from the seeded generator. */
  latencyJitterMs: number;
  /** Fraction of API requests answered with a 5xx before anything is written. */
  errorRate: number;
  /** The 5xx statuses to pick from (seeded), e.g. [500, 502, 503, 504]. */
  errorStatuses: number[];
  /** Fraction of successful writes (POST/PUT/PATCH/DELETE) whose connection is reset after the write is committed. */
  dropRate: number;
  /** The next N API requests are answered with 429 regardless of the real budget (a "429 storm"). */
  throttleNext: number;
  /** Retry-After (seconds) sent with those forced 429s. */
  throttleRetryAfterSeconds: number;
  /** Maintenance outage: every API request gets 503 until this many seconds after it was set. 0 ends it. */
  outageSeconds: number;
}

export interface FaultState extends FaultConfig {
  /** When the current outage ends (ISO), or null. */
  outageUntil: string | null;
}

export interface GenesysEmulatorOptions {
  /** 0 (default) picks a free port. The server binds to 127.0.0.1 only. */
  port?: number;
  /** A fixture object or a path to a fixture JSON file. Default: fixtures/orgs.json next to this file. */
  orgs?: OrgsFixture | string;
  /** Load state from this file when it exists (instead of the fixture), and save to it. */
  stateFile?: string;
  /** Requests accepted per OAuth client per window. Default 300 (Genesys's documented client-credentials limit). */
  rateLimitPerMinute?: number;
  /** Length of the rolling rate-limit window. Default 60000; tests shorten it. The limit is NOT scaled. */
  rateLimitWindowMs?: number;
  /** Lifetime of issued access tokens. Default 86400. */
  tokenTtlSeconds?: number;
  /**
   * Authorization calls (and queue-member adds) about a user created, revived or restored less than this many ms
   * ago answer 404 (eventual consistency; the Terraform provider retries such 404s for 30 s). Default 2000.
   */
  newUserNotFoundMs?: number;
  /**
   * Searches (SCIM filter/list, POST /api/v2/users/search) see users as they were this many ms ago: a new user is
   * not found yet, a deleted one still shows (the Terraform provider polls search for 3 minutes after a delete).
   * Default 1000.
   */
  searchLagMs?: number;
  /**
   * A SCIM POST with a deleted user's userName: 'revive' (default) brings the same user back, Active, no roles, in
   * Home (Genesys FAQ on re-enabling a deleted user from Okta); 'conflict' answers 409 (the platform Users API, per
   * the Terraform provider); 'new-id' creates another user (no source; kept as an option).
   */
  rehire?: 'revive' | 'conflict' | 'new-id';
  /** Status for a stale If-Match: the sources disagree (400 vs 409). Default 409. scimType is invalidVers either way. */
  versionMismatchStatus?: 400 | 409;
  /**
   * Deactivation strips all grants (Genesys's newer "Set a user as inactive" article); false keeps them (the Okta
   * unassign FAQ). Default true.
   */
  deactivationRemovesGrants?: boolean;
  faults?: Partial<FaultConfig>;
  /** Seed of the fault generator; the same seed and request order give the same faults. Default 1. */
  seed?: number;
  /** Fastify request logging. Default false. */
  logger?: boolean;
}

export interface GrantView {
  roleId: string;
  roleName: string;
  divisionId: string;
  divisionName: string;
}

export interface InspectedUser {
  id: string;
  userName: string;
  displayName: string;
  externalId?: string;
  active: boolean;
  deleted: boolean;
  state: 'active' | 'inactive' | 'deleted';
  version: number;
  homeDivision: { id: string; name: string };
  grants: GrantView[];
  routingSkills: Array<{ name: string; proficiency: number }>;
  routingLanguages: Array<{ name: string; proficiency: number }>;
  /** Names of the queues the user is a member of. */
  queues: string[];
  createdAt: string;
  deletedAt?: string;
}

/** An OAuth client, its roles and what they let its tokens do (the union of the roles' permissions). */
export interface InspectedClient {
  clientId: string;
  name?: string;
  roles: Array<{ roleId: string; roleName: string; divisionId: string }>;
  permissions: string[];
}

export interface OrgInspection {
  orgId: string;
  users: InspectedUser[];
  clients: InspectedClient[];
  /** `license`: the license id the role implies (absent: none). */
  roles: Array<{ id: string; name: string; default: boolean; license?: string }>;
  divisions: Array<{ id: string; name: string; home: boolean }>;
  /** The routing catalogue (absent skills/languages: the org accepts any name). */
  skills?: Array<{ id: string; name: string }>;
  languages?: Array<{ id: string; name: string }>;
  queues: Array<{ id: string; name: string; divisionName: string; memberIds: string[] }>;
  /** Every recorded login instant (ISO-8601, UTC, oldest first) per user id; users who never logged in are absent. */
  logins: Record<string, string[]>;
}

/** What an admin can add to or delete from an org's routing catalogue. */
export type RoutingKind = 'skill' | 'language' | 'queue';

export interface RequestCountEntry {
  /** 'unknown' when the request carried no valid credentials. */
  orgId: string;
  clientId: string;
  /** Method and route pattern, e.g. `POST /api/v2/authorization/subjects/:subjectId/bulkadd`. */
  endpoint: string;
  status: number;
  count: number;
}

export interface RequestCounts {
  entries: RequestCountEntry[];
  totals: {
    requests: number;
    byStatus: Record<string, number>;
    byEndpoint: Record<string, Record<string, number>>;
    byOrg: Record<string, number>;
  };
  /** How many responses came from injected faults or limits (they are also in entries with their status). */
  faults: {
    injected5xx: number;
    forced429: number;
    rateLimited429: number;
    outage503: number;
    droppedAfterCommit: number;
  };
}

export interface GenesysEmulator {
  /** e.g. http://127.0.0.1:PORT — both the API base and the OAuth login base (the org is taken from the token). */
  url: string;
  port: number;
  /** A base URL pinned to one org: tokens and clients of other orgs get 401 there. */
  orgUrl(orgId: string): string;
  /** The emulated orgs and their OAuth client ids. */
  orgs(): Array<{ id: string; name: string; clientIds: string[] }>;
  close(): Promise<void>;
  setFaults(partial: Partial<FaultConfig>): FaultState;
  getFaults(): FaultState;
  setRateLimit(perMinute: number, windowMs?: number): void;
  inspect(orgId: string): OrgInspection;
  requestCounts(): RequestCounts;
  resetCounts(): void;
  addRole(orgId: string, name: string): string;
  removeRole(orgId: string, name: string): void;
  addGrantByHand(orgId: string, userId: string, roleId: string, divisionId: string): void;
  /** An admin creates a routing skill, language or queue (a queue in the Home division); returns its id. */
  addRouting(orgId: string, kind: RoutingKind, name: string): string;
  /** An admin deletes one: a skill or language is taken from every user, a queue's memberships go with it. */
  removeRouting(orgId: string, kind: RoutingKind, name: string): void;
  /** An admin adds a user to a queue or sets a skill by hand (drift for audits). */
  addToQueueByHand(orgId: string, userId: string, queueName: string): void;
  /**
   * Replaces what the OAuth client may do, at once (its current tokens included): it then holds one role,
   * "Restricted (<clientId>)" in all divisions, with exactly these permissions (`domain:entity:action`, `*` allowed
   * for entity or action). [] leaves it nothing: every permission-checked call is 403.
   */
  setClientPermissions(orgId: string, clientId: string, permissions: string[]): void;
  /** The client's permissions: the union of its roles' permissions, sorted. */
  clientPermissions(orgId: string, clientId: string): string[];
  /**
   * The user logs in at `at` (recorded with the licenses it holds then); returns the instant as stored. A user that
   * is inactive or deleted cannot: throws a 409 error (code `login.user.inactive` / `login.user.deleted`) and
   * records nothing; an unknown user throws "no user".
   */
  logIn(orgId: string, userId: string, at: Date | string): string;
  /** Writes the state file now (throws when no stateFile was given). */
  save(): Promise<void>;
}
