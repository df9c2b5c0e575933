// One person, several seasons of one org, on the real dev server with the Genesys emulator over HTTP: one owner
// of the person's Genesys user, so a season's end never locks out an agent another season still needs. Every
// step is checked against the emulator's own state: the same user id throughout, grants = the union of the live
// seasons, deleted only after the last one.
import type { WorkflowHandle } from '@temporalio/client';
import type { DeprovisionPolicy } from '../../domain/agent';
import type { SeasonMapping } from '../../domain/mapping';
import type { SeasonShape } from '../../domain/season';
import { enrolAgent, seasonalAgentInput, signalWithEnrol } from '../../operations/seasonal-agent';
import { countAgents, phaseClause } from '../../operations/visibility';
import {
  agentStateQuery,
  moveSeasonEndUpdate,
  SeasonalAgentState,
  seasonOffboardSignal,
} from '../../workflows/agent/contract';
import { AGENTS_GROUP, eventually, RETAIL_ORG, retailMapping } from '../support/agents';
import { LifecycleEnv, startLifecycleEnv } from '../support/lifecycle-env';

const RETURNS_GROUP = { id: '00greturnspeak0001', name: 'Retail-Returns-Peak' };
const returnsMapping: SeasonMapping = {
  rules: [
    {
      group: 'Retail-Returns-Peak',
      homeDivision: 'Returns & Exchanges',
      priority: 20,
      roles: [
        { role: 'Seasonal Agents', divisions: ['Returns & Exchanges'] },
        { role: 'Email Agent', divisions: ['E-Commerce'] },
      ],
    },
  ],
};
// No Okta in this stack: the Okta side of a season's end has its own test (okta-cleanup).
const atOnce: DeprovisionPolicy = {
  deactivate: true,
  removeGrants: true,
  deleteAfterMs: 0,
  removeFromOktaGroups: false,
  deactivateOktaUser: false,
};
const HOLIDAY_GRANTS = [
  'Seasonal Agents @ Holiday Overflow',
  'Seasonal Agents @ Retail Stores',
  'Voice Agent @ Retail Stores',
];
const RETURNS_GRANTS = ['Email Agent @ E-Commerce', 'Seasonal Agents @ Returns & Exchanges'];

let env: LifecycleEnv;
let counter = 0;

beforeAll(async () => {
  env = await startLifecycleEnv({ namespacePrefix: 'overlap' });
});
afterAll(async () => {
  await env?.close();
});

function seasons(tag: string, endsInMs: { holiday: number; returns: number }, holidayPolicy = atOnce) {
  const holiday: SeasonShape = {
    id: `holiday-${tag}`,
    orgId: RETAIL_ORG,
    endsAt: new Date(Date.now() + endsInMs.holiday).toISOString(),
    mapping: retailMapping,
    policy: holidayPolicy,
  };
  const returns: SeasonShape = {
    id: `returns-${tag}`,
    orgId: RETAIL_ORG,
    endsAt: new Date(Date.now() + endsInMs.returns).toISOString(),
    mapping: returnsMapping,
    policy: atOnce,
  };
  return { holiday, returns };
}

function person() {
  counter += 1;
  const suffix = `${Date.now().toString(36)}${counter}`;
  const login = `overlap.${suffix}@retail.example`;
  return { oktaUserId: `00uovl${suffix}`, login, email: login, givenName: 'Olive', familyName: `Overlap${counter}` };
}

function user(login: string) {
  const users = env.emulator.inspect(RETAIL_ORG).users.filter((u) => u.userName === login);
  expect(users).toHaveLength(1);
  return users[0]!;
}

function grantNames(login: string): string[] {
  return user(login)
    .grants.filter((g) => g.roleName !== 'employee')
    .map((g) => `${g.roleName} @ ${g.divisionName}`)
    .sort();
}

async function until(
  handle: WorkflowHandle,
  pred: (s: SeasonalAgentState) => boolean,
  what: string,
): Promise<SeasonalAgentState> {
  return eventually(async () => {
    const s = await handle.query(agentStateQuery);
    return pred(s) ? s : undefined;
  }, what);
}

const seasonPhase = (s: SeasonalAgentState, seasonId: string) =>
  s.enrolments.find((e) => e.seasonId === seasonId)?.phase;

describe('one person in two overlapping seasons', () => {
  it("season 1 ends for them while season 2 goes on: the same user keeps season 2's grants; deleted after season 2", async () => {
    const { holiday, returns } = seasons('a', { holiday: 600_000, returns: 600_000 });
    const agent = person();
    const first = await enrolAgent(
      env.client,
      seasonalAgentInput(holiday, agent, [AGENTS_GROUP], new Date().toISOString()),
    );
    expect(first.outcome).toBe('started');
    const handle = env.client.workflow.getHandle(first.workflowId);
    const active = await until(handle, (s) => s.phase === 'Active', 'Active in season 1');
    const userId = active.genesysUserId;
    expect(grantNames(agent.login)).toEqual(HOLIDAY_GRANTS);
    expect(user(agent.login).homeDivision.name).toBe('Retail Stores');

    // They also join season 2's group while season 1 still runs: the same workflow, the same user.
    const second = await enrolAgent(
      env.client,
      seasonalAgentInput(returns, agent, [RETURNS_GROUP], new Date().toISOString()),
    );
    expect(second).toEqual({ workflowId: first.workflowId, outcome: 'enrolled' });
    await until(handle, (s) => s.phase === 'Active' && s.grants.length === 5, 'both seasons granted');
    expect(user(agent.login).id).toBe(userId);
    expect(grantNames(agent.login)).toEqual([...HOLIDAY_GRANTS, ...RETURNS_GRANTS].sort());
    expect(user(agent.login).homeDivision.name).toBe('Returns & Exchanges');
    await eventually(
      async () => ((await countAgents(env.client, returns, phaseClause(returns, 'Active'))) === 1 ? true : undefined),
      'visible as Active in season 2',
    );

    // Season 1 ends for them (end-now): season 2 still needs the user.
    await handle.signal(seasonOffboardSignal, { seasonId: holiday.id, reason: 'season ended early (end-now)' });
    const after = await until(handle, (s) => seasonPhase(s, holiday.id) === 'Deprovisioned', 'season 1 over');
    expect(after.phase).toBe('Active');
    expect(seasonPhase(after, returns.id)).toBe('Active');
    expect(user(agent.login)).toMatchObject({ id: userId, active: true, deleted: false });
    expect(grantNames(agent.login)).toEqual(RETURNS_GRANTS);
    await eventually(
      async () =>
        (await countAgents(env.client, holiday, phaseClause(holiday, 'Deprovisioned'))) === 1 ? true : undefined,
      'visible as Deprovisioned in season 1',
    );

    // Season 2 ends too: now the user goes.
    await handle.signal(seasonOffboardSignal, { seasonId: returns.id, reason: 'season ended early (end-now)' });
    const final = (await handle.result()) as SeasonalAgentState;
    expect(final.phase).toBe('Deprovisioned');
    expect(user(agent.login)).toMatchObject({ id: userId, active: false, deleted: true });
  });

  it("hired into season 2 while season 1's teardown waits to delete: the deactivated user is kept, reactivated and granted", async () => {
    const grace: DeprovisionPolicy = { ...atOnce, deleteAfterMs: 8_000 };
    const { holiday, returns } = seasons('b', { holiday: 600_000, returns: 600_000 }, grace);
    const agent = person();
    const { workflowId } = await enrolAgent(
      env.client,
      seasonalAgentInput(holiday, agent, [AGENTS_GROUP], new Date().toISOString()),
    );
    const handle = env.client.workflow.getHandle(workflowId);
    const userId = (await until(handle, (s) => s.phase === 'Active', 'Active in season 1')).genesysUserId;

    await handle.signal(seasonOffboardSignal, { seasonId: holiday.id, reason: 'season ended early (end-now)' });
    await until(handle, (s) => s.phase === 'Deprovisioning', 'the grace period');
    // The phase shows as teardown begins; the deactivation follows.
    await eventually(
      async () => (user(agent.login).active || grantNames(agent.login).length > 0 ? undefined : true),
      'the user deactivated and stripped',
    );
    expect(user(agent.login)).toMatchObject({ id: userId, active: false, deleted: false });
    expect(grantNames(agent.login)).toEqual([]);

    // The hook of season 2's group arrives now.
    const hook = await signalWithEnrol(
      env.client,
      seasonalAgentInput(returns, agent, [RETURNS_GROUP], new Date().toISOString()),
    );
    expect(hook).toEqual({ workflowId, outcome: 'signalled' });
    const back = await until(
      handle,
      (s) => s.phase === 'Active' && seasonPhase(s, returns.id) === 'Active',
      'Active in season 2',
    );
    expect(back.genesysUserId).toBe(userId);
    expect(seasonPhase(back, holiday.id)).toBe('Deprovisioned');
    expect(user(agent.login)).toMatchObject({ id: userId, active: true, deleted: false });
    expect(grantNames(agent.login)).toEqual(RETURNS_GRANTS);

    // Past the abandoned grace period: nothing deleted the user season 2 needs.
    await new Promise((r) => setTimeout(r, 9_000));
    expect(user(agent.login)).toMatchObject({ id: userId, active: true, deleted: false });
    expect((await handle.query(agentStateQuery)).phase).toBe('Active');
    await handle.signal(seasonOffboardSignal, { reason: 'test over' });
    await handle.result();
  });

  it('two seasons whose ends move independently: each end takes only its own grants, the last one the user', async () => {
    const { holiday, returns } = seasons('c', { holiday: 600_000, returns: 600_000 });
    const agent = person();
    const { workflowId } = await enrolAgent(
      env.client,
      seasonalAgentInput(holiday, agent, [AGENTS_GROUP], new Date().toISOString()),
    );
    await enrolAgent(env.client, seasonalAgentInput(returns, agent, [RETURNS_GROUP], new Date().toISOString()));
    const handle = env.client.workflow.getHandle(workflowId);
    const userId = (await until(handle, (s) => s.phase === 'Active' && s.grants.length === 5, 'both seasons'))
      .genesysUserId;

    // Season 2 is cut short; season 1 is extended (from 10 minutes to ~14 s from now, still after season 2).
    const returnsEnd = new Date(Date.now() + 5_000).toISOString();
    const holidayEnd = new Date(Date.now() + 14_000).toISOString();
    expect(
      await handle.executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId: returns.id, newEnd: returnsEnd }] }),
    ).toBe(returnsEnd);
    expect(
      await handle.executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId: holiday.id, newEnd: holidayEnd }] }),
    ).toBe(holidayEnd);
    const moved = await handle.query(agentStateQuery);
    expect(moved.enrolments.map((e) => [e.seasonId, e.seasonEndsAt])).toEqual([
      [holiday.id, holidayEnd],
      [returns.id, returnsEnd],
    ]);

    const afterReturns = await until(handle, (s) => seasonPhase(s, returns.id) === 'Deprovisioned', 'season 2 ended');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(returnsEnd));
    expect(afterReturns.phase).toBe('Active');
    expect(user(agent.login)).toMatchObject({ id: userId, active: true, deleted: false });
    expect(grantNames(agent.login)).toEqual(HOLIDAY_GRANTS);
    expect(user(agent.login).homeDivision.name).toBe('Retail Stores');

    const final = (await handle.result()) as SeasonalAgentState;
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(holidayEnd));
    expect(final.enrolments.map((e) => [e.seasonId, e.phase, e.endReason])).toEqual([
      [holiday.id, 'Deprovisioned', 'season ended'],
      [returns.id, 'Deprovisioned', 'season ended'],
    ]);
    expect(user(agent.login)).toMatchObject({ id: userId, deleted: true });
  });
});
