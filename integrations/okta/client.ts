// Okta Management API client for what seasonal provisioning needs: read a user and their groups, list a group's
// members, find a group by name, take a user out of a group, deactivate a user; and for `season setup` and
// `season doctor`, the org's event hooks (list, create, replace, activate, verify). Written from
// shared/reference/okta-api.md §3 and §1.2 and the management OpenAPI spec. Each method is one request, except
// lists, which follow Link paging.
//
// Why axios + zod and not @okta/okta-sdk-nodejs: one HTTP/zod/typed-error style across the Okta and Genesys
// clients, so activities map failures to Temporal the same way; errors we type ourselves (kind, errorCode,
// wait from X-Rate-Limit-Reset) instead of the SDK's generic ones; no hidden retries (the SDK retries 429s
// itself, which would hide rate limits from Temporal's retry policy) and no default cache of single-resource
// GETs (the SDK's can serve a stale user status); and a small dependency surface.
import type { OktaConnection } from '../../config/orgs';
import { isOktaApiError, OktaApiError } from './errors';
import { OktaHttp, type OktaHttpOptions } from './http';
import { groupListSchema, groupSchema, userListSchema, userSchema, type OktaGroup, type OktaUser } from './schemas';
import { eventHookListSchema, eventHookSchema, type OktaEventHook, type OktaEventHookBody } from './schemas';
import { ssoEventListSchema } from './schemas';

export interface CallOptions {
  /** Aborts the HTTP request (activity cancellation). */
  signal?: AbortSignal | undefined;
}

/** `scopes`: what a service app's tokens ask for (default OKTA_SCOPES; setup and doctor pass OKTA_SETUP_SCOPES). */
export type OktaClientOptions = Pick<OktaHttpOptions, 'timeoutMs' | 'scopes'>;

/** Page size for member lists: Okta recommends 200 (larger pages can time out into a 500). */
export const MEMBER_PAGE_SIZE = 200;
/** The System Log's largest page. */
export const SYSTEM_LOG_PAGE_SIZE = 1000;

/** A string literal in Okta's filter language: JSON quoting escapes `"` and `\`. */
export function oktaString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Okta could not verify the event hook: its call to the hook's URI (a GET with a challenge, 3 s timeout, one retry)
 * got no right answer. Okta says so with 400 E0000001; told apart by status and errorCode, never by Okta's text.
 */
export class OktaHookVerificationError extends OktaApiError {
  readonly hookId: string;

  constructor(hookId: string, cause: OktaApiError) {
    super({
      kind: cause.kind,
      operation: cause.operation,
      status: cause.status,
      errorCode: cause.errorCode,
      errorId: cause.errorId,
      requestId: cause.requestId,
      detail: "Okta's verification request to the hook's URI did not get the challenge back",
    });
    this.hookId = hookId;
  }
}

export function isOktaHookVerificationError(err: unknown): err is OktaHookVerificationError {
  return err instanceof OktaHookVerificationError;
}

export class OktaClient {
  private readonly http: OktaHttp;

  constructor(connection: OktaConnection, options: OktaClientOptions = {}) {
    this.http = new OktaHttp({
      orgUrl: connection.orgUrl,
      apiToken: connection.apiToken,
      oauth: connection.oauth,
      credentialSource: connection.credentialSource,
      ...options,
    });
  }

  static fromConnection(connection: OktaConnection, options?: OktaClientOptions): OktaClient {
    return new OktaClient(connection, options);
  }

  /** By Okta user id (never by login: ids keep PII out of URLs and logs). */
  async getUser(userId: string, opts: CallOptions = {}): Promise<OktaUser> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v1/users/{userId}',
      pathParams: { userId },
      schema: userSchema,
      signal: opts.signal,
    });
    return data;
  }

  /** Every group the user is in (the list pages at 200 in practice, so Link paging is followed). */
  async listUserGroups(userId: string, opts: CallOptions = {}): Promise<OktaGroup[]> {
    return this.http.listAll({
      method: 'GET',
      path: '/api/v1/users/{userId}/groups',
      pathParams: { userId },
      schema: groupListSchema,
      signal: opts.signal,
    });
  }

  async listGroupMembers(groupId: string, opts: CallOptions & { pageSize?: number } = {}): Promise<OktaUser[]> {
    return this.http.listAll({
      method: 'GET',
      path: '/api/v1/groups/{groupId}/users',
      pathParams: { groupId },
      query: { limit: opts.pageSize ?? MEMBER_PAGE_SIZE },
      schema: userListSchema,
      signal: opts.signal,
    });
  }

  async getGroup(groupId: string, opts: CallOptions = {}): Promise<OktaGroup> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v1/groups/{groupId}',
      pathParams: { groupId },
      schema: groupSchema,
      signal: opts.signal,
    });
    return data;
  }

  /**
   * The group named exactly `name`, or null. Okta's `search` compares case-insensitively and is eventually
   * consistent, so the answer is filtered here: an exact match wins, else a single case-insensitive one.
   */
  async findGroupByName(name: string, opts: CallOptions = {}): Promise<OktaGroup | null> {
    const groups = await this.http.listAll({
      method: 'GET',
      path: '/api/v1/groups',
      query: { search: `profile.name eq ${oktaString(name)}`, limit: MEMBER_PAGE_SIZE },
      schema: groupListSchema,
      signal: opts.signal,
    });
    const exact = groups.find((g) => g.profile.name === name);
    if (exact) return exact;
    const folded = groups.filter((g) => g.profile.name.toLowerCase() === name.toLowerCase());
    return folded.length === 1 ? folded[0]! : null;
  }

  /**
   * Takes the user out of the group. Idempotent: 'absent' when Okta answers 404 (user or group unknown, or —
   * behaviour undocumented — not a member); either way the user is not in the group afterwards.
   */
  async removeUserFromGroup(groupId: string, userId: string, opts: CallOptions = {}): Promise<'removed' | 'absent'> {
    try {
      await this.http.request({
        method: 'DELETE',
        path: '/api/v1/groups/{groupId}/users/{userId}',
        pathParams: { groupId, userId },
        signal: opts.signal,
      });
      return 'removed';
    } catch (err) {
      if (isOktaApiError(err, 'NotFound')) return 'absent';
      throw err;
    }
  }

  /**
   * One cheap read that any working credentials pass (a group page of one; okta.groups.manage covers it): the
   * worker's start-up check, so a dead token is one clear line at start rather than a surprise mid-season.
   */
  async verifyAccess(opts: CallOptions = {}): Promise<void> {
    await this.http.request({
      method: 'GET',
      path: '/api/v1/groups',
      query: { limit: 1 },
      schema: groupListSchema,
      signal: opts.signal,
    });
  }

  /** Deactivates (deprovisions) the user; no email. Okta answers 404 for a user already deprovisioned. */
  async deactivateUser(userId: string, opts: CallOptions = {}): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: '/api/v1/users/{userId}/lifecycle/deactivate',
      pathParams: { userId },
      query: { sendEmail: false },
      signal: opts.signal,
    });
  }

  /**
   * Who signed in to the app through Okta between `since` and `until` (default: now), oldest first: the System
   * Log's `user.authentication.sso` events whose target is the app, successful ones by users. One paged read
   * (1000 a page); `until` makes it a bounded request, so the paging ends.
   */
  async ssoLogins(
    appId: string,
    since: string,
    until: string = new Date().toISOString(),
    opts: CallOptions = {},
  ): Promise<Array<{ oktaUserId: string; at: string }>> {
    const events = await this.http.listAll({
      method: 'GET',
      path: '/api/v1/logs',
      query: {
        filter: `eventType eq "user.authentication.sso" and target.id eq ${oktaString(appId)}`,
        since,
        until,
        sortOrder: 'ASCENDING',
        limit: SYSTEM_LOG_PAGE_SIZE,
      },
      schema: ssoEventListSchema,
      untilEmptyPage: true,
      signal: opts.signal,
    });
    return events
      .filter((e) => e.outcome.result === 'SUCCESS' && e.actor.type === 'User')
      .filter((e) => e.target?.some((t) => t.id === appId && t.type === 'AppInstance') ?? false)
      .map((e) => ({ oktaUserId: e.actor.id, at: new Date(Date.parse(e.published)).toISOString() }));
  }

  /** Every event hook of the org (Okta documents no paging here; a `next` link would still be followed). */
  async listEventHooks(opts: CallOptions = {}): Promise<OktaEventHook[]> {
    return this.http.listAll({
      method: 'GET',
      path: '/api/v1/eventHooks',
      schema: eventHookListSchema,
      signal: opts.signal,
    });
  }

  /** Creates the hook; Okta makes it ACTIVE and UNVERIFIED (no event reaches it before a verification). */
  async createEventHook(body: OktaEventHookBody, opts: CallOptions = {}): Promise<OktaEventHook> {
    const { data } = await this.http.request({
      method: 'POST',
      path: '/api/v1/eventHooks',
      body,
      schema: eventHookSchema,
      signal: opts.signal,
    });
    return data;
  }

  /** Replaces the hook (every field: the secret too, since Okta never returns it); a new channel needs verifying. */
  async updateEventHook(eventHookId: string, body: OktaEventHookBody, opts: CallOptions = {}): Promise<OktaEventHook> {
    const { data } = await this.http.request({
      method: 'PUT',
      path: '/api/v1/eventHooks/{eventHookId}',
      pathParams: { eventHookId },
      body,
      schema: eventHookSchema,
      signal: opts.signal,
    });
    return data;
  }

  async activateEventHook(eventHookId: string, opts: CallOptions = {}): Promise<OktaEventHook> {
    const { data } = await this.http.request({
      method: 'POST',
      path: '/api/v1/eventHooks/{eventHookId}/lifecycle/activate',
      pathParams: { eventHookId },
      schema: eventHookSchema,
      signal: opts.signal,
    });
    return data;
  }

  /**
   * Okta calls the hook's URI with a verification challenge and answers with the hook, VERIFIED. When the endpoint
   * does not answer it (down, wrong secret, wrong URI) Okta answers 400 E0000001: thrown as an
   * OktaHookVerificationError, so a caller can tell "the receiver did not answer" from any other refusal.
   */
  async verifyEventHook(eventHookId: string, opts: CallOptions = {}): Promise<OktaEventHook> {
    try {
      const { data } = await this.http.request({
        method: 'POST',
        path: '/api/v1/eventHooks/{eventHookId}/lifecycle/verify',
        pathParams: { eventHookId },
        schema: eventHookSchema,
        signal: opts.signal,
      });
      return data;
    } catch (err) {
      if (isOktaApiError(err, 'BadRequest') && err.status === 400 && err.errorCode === 'E0000001')
        throw new OktaHookVerificationError(eventHookId, err);
      throw err;
    }
  }
}
