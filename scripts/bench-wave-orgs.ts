// The orgs the wave bench provisions into: the emulator fixture's two orgs, each with its own OAuth client (so its
// own request budget) and a season mapping with day-one routing in that org's names.
import type { NameResolution } from '../domain/agent';
import { computeEntitlements } from '../domain/entitlements';
import type { OktaGroupRef, SeasonMapping } from '../domain/mapping';
import type { GenesysClient } from '../integrations/genesys';
import { seasonalAgentInput } from '../operations/seasonal-agent';
import type { SeasonalAgentInput } from '../workflows/agent/contract';
import { AGENTS_GROUP, CHAT_GROUP, retailRoutedMapping, teardownAtOnce } from '../test/support/agents';

export const SEASON = 'bench-holiday';

export interface BenchOrg {
  orgId: string;
  clientId: string;
  /** The emulator fixture's fake secret: it grants nothing anywhere else. */
  clientSecret: string;
  mapping: SeasonMapping;
  groupsOf(i: number): OktaGroupRef[];
  /** Genesys calls one agent needs to be provisioned, on average (sizes the season so the wave fits before it ends). */
  callsToProvision: number;
}

const OUTLET_AGENTS = { id: '00goutletagents001', name: 'Outlet-Seasonal-Agents' };

const outletMapping: SeasonMapping = {
  rules: [
    {
      group: OUTLET_AGENTS.name,
      homeDivision: 'Outlet Stores',
      roles: [{ role: 'Agent', divisions: ['Outlet Stores', 'Customer Care'] }],
      skills: [{ name: 'Outlet Orders', proficiency: 2 }],
      languages: [{ name: 'German', proficiency: 5 }],
      queues: ['Outlet Voice'],
    },
  ],
};

export const BENCH_ORGS: BenchOrg[] = [
  {
    orgId: 'retail-us',
    clientId: 'retail-us-provisioner',
    clientSecret: 'emulator-retail-us-secret',
    mapping: retailRoutedMapping,
    // Every fourth agent also does chat: a third queue.
    groupsOf: (i) => (i % 4 === 0 ? [AGENTS_GROUP, CHAT_GROUP] : [AGENTS_GROUP]),
    callsToProvision: 2 + 2.25,
  },
  {
    orgId: 'outlet-eu',
    clientId: 'outlet-eu-provisioner',
    clientSecret: 'emulator-outlet-eu-secret',
    mapping: outletMapping,
    groupsOf: () => [OUTLET_AGENTS],
    callsToProvision: 2 + 1,
  },
];

export async function resolveNames(genesys: GenesysClient): Promise<NameResolution> {
  const roles = await genesys.listRoles({ pageSize: 100 });
  const divisions = await genesys.listDivisions({ pageSize: 100 });
  const queues = await genesys.listRouting('queues', { pageSize: 100 });
  return {
    roles: Object.fromEntries(roles.entities.map((r) => [r.name, r.id])),
    divisions: Object.fromEntries(divisions.entities.map((d) => [d.name, d.id])),
    queues: Object.fromEntries(queues.entities.map((q) => [q.name, q.id])),
  };
}

export function benchAgentInput(
  org: BenchOrg,
  i: number,
  seasonEndsAt: string,
  resolved: NameResolution,
): SeasonalAgentInput {
  const id = `00ubench${org.orgId.slice(0, 2)}${String(i).padStart(6, '0')}`;
  const groups = org.groupsOf(i);
  if (computeEntitlements(org.mapping, groups).queues.length === 0) throw new Error('bench mapping gives no queues');
  const season = { id: SEASON, orgId: org.orgId, endsAt: seasonEndsAt, mapping: org.mapping, policy: teardownAtOnce };
  const agent = {
    oktaUserId: id,
    login: `bench.${i}@${org.orgId}.example`,
    email: `bench.${i}@${org.orgId}.example`,
    givenName: 'Bench',
    familyName: `Agent${i}`,
  };
  return seasonalAgentInput(season, agent, groups, new Date().toISOString(), resolved);
}
