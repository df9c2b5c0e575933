import path from 'node:path';
import { findSeason, loadConfig } from '../../config/load';
import { computeEntitlements } from '../../domain/entitlements';
import { planWave, waveSeconds, PlanAgentFacts } from '../../domain/plan';
import { OrgCatalog, preflight } from '../../domain/preflight';
import type { AgentIdentity } from '../../workflows/messages';

const CATALOG: OrgCatalog = {
  roles: [
    'employee',
    'Seasonal Agents',
    'Voice Agent',
    'Chat Agent',
    'Email Agent',
    'Supervisor',
    'Quality Evaluator',
    'Workforce Viewer',
    'Reporting Viewer',
    'Trainer',
  ].map((name) => ({ id: `id:${name}`, name })),
  divisions: [
    'Home',
    'Retail Stores',
    'E-Commerce',
    'Returns & Exchanges',
    'Holiday Overflow',
    'Quality Assurance',
  ].map((name) => ({ id: `id:${name}`, name })),
};
const { season } = findSeason(loadConfig(path.resolve(__dirname, '../../config')), 'retail-holiday-2026');
const { resolved } = preflight({ seasonId: season.id, orgId: season.orgId, mapping: season.mapping, catalog: CATALOG });

function agent(n: number): AgentIdentity {
  return {
    oktaUserId: `00uplan${n}`,
    login: `a${n}@x.example`,
    email: `a${n}@x.example`,
    givenName: 'A',
    familyName: `N${n}`,
  };
}
const AGENTS = [{ id: '00gA', name: 'Retail-Holiday-Agents' }];
const CHAT = [{ id: '00gC', name: 'Retail-Holiday-Chat' }];

function plan(agents: PlanAgentFacts[], requestsPerMinute = 300) {
  return planWave({
    seasonId: season.id,
    orgId: season.orgId,
    mapping: season.mapping,
    resolved,
    catalog: CATALOG,
    defaultRoleIds: ['id:employee'],
    requestsPerMinute,
    agents,
  });
}

describe('planWave', () => {
  it('plans a new user with every mapped grant, from the same entitlements the workflow computes', () => {
    const p = plan([{ agent: agent(1), groups: AGENTS, user: null }]);
    const expected = computeEntitlements(season.mapping, AGENTS);
    expect(p.agents[0]).toMatchObject({
      oktaUserId: '00uplan1',
      action: 'create',
      homeDivision: 'Holiday Overflow',
      reactivate: false,
      grantsToRemove: [],
      grantsLeftAlone: [],
    });
    expect(p.agents[0]!.grantsToAdd).toEqual(expected.grants);
    expect(p.agents[0]!.grantsToAdd).toContainEqual({ role: 'Seasonal Agents', division: 'Returns & Exchanges' });
    // What the agent will hold for routing, as the example season maps it.
    expect(p.agents[0]).toMatchObject({
      skills: expected.skills,
      languages: [{ name: 'English', proficiency: 5 }],
      queues: ['Holiday Voice', 'Returns & Exchanges'],
    });
    // find + create (skills and languages ride on it) + bulkadd + read back + one call per queue
    expect(p.agents[0]!.apiCalls).toBe(4 + 2);
  });

  it('plans adopting an existing user: only missing grants added, foreign grants left alone, home moved, reactivated', () => {
    const p = plan([
      {
        agent: agent(2),
        groups: CHAT,
        user: { id: 'u2', active: false, homeDivision: 'Home', externalId: 'someone-else' },
        directGrants: [
          { roleId: 'id:Chat Agent', divisionId: 'id:E-Commerce' },
          { roleId: 'id:Supervisor', divisionId: 'id:Home' },
          { roleId: 'id:employee', divisionId: 'id:Home' },
        ],
      },
    ]);
    const a = p.agents[0]!;
    expect(a).toMatchObject({
      action: 'adopt',
      homeDivision: 'E-Commerce',
      moveHomeFrom: 'Home',
      reactivate: true,
      externalIdMismatch: true,
    });
    expect(a.grantsToAdd).toEqual([
      { role: 'Chat Agent', division: 'Holiday Overflow' },
      { role: 'Email Agent', division: 'E-Commerce' },
      { role: 'Seasonal Agents', division: 'E-Commerce' },
    ]);
    expect(a.grantsToRemove).toEqual([]);
    expect(a.grantsLeftAlone).toEqual([{ role: 'Supervisor', division: 'Home' }]);
    // find + reactivate + move + read + bulkadd + read back, then the routing read and PATCH, then one queue
    expect(a.apiCalls).toBe(6 + 2 + 1);
  });

  it('creates nothing for agents whose workflow exists, and flags agents no mapped group covers', () => {
    const p = plan([
      { agent: agent(3), groups: AGENTS, workflow: 'running' },
      { agent: agent(4), groups: AGENTS, workflow: 'closed' },
      { agent: agent(5), groups: [{ id: '00gX', name: 'Marketing' }], user: null },
    ]);
    expect(p.agents.map((a) => [a.action, a.apiCalls, a.grantsToAdd.length])).toEqual([
      ['already-started', 0, 0],
      ['already-ended', 0, 0],
      ['not-mapped', 0, 0],
    ]);
    expect(p.totals).toMatchObject({
      agents: 3,
      create: 0,
      alreadyStarted: 1,
      alreadyEnded: 1,
      notMapped: 1,
      apiCalls: 0,
    });
    expect(p.estimatedSeconds).toBe(0);
  });

  it('totals a wave and estimates its time at the org budget', () => {
    const agents = Array.from({ length: 300 }, (_, i) => ({ agent: agent(i), groups: AGENTS, user: null }));
    const p = plan(agents, 300);
    expect(p.totals).toMatchObject({ agents: 300, create: 300, apiCalls: 1800, grantsToAdd: 300 * 4 });
    // 1800 calls (4 for the user and grants, 2 queue joins) at the queue's pace: 300/min less 3% and 3 calls
    // = 288/min = 4.8/s → 375 s
    expect(p.estimatedSeconds).toBe(375);
    expect(waveSeconds(1200, 600)).toBe(125); // 579/min
  });
});
