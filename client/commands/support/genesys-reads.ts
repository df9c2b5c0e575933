// The CLI's read-only view of a Genesys org: the catalog of roles and divisions (preflight), and per-agent facts
// (user by userName or id, direct grants) for plan, report and audit. Most calls go through the shared
// GenesysClient; the few reads it does not offer (all pages of a listing, one user by id) use its transport
// with its schemas. Every request is paced within the org's budget.
import type { GenesysConnection } from '../../../config/orgs';
import type { IdGrant } from '../../../domain/entitlements';
import type { ExistingUser } from '../../../domain/plan';
import type { NamedRef, OrgCatalog } from '../../../domain/preflight';
import { GenesysClient, isGenesysApiError, type ScimUser } from '../../../integrations/genesys';
import { GenesysHttp } from '../../../integrations/genesys/http';
import { z } from 'zod';
import { divisionsPageSchema, scimListResponseSchema, scimUserSchema, SCIM_ENTERPRISE_USER_SCHEMA } from '../../../integrations/genesys/schemas';
import { UserError } from '../../../platform/errors';
import type { DatedGrant } from '../audit-drift';
import { Pacer } from './pacer';

/** Roles with the `default` flag: Genesys gives the default role to every user, so audit must not call it drift. */
const rolesWithDefaultSchema = z.object({
  entities: z.array(z.object({ id: z.string().min(1), name: z.string(), default: z.boolean().nullish() })).nullish(),
  pageNumber: z.number().int().nullish(),
  pageCount: z.number().int().nullish(),
  total: z.number().int().nullish(),
});

/** AuthzSubject with each grant's time (grantMadeAt): tells a grant made after the agent's start from an older one. */
const subjectWithTimesSchema = z.object({
  grants: z
    .array(z.object({ subjectId: z.string(), role: z.object({ id: z.string() }), division: z.object({ id: z.string() }), grantMadeAt: z.string().nullish() }))
    .nullish(),
});

export interface CatalogWithDefaults extends OrgCatalog {
  defaultRoleIds: string[];
}

/** Listings page by 100; the limit for these endpoints is not documented (reference §3). */
const PAGE_SIZE = 100;
const MAX_PAGES = 200;

function toExistingUser(u: ScimUser): ExistingUser {
  const division = u[SCIM_ENTERPRISE_USER_SCHEMA]?.division;
  return { id: u.id, active: u.active, ...(division ? { homeDivision: division } : {}), ...(u.externalId ? { externalId: u.externalId } : {}) };
}

/** Turns what a person can fix (credentials, permissions, a wrong URL) into one readable line. */
export function genesysUserError(orgId: string, err: unknown): unknown {
  if (!isGenesysApiError(err)) return err;
  switch (err.kind) {
    case 'Unauthorized':
      return new UserError(`Genesys org ${orgId} refused the OAuth client credentials (check genesys.clientId and the secret variable in orgs.yaml): ${err.message}`);
    case 'Forbidden':
      return new UserError(`Genesys org ${orgId}: the OAuth client lacks a permission for this read: ${err.message}`);
    case 'ServerError':
      return new UserError(`Genesys org ${orgId} could not be reached or failed: ${err.message}`);
    default:
      return new UserError(`Genesys org ${orgId}: ${err.message}`);
  }
}

export class GenesysReads {
  private readonly client: GenesysClient;
  private readonly http: GenesysHttp;
  readonly pacer: Pacer;

  constructor(
    readonly orgId: string,
    connection: GenesysConnection,
    requestsPerMinute = connection.requestsPerMinute,
  ) {
    this.client = GenesysClient.fromConnection(connection);
    this.http = new GenesysHttp(connection);
    this.pacer = new Pacer(requestsPerMinute);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.pacer.run(fn);
    } catch (err) {
      throw genesysUserError(this.orgId, err);
    }
  }

  private async listAll(path: string, schema: typeof rolesWithDefaultSchema | typeof divisionsPageSchema): Promise<Array<NamedRef & { default: boolean }>> {
    const all: Array<NamedRef & { default: boolean }> = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await this.call(() => this.http.request({ method: 'GET', path, query: { pageSize: PAGE_SIZE, pageNumber: page }, schema }));
      const entities = data.entities ?? [];
      for (const e of entities) all.push({ id: e.id, name: e.name, default: 'default' in e && e.default === true });
      const pageCount = data.pageCount ?? (data.total !== undefined && data.total !== null ? Math.ceil(data.total / PAGE_SIZE) : 1);
      if (page >= pageCount || entities.length === 0) break;
    }
    return all;
  }

  /** Every role and division of the org (all pages), and which roles Genesys gives every user by default. */
  async catalog(): Promise<CatalogWithDefaults> {
    const [roles, divisions] = await Promise.all([
      this.listAll('/api/v2/authorization/roles', rolesWithDefaultSchema),
      this.listAll('/api/v2/authorization/divisions', divisionsPageSchema),
    ]);
    return {
      roles: roles.map((r) => ({ id: r.id, name: r.name })),
      divisions: divisions.map((d) => ({ id: d.id, name: d.name })),
      defaultRoleIds: roles.filter((r) => r.default).map((r) => r.id),
    };
  }

  /** Users (active or inactive, not deleted) whose externalId is this Okta user id: the provisioner's marker. */
  async findUsersByExternalId(externalId: string): Promise<ExistingUser[]> {
    const { data } = await this.call(() =>
      this.http.request({ method: 'GET', path: '/api/v2/scim/v2/users', query: { filter: `externalId eq ${JSON.stringify(externalId)}` }, schema: scimListResponseSchema }),
    );
    return (data.Resources ?? []).filter((u) => u.externalId === externalId).map(toExistingUser);
  }

  /** The user's direct grants with the time each was made (group-inherited ones left out, as the workflow does). */
  async datedDirectGrants(userId: string): Promise<DatedGrant[]> {
    const { data } = await this.call(() =>
      this.http.request({ method: 'GET', path: '/api/v2/authorization/subjects/{subjectId}', pathParams: { subjectId: userId }, query: { includeDuplicates: true }, schema: subjectWithTimesSchema }),
    );
    const seen = new Set<string>();
    const out: DatedGrant[] = [];
    for (const g of data.grants ?? []) {
      const key = `${g.role.id}\u0000${g.division.id}`;
      if (g.subjectId !== userId || seen.has(key)) continue;
      seen.add(key);
      out.push({ roleId: g.role.id, divisionId: g.division.id, ...(g.grantMadeAt ? { madeAt: g.grantMadeAt } : {}) });
    }
    return out;
  }

  /** The user the workflow would find for this userName (same rule: exact match first, then an active one). */
  async findUser(userName: string): Promise<ExistingUser | null> {
    const users = await this.call(() => this.client.findUsersByUserName(userName));
    const wanted = userName.toLowerCase();
    const matches = users.filter((u) => u.userName.toLowerCase() === wanted);
    const best = matches.find((u) => u.userName === userName && u.active) ?? matches.find((u) => u.active) ?? matches[0];
    return best ? toExistingUser(best) : null;
  }

  /** One user by id, active or not; null when Genesys no longer has it (deleted). */
  async getUser(userId: string): Promise<ExistingUser | null> {
    try {
      const { data } = await this.pacer.run(() => this.http.request({ method: 'GET', path: '/api/v2/scim/v2/users/{userId}', pathParams: { userId }, schema: scimUserSchema }));
      return toExistingUser(data);
    } catch (err) {
      if (isGenesysApiError(err, 'NotFound')) return null;
      throw genesysUserError(this.orgId, err);
    }
  }

  async directGrants(userId: string): Promise<IdGrant[]> {
    return this.call(() => this.client.getDirectGrants(userId));
  }
}
