// Okta Management API client for what seasonal provisioning needs: read a user and their groups, list a group's
// members, find a group by name, take a user out of a group, deactivate a user. Written from
// shared/reference/okta-api.md §3. Each method is one request, except lists, which follow Link paging.
//
// Why axios + zod and not @okta/okta-sdk-nodejs: one HTTP/zod/typed-error style across the Okta and Genesys
// clients, so activities map failures to Temporal the same way; errors we type ourselves (kind, errorCode,
// wait from X-Rate-Limit-Reset) instead of the SDK's generic ones; no hidden retries (the SDK retries 429s
// itself, which would hide rate limits from Temporal's retry policy) and no default cache of single-resource
// GETs (the SDK's can serve a stale user status); and a small dependency surface.
import type { OktaConnection } from '../../config/orgs';
import { isOktaApiError } from './errors';
import { OktaHttp, type OktaHttpOptions } from './http';
import { groupListSchema, groupSchema, userListSchema, userSchema, type OktaGroup, type OktaUser } from './schemas';

export interface CallOptions {
  /** Aborts the HTTP request (activity cancellation). */
  signal?: AbortSignal | undefined;
}

export type OktaClientOptions = Pick<OktaHttpOptions, 'timeoutMs'>;

/** Page size for member lists: Okta recommends 200 (larger pages can time out into a 500). */
export const MEMBER_PAGE_SIZE = 200;

/** A string literal in Okta's filter language: JSON quoting escapes `"` and `\`. */
export function oktaString(value: string): string {
  return JSON.stringify(value);
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
}
