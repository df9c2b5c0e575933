// Day-one readiness, read back from Genesys as an outsider would: the official, unpatched Genesys Cloud SDK
// (purecloud-platform-client-v2) against the emulator. Every agent's routing skills and languages come from one
// SCIM listing (25 users a page, the documented safe size with those attributes), queue memberships from each
// queue's member list, so the whole check costs a few dozen requests however many agents there are.
import * as platformClient from 'purecloud-platform-client-v2';
import { computeEntitlements } from '../../domain/entitlements';
import type { SeasonMapping } from '../../domain/mapping';

const GENESYS = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
const SCIM_PAGE = 25;
const MEMBERS_PAGE = 100;

// The SDK's index.d.ts declares its API classes without exporting them: the few members used are typed here.
interface Listing<T> {
  entities?: T[];
  pageCount?: number;
}
interface Proficiency {
  name: string;
  proficiency: number;
}
interface ScimUser {
  id: string;
  externalId?: string;
  [GENESYS]?: { routingSkills?: Proficiency[]; routingLanguages?: Proficiency[] };
}
interface Sdk {
  ApiClient: {
    instance: {
      setGateway(g: { host: string; protocol: string; port: number }): void;
      loginClientCredentialsGrant(id: string, secret: string): Promise<unknown>;
    };
  };
  SCIMApi: new () => {
    getScimV2Users(opts: {
      startIndex: number;
      count: number;
      attributes: string[];
    }): Promise<{ totalResults: number; Resources?: ScimUser[] }>;
  };
  RoutingApi: new () => {
    getRoutingQueues(opts: { pageSize: number; pageNumber: number }): Promise<Listing<{ id: string; name: string }>>;
    getRoutingQueueMembers(
      queueId: string,
      opts: { pageSize: number; pageNumber: number },
    ): Promise<Listing<{ id: string }>>;
  };
}
const sdk = platformClient as unknown as Sdk;

export interface RoutingAgent {
  oktaUserId: string;
  groups: Array<{ id: string; name: string }>;
}

export interface RoutingReadBack {
  /** Okta user id → its active Genesys user's skills and languages (SCIM lists active users only). */
  users: Map<string, { id: string; skills: Proficiency[]; languages: Proficiency[] }>;
  /** Queue name → member user ids. */
  queues: Map<string, Set<string>>;
}

/** Logs the SDK in against the emulator (its gateway setting points login and API at the same host). */
export async function sdkLogin(url: string, clientId: string, secret: string): Promise<void> {
  const { hostname, port, protocol } = new URL(url);
  sdk.ApiClient.instance.setGateway({ host: hostname, protocol: protocol.replace(':', ''), port: Number(port) });
  await sdk.ApiClient.instance.loginClientCredentialsGrant(clientId, secret);
}

export async function readRouting(): Promise<RoutingReadBack> {
  const scim = new sdk.SCIMApi();
  const routing = new sdk.RoutingApi();
  const users: RoutingReadBack['users'] = new Map();
  for (let start = 1; ; start += SCIM_PAGE) {
    const page = await scim.getScimV2Users({
      startIndex: start,
      count: SCIM_PAGE,
      attributes: ['externalId', `${GENESYS}:routingSkills`, `${GENESYS}:routingLanguages`],
    });
    for (const u of page.Resources ?? []) {
      if (!u.externalId) continue;
      const ext = u[GENESYS];
      users.set(u.externalId, { id: u.id, skills: ext?.routingSkills ?? [], languages: ext?.routingLanguages ?? [] });
    }
    if (start + SCIM_PAGE > page.totalResults || (page.Resources ?? []).length === 0) break;
  }
  const queues: RoutingReadBack['queues'] = new Map();
  for (const queue of await allPages((n) => routing.getRoutingQueues({ pageSize: MEMBERS_PAGE, pageNumber: n }))) {
    const members = await allPages((n) =>
      routing.getRoutingQueueMembers(queue.id, { pageSize: MEMBERS_PAGE, pageNumber: n }),
    );
    queues.set(queue.name, new Set(members.map((m) => m.id)));
  }
  return { users, queues };
}

async function allPages<T>(page: (n: number) => Promise<Listing<T>>): Promise<T[]> {
  const all: T[] = [];
  for (let n = 1; n <= 100; n++) {
    const { entities = [], pageCount = 1 } = await page(n);
    all.push(...entities);
    if (n >= pageCount || entities.length === 0) break;
  }
  return all;
}

/** Agents whose skills, languages or queues differ from what the mapping gives (the same pure function). */
export function routingMismatches(mapping: SeasonMapping, agents: RoutingAgent[], read: RoutingReadBack): string[] {
  const key = (list: Proficiency[]) =>
    list
      .map((p) => `${p.name}:${p.proficiency}`)
      .sort()
      .join(',');
  return agents
    .filter((a) => {
      const wanted = computeEntitlements(mapping, a.groups);
      const user = read.users.get(a.oktaUserId);
      if (!user) return true;
      const inQueues = [...read.queues].filter(([, ids]) => ids.has(user.id)).map(([name]) => name);
      return (
        key(user.skills) !== key(wanted.skills) ||
        key(user.languages) !== key(wanted.languages) ||
        inQueues.sort().join(',') !== [...wanted.queues].sort().join(',')
      );
    })
    .map((a) => a.oktaUserId);
}

/** How many of these Genesys user ids are still a member of some queue. */
export function stillQueued(userIds: Set<string>, read: RoutingReadBack): number {
  return [...userIds].filter((id) => [...read.queues.values()].some((members) => members.has(id))).length;
}
