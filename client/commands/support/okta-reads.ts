// The CLI's read-only view of Okta: do the season's groups exist (preflight), what are their ids (a roster
// names groups; the workflow needs ids to remove members at the end), and who is in them (start --from-okta,
// audit). Okta users in a terminal status are left out: Okta deactivation does not remove group memberships.
import type { OktaConnection } from '../../../config/orgs';
import type { OktaGroupRef, SeasonMapping } from '../../../domain/mapping';
import type { NamedRef } from '../../../domain/preflight';
import { isOktaApiError, OktaClient, type OktaGroup, type OktaUser } from '../../../integrations/okta';
import { OktaHttp } from '../../../integrations/okta/http';
import { groupListSchema } from '../../../integrations/okta/schemas';
import { UserError } from '../../../platform/errors';
import type { AgentIdentity } from '../../../workflows/messages';
import { inParallel } from '../../../operations/concurrency';

/** Statuses of people who can work: anything else (staged, suspended, deprovisioned) is not started. */
const WORKING_STATUSES = new Set(['ACTIVE', 'PROVISIONED', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT']);
const OKTA_GROUP_ID = /^00g[A-Za-z0-9]{10,}$/;

export function oktaUserError(err: unknown): unknown {
  if (!isOktaApiError(err)) return err;
  if (err.kind === 'Unauthorized')
    return new UserError(`Okta refused the credentials (okta in orgs.yaml): ${err.message}`);
  return new UserError(`Okta: ${err.message}`);
}

export interface SeasonMember {
  agent: AgentIdentity;
  groups: OktaGroupRef[];
}

export interface MembersResult {
  members: SeasonMember[];
  /** Members left out, by reason (no names: counts and Okta ids only). */
  skipped: Array<{ oktaUserId: string; reason: string }>;
}

export class OktaReads {
  private readonly client: OktaClient;
  private readonly http: OktaHttp;

  constructor(connection: OktaConnection) {
    this.client = OktaClient.fromConnection(connection);
    this.http = new OktaHttp({
      orgUrl: connection.orgUrl,
      apiToken: connection.apiToken,
      oauth: connection.oauth,
      credentialSource: connection.credentialSource,
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw oktaUserError(err);
    }
  }

  /** One group by 00g… id or exact name; null when Okta has none. */
  async findGroup(ref: string): Promise<NamedRef | null> {
    const toRef = (g: OktaGroup): NamedRef => ({ id: g.id, name: g.profile.name });
    if (OKTA_GROUP_ID.test(ref)) {
      try {
        return toRef(await this.client.getGroup(ref));
      } catch (err) {
        if (isOktaApiError(err, 'NotFound')) return null;
        throw oktaUserError(err);
      }
    }
    const found = await this.call(() => this.client.findGroupByName(ref));
    return found ? toRef(found) : null;
  }

  /** Groups whose name starts like `name` (Okta's `q` prefix search): candidates for "did you mean". */
  async similarGroups(name: string): Promise<NamedRef[]> {
    const prefix = name.trim().slice(0, 3);
    if (prefix === '') return [];
    const { data } = await this.call(() =>
      this.http.request({
        method: 'GET',
        path: '/api/v1/groups',
        query: { q: prefix, limit: 200 },
        schema: groupListSchema,
      }),
    );
    return data.map((g) => ({ id: g.id, name: g.profile.name }));
  }

  /**
   * The season's groups as Okta knows them, plus near names for the ones it does not: preflight's input.
   * `found` maps each mapping entry (name or id) to its group.
   */
  async seasonGroups(mapping: SeasonMapping): Promise<{ known: NamedRef[]; found: Map<string, NamedRef> }> {
    const found = new Map<string, NamedRef>();
    const known = new Map<string, NamedRef>();
    await inParallel(mapping.rules, 4, async (rule) => {
      const group = await this.findGroup(rule.group);
      if (group) {
        found.set(rule.group, group);
        known.set(group.id, group);
      } else {
        for (const g of await this.similarGroups(rule.group)) known.set(g.id, g);
      }
    });
    return { known: [...known.values()], found };
  }

  /** Everyone in at least one of the season's groups, with the season groups they are in. */
  async seasonMembers(groups: NamedRef[]): Promise<MembersResult> {
    const byUser = new Map<string, { user: OktaUser; groups: OktaGroupRef[] }>();
    for (const group of groups) {
      const members = await this.call(() => this.client.listGroupMembers(group.id));
      for (const user of members) {
        const entry = byUser.get(user.id) ?? { user, groups: [] };
        entry.groups.push({ id: group.id, name: group.name });
        byUser.set(user.id, entry);
      }
    }
    const result: MembersResult = { members: [], skipped: [] };
    for (const { user, groups: memberOf } of byUser.values()) {
      if (!WORKING_STATUSES.has(user.status)) {
        result.skipped.push({ oktaUserId: user.id, reason: `Okta status ${user.status}` });
        continue;
      }
      const p = user.profile;
      const email = p.email ?? (p.login.includes('@') ? p.login : undefined);
      if (!email || !p.firstName || !p.lastName) {
        result.skipped.push({
          oktaUserId: user.id,
          reason: 'the Okta profile lacks an email, a first name or a last name',
        });
        continue;
      }
      const agent: AgentIdentity = {
        oktaUserId: user.id,
        login: p.login,
        email,
        givenName: p.firstName,
        familyName: p.lastName,
      };
      if (p.employeeNumber) agent.employeeNumber = p.employeeNumber;
      result.members.push({ agent, groups: memberOf });
    }
    result.members.sort((a, b) => a.agent.oktaUserId.localeCompare(b.agent.oktaUserId));
    return result;
  }
}
