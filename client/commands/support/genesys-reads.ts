// The CLI's read-only view of a Genesys org: the catalog of roles and divisions (preflight), and per-agent facts
// (user by userName or id, direct grants) for plan, report and audit. Every call goes through the shared
// GenesysClient (one token cache per org), paced within the org's budget.
import type { GenesysConnection } from '../../../config/orgs';
import type { DatedGrant, IdGrant } from '../../../domain/entitlements';
import type { ExistingUser } from '../../../domain/plan';
import type { OrgCatalog } from '../../../domain/preflight';
import { bestUserNameMatch } from '../../../domain/user-match';
import {
  GenesysClient,
  isGenesysApiError,
  type ListingPage,
  type RoutingCatalogue,
  type ScimUser,
  type UserRouting,
} from '../../../integrations/genesys';
import { permissionsOf } from '../../../integrations/genesys/permissions';
import { SCIM_ENTERPRISE_USER_SCHEMA } from '../../../integrations/genesys/schemas';
import { UserError } from '../../../platform/errors';
import { Pacer } from './pacer';

export interface CatalogWithDefaults extends OrgCatalog {
  defaultRoleIds: string[];
}

/** Listings page by 100; the limit for these endpoints is not documented (reference §3). */
const PAGE_SIZE = 100;
const MAX_PAGES = 200;

function toExistingUser(u: ScimUser): ExistingUser {
  const division = u[SCIM_ENTERPRISE_USER_SCHEMA]?.division;
  return {
    id: u.id,
    active: u.active,
    ...(division ? { homeDivision: division } : {}),
    ...(u.externalId ? { externalId: u.externalId } : {}),
  };
}

/** Turns what a person can fix (credentials, permissions, a wrong URL) into one readable line. */
export function genesysUserError(orgId: string, err: unknown): unknown {
  if (!isGenesysApiError(err)) return err;
  switch (err.kind) {
    case 'Unauthorized':
      return new UserError(
        `Genesys org ${orgId} refused the OAuth client credentials (check genesys.clientId and the secret variable in orgs.yaml): ${err.message}`,
      );
    case 'Forbidden': {
      const needed = permissionsOf(err.operation);
      const which = needed.length > 0 ? `the permission ${needed.join(', ')}` : 'a permission';
      return new UserError(
        `Genesys org ${orgId}: the OAuth client lacks ${which} for ${err.operation}: ${err.message}`,
      );
    }
    case 'ServerError':
      return new UserError(`Genesys org ${orgId} could not be reached or failed: ${err.message}`);
    default:
      return new UserError(`Genesys org ${orgId}: ${err.message}`);
  }
}

export class GenesysReads {
  private readonly client: GenesysClient;
  readonly pacer: Pacer;

  constructor(
    readonly orgId: string,
    connection: GenesysConnection,
    requestsPerMinute = connection.requestsPerMinute,
  ) {
    this.client = GenesysClient.fromConnection(connection);
    this.pacer = new Pacer(requestsPerMinute);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.pacer.run(fn);
    } catch (err) {
      throw genesysUserError(this.orgId, err);
    }
  }

  private async listAll(page: (pageNumber: number) => Promise<ListingPage>): Promise<ListingPage['entities']> {
    const all: ListingPage['entities'] = [];
    for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
      const { entities, pageCount } = await this.call(() => page(pageNumber));
      all.push(...entities);
      if (pageNumber >= pageCount || entities.length === 0) break;
    }
    return all;
  }

  /**
   * Every role and division of the org (all pages), and which roles Genesys gives every user by default; with
   * `routing`, also every routing skill, language and queue (all pages).
   */
  async catalog(opts: { routing?: boolean } = {}): Promise<CatalogWithDefaults> {
    const routingList = (kind: RoutingCatalogue) =>
      this.listAll(async (n) => {
        const page = await this.client.listRouting(kind, { pageNumber: n, pageSize: PAGE_SIZE });
        return { entities: page.entities.map((e) => ({ ...e, default: false })), pageCount: page.pageCount };
      });
    const [roles, divisions, skills, languages, queues] = await Promise.all([
      this.listAll((n) => this.client.listRolesPage(n, PAGE_SIZE)),
      this.listAll((n) => this.client.listDivisionsPage(n, PAGE_SIZE)),
      ...(opts.routing ? (['skills', 'languages', 'queues'] as const).map(routingList) : []),
    ]);
    const named = (list: Array<{ id: string; name: string }>) => list.map((e) => ({ id: e.id, name: e.name }));
    return {
      roles: named(roles),
      divisions: named(divisions!),
      ...(skills && languages && queues
        ? { skills: named(skills), languages: named(languages), queues: named(queues) }
        : {}),
      defaultRoleIds: roles.filter((r) => r.default).map((r) => r.id),
    };
  }

  /** The user's routing skills and languages (SCIM). */
  async userRouting(userId: string): Promise<UserRouting> {
    return this.call(() => this.client.getUserRouting(userId));
  }

  /** Name → id of the org's queues with these names (all pages of the queue listing). */
  async queueIds(names: string[]): Promise<Map<string, string>> {
    const wanted = new Set(names);
    if (wanted.size === 0) return new Map();
    const queues = await this.listAll(async (n) => {
      const page = await this.client.listRouting('queues', { pageNumber: n, pageSize: PAGE_SIZE });
      return { entities: page.entities.map((e) => ({ ...e, default: false })), pageCount: page.pageCount };
    });
    return new Map(queues.filter((q) => wanted.has(q.name)).map((q) => [q.name, q.id]));
  }

  /** The user ids in any of these queues (each queue's members, all pages). */
  async membersOfQueues(queueIds: Iterable<string>): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const id of queueIds) out.set(id, new Set(await this.queueMembers(id)));
    return out;
  }

  /** Every member (user id) of a queue, all pages. */
  async queueMembers(queueId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
      const { userIds, pageCount } = await this.call(() =>
        this.client.listQueueMembers(queueId, pageNumber, PAGE_SIZE),
      );
      ids.push(...userIds);
      if (pageNumber >= pageCount || userIds.length === 0) break;
    }
    return ids;
  }

  /** Users (active or inactive, not deleted) whose externalId is this Okta user id: the provisioner's marker. */
  async findUsersByExternalId(externalId: string): Promise<ExistingUser[]> {
    return (await this.call(() => this.client.findUsersByExternalId(externalId))).map(toExistingUser);
  }

  /** The user's direct grants with the time each was made (group-inherited ones left out, as the workflow does). */
  async datedDirectGrants(userId: string): Promise<DatedGrant[]> {
    return this.call(() => this.client.getDatedDirectGrants(userId));
  }

  /** The user the workflow would find for this userName (the same rule: domain/user-match.ts). */
  async findUser(userName: string): Promise<ExistingUser | null> {
    const best = bestUserNameMatch(await this.call(() => this.client.findUsersByUserName(userName)), userName);
    return best ? toExistingUser(best) : null;
  }

  /** One user by id, active or not; null when Genesys no longer has it (deleted). */
  async getUser(userId: string): Promise<ExistingUser | null> {
    try {
      return toExistingUser(await this.pacer.run(() => this.client.getUser(userId)));
    } catch (err) {
      if (isGenesysApiError(err, 'NotFound')) return null;
      throw genesysUserError(this.orgId, err);
    }
  }

  async directGrants(userId: string): Promise<IdGrant[]> {
    return this.call(() => this.client.getDirectGrants(userId));
  }

  /**
   * What the OAuth client may do: the union of the permissions of the roles it holds (its own client record, then
   * each role once). When Genesys refuses one of these reads (403), `unreadable` names the call: the client lacks
   * the permission to read its own roles, which the caller reports from the permission table.
   */
  async clientPermissions(): Promise<
    { clientId: string; permissions: string[] } | { clientId: string; unreadable: string }
  > {
    const clientId = this.client.clientId;
    const refused = (err: unknown): { clientId: string; unreadable: string } => {
      if (isGenesysApiError(err, 'Forbidden')) return { clientId, unreadable: err.operation };
      throw genesysUserError(this.orgId, err);
    };
    let roleIds: string[];
    try {
      const record = await this.pacer.run(() => this.client.getOAuthClient(clientId));
      roleIds = [...new Set(record.roleDivisions.map((r) => r.roleId))];
    } catch (err) {
      return refused(err);
    }
    try {
      const roles = await Promise.all(roleIds.map((id) => this.pacer.run(() => this.client.getRole(id))));
      return { clientId, permissions: [...new Set(roles.flatMap((r) => r.permissions))].sort() };
    } catch (err) {
      return refused(err);
    }
  }

  /** License ids per user (POST /api/v2/license/users in batches): what each seasonal user holds now. */
  async licensesOfUsers(userIds: string[]): Promise<Map<string, string[]>> {
    if (userIds.length === 0) return new Map();
    return this.call(() => this.client.licensesOfUsers(userIds));
  }

  /** The licenses a set of roles implies (POST /api/v2/license/infer): for users Genesys no longer has. */
  async inferLicenses(roleIds: string[]): Promise<string[]> {
    if (roleIds.length === 0) return [];
    return this.call(() => this.client.inferLicenses(roleIds));
  }
}
