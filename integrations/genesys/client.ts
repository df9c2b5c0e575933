// Genesys Cloud client for the calls seasonal provisioning needs: SCIM users (create, find, activate,
// delete), the Authorization API (direct grants, bulk add/remove, roles, divisions, home division), users' last
// logins and licenses. Written from shared/reference/genesys-cloud-api.md and the official SDK's docs; each method is
// exactly one API request (the bulk reads: one per MAX_USERS_PER_BULK_READ users), plus a token request when the
// cached token is stale, so callers can count requests against the org's budget.
import { idGrantKey, type DatedGrant, type IdGrant } from '../../domain/entitlements';
import type { GenesysConnection } from '../../config/orgs';
import { GenesysHttp, type GenesysHttpOptions } from './http';
import {
  SCIM_CORE_USER_SCHEMA,
  SCIM_ENTERPRISE_USER_SCHEMA,
  SCIM_GENESYS_USER_SCHEMA,
  SCIM_PATCH_OP_SCHEMA,
  authzSubjectSchema,
  divisionsPageSchema,
  licenseIdsSchema,
  licenseUsersBatchSchema,
  oauthClientSchema,
  roleSchema,
  platformUserSchema,
  usersSearchResponseSchema,
  queueMembersPageSchema,
  rolesPageSchema,
  routingPageSchema,
  scimListResponseSchema,
  scimUserSchema,
  userLoginsPageSchema,
  type PlatformUser,
  type ScimUser,
} from './schemas';

const SCIM_USERS = '/api/v2/scim/v2/users';
const SCIM_USER = '/api/v2/scim/v2/users/{userId}';
const SUBJECT = '/api/v2/authorization/subjects/{subjectId}';
const SCIM_JSON = 'application/scim+json';
const USERS_SEARCH = '/api/v2/users/search';
const USER = '/api/v2/users/{userId}';
const USERS = '/api/v2/users';

/** Users API states: a SCIM DELETE leaves a user `deleted` (a soft delete), restorable with PATCH. */
export type UserState = 'active' | 'inactive' | 'deleted';

export interface NewScimUser {
  userName: string;
  givenName: string;
  familyName: string;
  email: string;
  /** The Okta user id: lets anyone tell which IdP identity a Genesys user belongs to. */
  externalId: string;
  /** Home division NAME (SCIM sets the home division by name only). */
  homeDivisionName: string;
  employeeNumber?: string | undefined;
  /** Routing skills and languages by name (Genesys extension); they ride on the create, at no extra call. */
  routing?: UserRouting | undefined;
}

export interface Proficiency {
  name: string;
  proficiency: number;
}

/** A user's routing skills and languages, by name, as the SCIM Genesys extension carries them. */
export interface UserRouting {
  skills: Proficiency[];
  languages: Proficiency[];
}

/** The Routing API's catalogues, each `GET /api/v2/routing/<kind>` (paged, `name` filter). */
export type RoutingCatalogue = 'skills' | 'languages' | 'queues';

export interface NamedEntity {
  id: string;
  name: string;
}

/** One page of a full listing (roles carry `default`: Genesys gives them to every user). */
export interface ListingPage {
  entities: Array<NamedEntity & { default: boolean }>;
  pageCount: number;
}

export interface EntityPage {
  entities: NamedEntity[];
  /** True when the server reports more pages than the one returned. */
  more: boolean;
}

export interface CallOptions {
  /** Aborts the HTTP request (activity cancellation). */
  signal?: AbortSignal | undefined;
}

export type GenesysClientOptions = Pick<GenesysHttpOptions, 'timeoutMs' | 'now'>;

/** SCIM filter string literal: RFC 7644 values are JSON strings, so JSON quoting escapes `"` and `\`. */
export function scimEq(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}

/** `postRoutingQueueMembers`: "Bulk add or delete up to 100 queue members". */
export const MAX_QUEUE_MEMBERS_PER_CALL = 100;

/**
 * Users per `GET /api/v2/users?id=…` and per `POST /api/v2/license/users`: no maximum is documented, so 100, the
 * emulator's (stricter) limit and the Routing API's documented one.
 */
export const MAX_USERS_PER_BULK_READ = 100;

/** A user's last logins as Genesys reports them (ISO-8601); either may be absent (never logged in, or not known). */
export interface UserLogins {
  id: string;
  /** `dateLastLogin`: username-and-password logins only (the User model), so it may miss an SSO login. */
  dateLastLogin?: string;
  /** `lastTokenIssued.dateIssued`: the last token issued to the user, whatever the login. */
  lastTokenIssued?: string;
}

function chunks<T>(items: T[], size: number): T[][] {
  const unique = [...new Set(items)];
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}

function routingExtension(routing: UserRouting) {
  const copy = (list: Proficiency[]) => list.map((p) => ({ name: p.name, proficiency: p.proficiency }));
  return { routingSkills: copy(routing.skills), routingLanguages: copy(routing.languages) };
}

/** A role grant of the OAuth client: a role in one division, or in all (`*`). */
export interface RoleDivision {
  roleId: string;
  divisionId: string;
}

export class GenesysClient {
  private readonly http: GenesysHttp;
  /** The OAuth client these calls act as (not a secret). */
  readonly clientId: string;

  constructor(
    connection: Pick<GenesysConnection, 'apiBaseUrl' | 'loginBaseUrl' | 'clientId' | 'clientSecret'>,
    options: GenesysClientOptions = {},
  ) {
    this.http = new GenesysHttp({ ...connection, ...options });
    this.clientId = connection.clientId;
  }

  static fromConnection(connection: GenesysConnection, options?: GenesysClientOptions): GenesysClient {
    return new GenesysClient(connection, options);
  }

  /** All SCIM users whose userName equals `userName` (SCIM userName matching is case-insensitive). */
  async findUsersByUserName(userName: string, opts: CallOptions = {}): Promise<ScimUser[]> {
    const { data } = await this.http.request({
      method: 'GET',
      path: SCIM_USERS,
      query: { filter: scimEq('userName', userName) },
      schema: scimListResponseSchema,
      signal: opts.signal,
    });
    return data.Resources ?? [];
  }

  async createUser(user: NewScimUser, opts: CallOptions = {}): Promise<ScimUser> {
    const enterprise: Record<string, string> = { division: user.homeDivisionName };
    if (user.employeeNumber !== undefined && user.employeeNumber !== '')
      enterprise.employeeNumber = user.employeeNumber;
    const routing = user.routing;
    const withRouting = routing !== undefined && (routing.skills.length > 0 || routing.languages.length > 0);
    const { data } = await this.http.request({
      method: 'POST',
      path: SCIM_USERS,
      contentType: SCIM_JSON,
      body: {
        schemas: [
          SCIM_CORE_USER_SCHEMA,
          SCIM_ENTERPRISE_USER_SCHEMA,
          ...(withRouting ? [SCIM_GENESYS_USER_SCHEMA] : []),
        ],
        userName: user.userName,
        // Genesys' ScimV2CreateUser has no RFC `name` attribute (reference §1.3): displayName carries the name.
        displayName: `${user.givenName} ${user.familyName}`.trim(),
        active: true,
        externalId: user.externalId,
        emails: [{ value: user.email, type: 'work', primary: true }],
        [SCIM_ENTERPRISE_USER_SCHEMA]: enterprise,
        ...(withRouting ? { [SCIM_GENESYS_USER_SCHEMA]: routingExtension(routing) } : {}),
      },
      schema: scimUserSchema,
      signal: opts.signal,
    });
    return data;
  }

  /** SCIM PATCH of `active` only; the response body is not needed. */
  async setUserActive(userId: string, active: boolean, opts: CallOptions = {}): Promise<void> {
    await this.http.request({
      method: 'PATCH',
      path: SCIM_USER,
      pathParams: { userId },
      contentType: SCIM_JSON,
      body: { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: active }] },
      signal: opts.signal,
    });
  }

  /** The user's routing skills and languages, read with SCIM (one request for both). */
  async getUserRouting(userId: string, opts: CallOptions = {}): Promise<UserRouting> {
    const { data } = await this.http.request({
      method: 'GET',
      path: SCIM_USER,
      pathParams: { userId },
      query: {
        attributes: [`${SCIM_GENESYS_USER_SCHEMA}:routingSkills`, `${SCIM_GENESYS_USER_SCHEMA}:routingLanguages`].join(
          ',',
        ),
      },
      schema: scimUserSchema,
      signal: opts.signal,
    });
    const ext = data[SCIM_GENESYS_USER_SCHEMA];
    const copy = (list: Proficiency[] | null | undefined) =>
      (list ?? []).map((p) => ({ name: p.name, proficiency: p.proficiency }));
    return { skills: copy(ext?.routingSkills), languages: copy(ext?.routingLanguages) };
  }

  /** SCIM PATCH replacing the user's routing skills and languages with these lists (idempotent). */
  async setUserRouting(userId: string, routing: UserRouting, opts: CallOptions = {}): Promise<void> {
    const ext = routingExtension(routing);
    await this.http.request({
      method: 'PATCH',
      path: SCIM_USER,
      pathParams: { userId },
      contentType: SCIM_JSON,
      body: {
        schemas: [SCIM_PATCH_OP_SCHEMA],
        Operations: [
          { op: 'replace', path: `${SCIM_GENESYS_USER_SCHEMA}:routingSkills`, value: ext.routingSkills },
          { op: 'replace', path: `${SCIM_GENESYS_USER_SCHEMA}:routingLanguages`, value: ext.routingLanguages },
        ],
      },
      signal: opts.signal,
    });
  }

  /** One page of a routing catalogue; `name` narrows server-side (match exactly yourself). */
  async listRouting(
    kind: RoutingCatalogue,
    query: { name?: string | undefined; pageSize: number; pageNumber?: number },
    opts: CallOptions = {},
  ): Promise<EntityPage & { pageCount: number }> {
    const { data } = await this.http.request({
      method: 'GET',
      path: `/api/v2/routing/${kind}`,
      query: { pageSize: query.pageSize, pageNumber: query.pageNumber ?? 1, name: query.name },
      schema: routingPageSchema,
      signal: opts.signal,
    });
    return { ...toPage(data), pageCount: data.pageCount ?? 1 };
  }

  /** `POST /api/v2/routing/queues/{queueId}/members` (at most 100 users); adding a member twice changes nothing. */
  async addQueueMembers(queueId: string, userIds: string[], opts: CallOptions = {}): Promise<void> {
    await this.queueMembers(queueId, userIds, false, opts);
  }

  /** The same with `delete=true`. */
  async removeQueueMembers(queueId: string, userIds: string[], opts: CallOptions = {}): Promise<void> {
    await this.queueMembers(queueId, userIds, true, opts);
  }

  /** One page of a queue's members (user ids). */
  async listQueueMembers(
    queueId: string,
    pageNumber: number,
    pageSize: number,
    opts: CallOptions = {},
  ): Promise<{ userIds: string[]; pageCount: number }> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/routing/queues/{queueId}/members',
      pathParams: { queueId },
      query: { pageNumber, pageSize },
      schema: queueMembersPageSchema,
      signal: opts.signal,
    });
    return { userIds: (data.entities ?? []).map((m) => m.id), pageCount: data.pageCount ?? 1 };
  }

  private async queueMembers(queueId: string, userIds: string[], remove: boolean, opts: CallOptions): Promise<void> {
    if (userIds.length === 0 || userIds.length > MAX_QUEUE_MEMBERS_PER_CALL)
      throw new RangeError(`queue members per call: 1 to ${MAX_QUEUE_MEMBERS_PER_CALL}, got ${userIds.length}`);
    await this.http.request({
      method: 'POST',
      path: '/api/v2/routing/queues/{queueId}/members',
      pathParams: { queueId },
      query: remove ? { delete: true } : {},
      body: userIds.map((id) => ({ id })),
      signal: opts.signal,
    });
  }

  /**
   * `POST /api/v2/users/search`: users whose email is `userName`, EXACT, in the given states (one page of 25; a
   * userName is unique among live users, and a person is rarely deleted more than a few times). The Terraform
   * provider finds a deleted user this way before restoring it.
   */
  async searchUsersByUserName(userName: string, states: UserState[], opts: CallOptions = {}): Promise<PlatformUser[]> {
    const { data } = await this.http.request({
      method: 'POST',
      path: USERS_SEARCH,
      body: {
        query: [
          { type: 'EXACT', fields: ['email'], value: userName },
          { type: 'EXACT', fields: ['state'], values: states },
        ],
        pageSize: 25,
        pageNumber: 1,
      },
      schema: usersSearchResponseSchema,
      signal: opts.signal,
    });
    return data.results ?? [];
  }

  /**
   * `PATCH /api/v2/users/{userId}` `{state: "active", version}`: restores a deleted user (or reactivates an inactive
   * one). A version that is not the current one is a 409.
   */
  async restoreUser(userId: string, version: number, opts: CallOptions = {}): Promise<PlatformUser> {
    const { data } = await this.http.request({
      method: 'PATCH',
      path: USER,
      pathParams: { userId },
      body: { state: 'active', version },
      schema: platformUserSchema,
      signal: opts.signal,
    });
    return data;
  }

  /**
   * The last logins of these users: `GET /api/v2/users?id=…&expand=dateLastLogin,lasttokenissued&state=any`, one
   * request per MAX_USERS_PER_BULK_READ users (pageSize = the chunk, so a chunk is one page; more pages are followed
   * if the server pages smaller). List values are comma-joined, as the official SDK sends them. Users Genesys does
   * not have are absent from the answer.
   */
  async usersLogins(userIds: string[], opts: CallOptions = {}): Promise<UserLogins[]> {
    const out: UserLogins[] = [];
    for (const chunk of chunks(userIds, MAX_USERS_PER_BULK_READ)) {
      for (let pageNumber = 1, pageCount = 1; pageNumber <= pageCount; pageNumber++) {
        const { data } = await this.http.request({
          method: 'GET',
          path: USERS,
          query: {
            id: chunk.join(','),
            expand: 'dateLastLogin,lasttokenissued',
            // The default is active only: a deactivated agent's earlier logins count too.
            state: 'any',
            pageSize: chunk.length,
            pageNumber,
          },
          schema: userLoginsPageSchema,
          signal: opts.signal,
        });
        const entities = data.entities ?? [];
        for (const u of entities) {
          const issued = u.lastTokenIssued?.dateIssued;
          out.push({
            id: u.id,
            ...(u.dateLastLogin ? { dateLastLogin: u.dateLastLogin } : {}),
            ...(issued ? { lastTokenIssued: issued } : {}),
          });
        }
        // An empty page ends it whatever pageCount says (a server that miscounts cannot loop us).
        pageCount = entities.length > 0 ? Math.min(data.pageCount ?? 1, chunk.length) : 0;
      }
    }
    return out;
  }

  /**
   * The license ids each user holds: `POST /api/v2/license/users` with the ids, one request per
   * MAX_USERS_PER_BULK_READ users. A user Genesys does not have (deleted, unknown) has no entry in the map.
   */
  async licensesOfUsers(userIds: string[], opts: CallOptions = {}): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const chunk of chunks(userIds, MAX_USERS_PER_BULK_READ)) {
      const { data } = await this.http.request({
        method: 'POST',
        path: '/api/v2/license/users',
        body: chunk,
        schema: licenseUsersBatchSchema,
        signal: opts.signal,
      });
      const asked = new Set(chunk);
      for (const [userId, entry] of Object.entries(data)) {
        if (!asked.has(userId)) continue;
        const ids = (entry.licenses ?? []).map((l) => (typeof l === 'string' ? l : l.id));
        out.set(userId, [...new Set(ids)]);
      }
    }
    return out;
  }

  /** The licenses these roles imply (`POST /api/v2/license/infer`, one request; none for no roles). */
  async inferLicenses(roleIds: string[], opts: CallOptions = {}): Promise<string[]> {
    if (roleIds.length === 0) return [];
    const { data } = await this.http.request({
      method: 'POST',
      path: '/api/v2/license/infer',
      body: [...new Set(roleIds)],
      schema: licenseIdsSchema,
      signal: opts.signal,
    });
    return [...new Set(data)];
  }

  /** SCIM DELETE (a soft delete at Genesys). */
  async deleteUser(userId: string, opts: CallOptions = {}): Promise<void> {
    await this.http.request({ method: 'DELETE', path: SCIM_USER, pathParams: { userId }, signal: opts.signal });
  }

  /**
   * The user's DIRECT grants. includeDuplicates=true so a grant held both directly and through a group still
   * shows its direct copy; then everything whose subject is not the user (group-inherited) is dropped,
   * because inherited grants can neither be removed from the user nor count as ours.
   */
  async getDirectGrants(userId: string, opts: CallOptions = {}): Promise<IdGrant[]> {
    return (await this.getDatedDirectGrants(userId, opts)).map((g) => ({ roleId: g.roleId, divisionId: g.divisionId }));
  }

  /** The same direct grants, each with the time it was made when Genesys says (`grantMadeAt`). One request. */
  async getDatedDirectGrants(userId: string, opts: CallOptions = {}): Promise<DatedGrant[]> {
    const { data } = await this.http.request({
      method: 'GET',
      path: SUBJECT,
      pathParams: { subjectId: userId },
      query: { includeDuplicates: true },
      schema: authzSubjectSchema,
      signal: opts.signal,
    });
    const seen = new Set<string>();
    const grants: DatedGrant[] = [];
    for (const g of data.grants ?? []) {
      if (g.subjectId !== userId) continue;
      const grant: IdGrant = { roleId: g.role.id, divisionId: g.division.id };
      const key = idGrantKey(grant);
      if (seen.has(key)) continue;
      seen.add(key);
      grants.push({ ...grant, ...(g.grantMadeAt ? { madeAt: g.grantMadeAt } : {}) });
    }
    return grants;
  }

  /** SCIM users (active or inactive, not deleted) whose externalId is `externalId`, exactly. */
  async findUsersByExternalId(externalId: string, opts: CallOptions = {}): Promise<ScimUser[]> {
    const { data } = await this.http.request({
      method: 'GET',
      path: SCIM_USERS,
      query: { filter: scimEq('externalId', externalId) },
      schema: scimListResponseSchema,
      signal: opts.signal,
    });
    return (data.Resources ?? []).filter((u) => u.externalId === externalId);
  }

  /** One SCIM user by id, active or not (a deleted one is a NotFound error). */
  async getUser(userId: string, opts: CallOptions = {}): Promise<ScimUser> {
    const { data } = await this.http.request({
      method: 'GET',
      path: SCIM_USER,
      pathParams: { userId },
      schema: scimUserSchema,
      signal: opts.signal,
    });
    return data;
  }

  async addGrants(userId: string, grants: IdGrant[], opts: CallOptions = {}): Promise<void> {
    await this.bulk('bulkadd', userId, grants, opts);
  }

  async removeGrants(userId: string, grants: IdGrant[], opts: CallOptions = {}): Promise<void> {
    await this.bulk('bulkremove', userId, grants, opts);
  }

  /** One page of roles; `name` narrows server-side (its exact semantics are undocumented, so match exactly yourself). */
  async listRoles(query: { name?: string | undefined; pageSize: number }, opts: CallOptions = {}): Promise<EntityPage> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/authorization/roles',
      query: { pageSize: query.pageSize, pageNumber: 1, name: query.name },
      schema: rolesPageSchema,
      signal: opts.signal,
    });
    return toPage(data);
  }

  async listDivisions(
    query: { name?: string | undefined; pageSize: number },
    opts: CallOptions = {},
  ): Promise<EntityPage> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/authorization/divisions',
      query: { pageSize: query.pageSize, pageNumber: 1, name: query.name },
      schema: divisionsPageSchema,
      signal: opts.signal,
    });
    return toPage(data);
  }

  /** One page of all roles, for reading the whole catalog. */
  async listRolesPage(pageNumber: number, pageSize: number, opts: CallOptions = {}): Promise<ListingPage> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/authorization/roles',
      query: { pageSize, pageNumber },
      schema: rolesPageSchema,
      signal: opts.signal,
    });
    return toListingPage(data, pageSize);
  }

  /** One page of all divisions, for reading the whole catalog. */
  async listDivisionsPage(pageNumber: number, pageSize: number, opts: CallOptions = {}): Promise<ListingPage> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/authorization/divisions',
      query: { pageSize, pageNumber },
      schema: divisionsPageSchema,
      signal: opts.signal,
    });
    return toListingPage(data, pageSize);
  }

  /** Moves users' home division (the body is a bare JSON array of ids). */
  async moveUsersToDivision(divisionId: string, userIds: string[], opts: CallOptions = {}): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: '/api/v2/authorization/divisions/{divisionId}/objects/USER',
      pathParams: { divisionId },
      body: userIds,
      signal: opts.signal,
    });
  }

  private async bulk(
    action: 'bulkadd' | 'bulkremove',
    userId: string,
    grants: IdGrant[],
    opts: CallOptions,
  ): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: `${SUBJECT}/${action}`,
      pathParams: { subjectId: userId },
      // The SDK documents subjectType (default PC_USER) on bulkadd only; bulkremove has no such parameter.
      query: action === 'bulkadd' ? { subjectType: 'PC_USER' } : {},
      body: { grants: grants.map((g) => ({ roleId: g.roleId, divisionId: g.divisionId })) },
      signal: opts.signal,
    });
  }

  /** The OAuth client's own role grants (`GET /api/v2/oauth/clients/{clientId}`): what doctor checks. */
  async getOAuthClient(
    clientId: string,
    opts: CallOptions = {},
  ): Promise<{ id: string; roleDivisions: RoleDivision[] }> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/oauth/clients/{clientId}',
      pathParams: { clientId },
      schema: oauthClientSchema,
      signal: opts.signal,
    });
    return { id: data.id, roleDivisions: data.roleDivisions ?? [] };
  }

  /** A role's permissions (`domain:entity:action`), from its permission list and its policies. */
  async getRole(roleId: string, opts: CallOptions = {}): Promise<{ id: string; name: string; permissions: string[] }> {
    const { data } = await this.http.request({
      method: 'GET',
      path: '/api/v2/authorization/roles/{roleId}',
      pathParams: { roleId },
      schema: roleSchema,
      signal: opts.signal,
    });
    const fromPolicies = (data.permissionPolicies ?? []).flatMap((p) =>
      (p.actionSet ?? []).map((action) => `${p.domain}:${p.entityName}:${action}`),
    );
    return {
      id: data.id,
      name: data.name ?? data.id,
      permissions: [...new Set([...(data.permissions ?? []), ...fromPolicies])],
    };
  }
}

function toPage(data: {
  entities?: NamedEntity[] | null | undefined;
  pageNumber?: number | null | undefined;
  pageCount?: number | null | undefined;
  total?: number | null | undefined;
}): EntityPage {
  const entities = (data.entities ?? []).map((e) => ({ id: e.id, name: e.name }));
  const more = (data.pageCount ?? 1) > (data.pageNumber ?? 1) || (data.total ?? entities.length) > entities.length;
  return { entities, more };
}

function toListingPage(
  data: {
    entities?: Array<NamedEntity & { default?: boolean | null | undefined }> | null | undefined;
    pageCount?: number | null | undefined;
    total?: number | null | undefined;
  },
  pageSize: number,
): ListingPage {
  const entities = (data.entities ?? []).map((e) => ({ id: e.id, name: e.name, default: e.default === true }));
  const pageCount =
    data.pageCount ?? (data.total !== undefined && data.total !== null ? Math.ceil(data.total / pageSize) : 1);
  return { entities, pageCount };
}
