import { AuditAgent, AuditInput, findDrift } from '../../domain/drift';
import type { SeasonMapping } from '../../domain/mapping';
import type { AgentState, DeprovisionPolicy } from '../../workflows/messages';

const mapping: SeasonMapping = {
  rules: [
    { group: 'Agents', homeDivision: 'Overflow', roles: [{ role: 'Seasonal', divisions: ['Overflow'] }] },
    { group: 'Chat', roles: [{ role: 'Chat', divisions: ['Web'] }] },
  ],
};
const catalog = {
  roles: [
    { id: 'r-seasonal', name: 'Seasonal' },
    { id: 'r-chat', name: 'Chat' },
    { id: 'r-trainer', name: 'Trainer' },
    { id: 'r-employee', name: 'employee' },
  ],
  divisions: [
    { id: 'd-overflow', name: 'Overflow' },
    { id: 'd-web', name: 'Web' },
    { id: 'd-home', name: 'Home' },
  ],
  defaultRoleIds: ['r-employee'],
};
const resolved = {
  roles: { Seasonal: 'r-seasonal', Chat: 'r-chat' },
  divisions: { Overflow: 'd-overflow', Web: 'd-web' },
};
const policy: DeprovisionPolicy = {
  deactivate: true,
  removeGrants: true,
  deleteAfterMs: 0,
  removeFromOktaGroups: false,
  deactivateOktaUser: false,
};
const STARTED = new Date('2026-11-20T10:00:00Z');
const seasonalGrant = { role: 'Seasonal', division: 'Overflow', roleId: 'r-seasonal', divisionId: 'd-overflow' };

function state(overrides: Partial<AgentState> = {}): AgentState {
  return {
    phase: 'Active',
    genesysUserId: 'u1',
    homeDivision: 'Overflow',
    grants: [seasonalGrant],
    seasonEndsAt: '2027-01-01T00:00:00Z',
    conflicts: [],
    history: [],
    ...overrides,
  };
}

function active(overrides: Partial<AuditAgent> = {}): AuditAgent {
  return {
    oktaUserId: '00u1',
    workflow: { status: 'RUNNING', startedAt: STARTED, state: state() },
    users: [{ id: 'u1', active: true }],
    grants: [
      { roleId: 'r-seasonal', divisionId: 'd-overflow', madeAt: '2026-11-20T10:00:01Z' },
      { roleId: 'r-employee', divisionId: 'd-home', madeAt: '2026-11-20T10:00:01Z' },
    ],
    startable: true,
    oktaGroups: [{ id: '00gA', name: 'Agents' }],
    ...overrides,
  };
}

function drift(agents: AuditAgent[], p: DeprovisionPolicy = policy) {
  const input: AuditInput = { mapping, policy: p, catalog, resolved, agents };
  return findDrift(input).map((d) => `${d.oktaUserId} ${d.kind} ${d.fix}${d.info ? ' (info)' : ''}: ${d.detail}`);
}

describe('findDrift', () => {
  it('finds nothing when Genesys holds exactly what the workflow gave (the default role aside)', () => {
    expect(drift([active()])).toEqual([]);
  });

  it('tells a grant added by hand during the season from one the adopted user had before', () => {
    const agent = active({
      grants: [
        { roleId: 'r-seasonal', divisionId: 'd-overflow' },
        { roleId: 'r-trainer', divisionId: 'd-web', madeAt: '2026-12-01T09:00:00Z' },
        { roleId: 'r-trainer', divisionId: 'd-home', madeAt: '2025-03-01T09:00:00Z' },
      ],
    });
    expect(drift([agent])).toEqual([
      '00u1 grant-added-by-hand reconcile: not given by the mapping: Trainer @ Web',
      '00u1 grant-pre-existing none (info): held before the season started (left alone): Trainer @ Home',
    ]);
    const [byHand] = findDrift({ mapping, policy, catalog, resolved, agents: [agent] });
    expect(byHand!.grants).toEqual([{ roleId: 'r-trainer', divisionId: 'd-web' }]);
  });

  it('finds grants removed by hand, and a mapping that changed since the workflow started', () => {
    const agent = active({
      grants: [],
      oktaGroups: [
        { id: '00gA', name: 'Agents' },
        { id: '00gC', name: 'Chat' },
      ],
    });
    expect(drift([agent])).toEqual([
      '00u1 differs-from-mapping none (info): the workflow holds the mapping as it was at start; the season file now gives: Chat @ Web, Seasonal @ Overflow',
      '00u1 grant-missing reconcile: removed outside the workflow: Seasonal @ Overflow',
    ]);
  });

  it('reports a user deleted or deactivated behind an Active workflow', () => {
    expect(drift([active({ users: [] })])).toEqual([
      '00u1 user-missing none: Genesys user u1 no longer exists, but the workflow is Active',
    ]);
    expect(drift([active({ users: [{ id: 'u1', active: false }] })])).toEqual([
      '00u1 user-inactive none: Genesys user u1 was deactivated outside the workflow',
    ]);
  });

  it('reports users still active after offboarding or after a failed workflow, unless the policy keeps them', () => {
    const offboarded = active({
      workflow: { status: 'COMPLETED', startedAt: STARTED, state: state({ phase: 'Deprovisioned' }) },
    });
    const failed = active({ oktaUserId: '00u2', workflow: { status: 'TERMINATED', startedAt: STARTED } });
    expect(drift([offboarded, failed])).toEqual([
      '00u1 active-after-offboarding none: Genesys user u1 is active although the agent was offboarded',
      '00u2 active-after-failure none: Genesys user u1 is active; its workflow ended terminated',
    ]);
    const keep: DeprovisionPolicy = { ...policy, deactivate: false, deleteAfterMs: null };
    expect(drift([offboarded], keep)).toEqual([]);
  });

  it('finds season members without a workflow: with a Genesys user (adopt) or never started', () => {
    const withUser: AuditAgent = {
      oktaUserId: '00u3',
      users: [{ id: 'u3', active: true, externalId: '00u3' }],
      startable: true,
    };
    const notStarted: AuditAgent = { oktaUserId: '00u4', users: [], startable: true };
    const formerMember: AuditAgent = { oktaUserId: '00u5', users: [{ id: 'u5', active: true }], startable: false };
    expect(drift([withUser, notStarted, formerMember])).toEqual([
      "00u3 user-without-workflow start: Genesys user u3 carries this agent's Okta id but no workflow manages it",
      '00u4 not-started start: in a season Okta group, but never started (a missed Okta event?); no Genesys user carries its Okta id in search yet',
      "00u5 user-without-workflow none: Genesys user u5 carries this agent's Okta id but no workflow manages it",
    ]);
  });

  it('leaves agents in flux alone (provisioning, needing attention, offboarding)', () => {
    expect(
      drift([
        active({
          workflow: { status: 'RUNNING', startedAt: STARTED, state: state({ phase: 'NeedsAttention' }) },
          grants: [],
        }),
      ]),
    ).toEqual([]);
  });
});
