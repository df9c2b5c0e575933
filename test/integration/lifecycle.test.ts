// The agent lifecycle on the real dev server, a real worker and the Genesys emulator over HTTP.
import { WorkflowHandle } from '@temporalio/client';
import { AgentPhaseKey, SeasonEndsAtKey } from '../../domain/search-attributes';
import {
  AGENT_LIFECYCLE_WORKFLOW,
  AgentLifecycleInput,
  AgentState,
  getStateQuery,
  groupsChangedSignal,
  offboardSignal,
  offboardUpdate,
  reconcileUpdate,
  retrySignal,
  setSeasonEndSignal,
  setSeasonEndUpdate,
} from '../../workflows/messages';
import { startAgentWorkflow } from '../../operations/agent-lifecycle';
import { AGENTS_GROUP, CHAT_GROUP, RETAIL_ORG, agentInput, eventually, retailMapping } from '../support/agents';
import { LifecycleEnv, startLifecycleEnv } from '../support/lifecycle-env';
import { saveHistory } from '../support/histories';

const SEASON = 'lifecycle-test';
let env: LifecycleEnv;

beforeAll(async () => {
  env = await startLifecycleEnv();
});
afterAll(async () => {
  await env?.close();
});

async function start(input: AgentLifecycleInput): Promise<WorkflowHandle> {
  const { workflowId, outcome } = await startAgentWorkflow(env.client, input);
  expect(outcome).toBe('started');
  return env.client.workflow.getHandle(workflowId);
}

async function phase(handle: WorkflowHandle, wanted: AgentState['phase']): Promise<AgentState> {
  return eventually(async () => {
    const state = await handle.query(getStateQuery);
    return state.phase === wanted ? state : undefined;
  }, `phase ${wanted}`);
}

function genesysUser(userName: string) {
  return env.emulator.inspect(RETAIL_ORG).users.find((u) => u.userName === userName);
}

function grantNames(userName: string): string[] {
  return (genesysUser(userName)?.grants ?? [])
    .filter((g) => g.roleName !== 'employee')
    .map((g) => `${g.roleName} @ ${g.divisionName}`)
    .sort();
}

describe('agent lifecycle', () => {
  it('creates the agent with home division and role × division grants, then tears down at the season end', async () => {
    const input = agentInput({ seasonId: SEASON, seasonEndsAt: new Date(Date.now() + 6_000).toISOString() });
    const handle = await start(input);
    const active = await phase(handle, 'Active');

    const user = genesysUser(input.agent.login)!;
    expect(user.id).toBe(active.genesysUserId);
    expect(user.active).toBe(true);
    expect(user.externalId).toBe(input.agent.oktaUserId);
    expect(user.homeDivision.name).toBe('Retail Stores');
    expect(grantNames(input.agent.login)).toEqual([
      'Seasonal Agents @ Holiday Overflow',
      'Seasonal Agents @ Retail Stores',
      'Voice Agent @ Retail Stores',
    ]);

    const final = await handle.result();
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('season ended');
    const gone = genesysUser(input.agent.login)!;
    expect(gone.deleted).toBe(true);
    expect(gone.active).toBe(false);
    expect(gone.grants).toEqual([]);
    expect(env.emulator.inspect(RETAIL_ORG).users.filter((u) => u.userName === input.agent.login)).toHaveLength(1);

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(AgentPhaseKey)).toBe('Deprovisioned');
    await saveHistory(handle, 'happy-path');
  });

  it('offboards early on the offboard signal', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    await phase(handle, 'Active');
    await handle.signal(offboardSignal, { reason: 'left the company' });
    const final = await handle.result();
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('left the company');
    expect(genesysUser(input.agent.login)!.deleted).toBe(true);
    await saveHistory(handle, 'offboard-signal');
  });

  it('offboards early through the update, and the caller gets the outcome', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    await phase(handle, 'Active');
    const state = await handle.executeUpdate(offboardUpdate, { args: [{ reason: 'no-show' }] });
    expect(state.phase).toBe('Deprovisioned');
    expect(state.offboardReason).toBe('no-show');
    expect(genesysUser(input.agent.login)!.deleted).toBe(true);
    await expect(
      env.client.workflow.getHandle(handle.workflowId).executeUpdate(offboardUpdate, { args: [{ reason: ' ' }] }),
    ).rejects.toThrow();
  });

  it('moves the timer when the season is extended, and again when it is shortened', async () => {
    const input = agentInput({ seasonId: SEASON, seasonEndsAt: new Date(Date.now() + 5_000).toISOString() });
    const handle = await start(input);
    await phase(handle, 'Active');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(await handle.executeUpdate(setSeasonEndUpdate, { args: [{ newEnd: later }] })).toBe(later);
    // The validator rejects a bad instant before anything is recorded.
    await expect(handle.executeUpdate(setSeasonEndUpdate, { args: [{ newEnd: 'next tuesday' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not an ISO-8601 instant/) },
    });

    await new Promise((r) => setTimeout(r, 6_000)); // past the original end
    const state = await handle.query(getStateQuery);
    expect(state.phase).toBe('Active');
    expect(state.seasonEndsAt).toBe(later);
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SeasonEndsAtKey)?.toISOString()).toBe(later);

    await handle.signal(setSeasonEndSignal, { newEnd: new Date(Date.now() + 1_000).toISOString() });
    const final = await handle.result();
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('season ended');
    await saveHistory(handle, 'extend-then-shorten');
  });

  it('applies a group change (mover), removes only its own grants, and ignores a stale one', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    const active = await phase(handle, 'Active');

    // An admin grants something by hand: not ours to remove.
    const { roles, divisions } = env.emulator.inspect(RETAIL_ORG);
    const trainer = roles.find((r) => r.name === 'Trainer')!;
    const quality = divisions.find((d) => d.name === 'Quality Assurance')!;
    env.emulator.addGrantByHand(RETAIL_ORG, active.genesysUserId!, trainer.id, quality.id);

    const moved = new Date(Date.now() + 1_000).toISOString();
    await handle.signal(groupsChangedSignal, { groups: [CHAT_GROUP], asOf: moved });
    await eventually(async () => (grantNames(input.agent.login).includes('Chat Agent @ E-Commerce') ? true : undefined), 'chat grants');
    await eventually(
      async () => ((await handle.query(getStateQuery)).history.some((h) => h.what.startsWith('groups changed')) ? true : undefined),
      'group change applied',
    );
    expect(grantNames(input.agent.login)).toEqual(['Chat Agent @ E-Commerce', 'Seasonal Agents @ E-Commerce', 'Trainer @ Quality Assurance']);
    expect(genesysUser(input.agent.login)!.homeDivision.name).toBe('E-Commerce');

    // An older list (Okta delivers out of order) changes nothing.
    await handle.signal(groupsChangedSignal, { groups: [AGENTS_GROUP], asOf: new Date(Date.parse(moved) - 60_000).toISOString() });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(grantNames(input.agent.login)).toEqual(['Chat Agent @ E-Commerce', 'Seasonal Agents @ E-Commerce', 'Trainer @ Quality Assurance']);
    const state = await handle.query(getStateQuery);
    expect(state.phase).toBe('Active');
    expect(state.history.filter((h) => h.what.startsWith('groups changed'))).toHaveLength(1);

    // Leaving every seasonal group offboards, and teardown leaves the hand-made grant's fate to Genesys's delete.
    await handle.signal(groupsChangedSignal, { groups: [], asOf: new Date(Date.parse(moved) + 1_000).toISOString() });
    const final = await handle.result();
    expect(final.offboardReason).toBe('no seasonal Okta group left');
    await saveHistory(handle, 'mover-then-leaver');
  });

  it('parks an agent whose mapping names a missing role in NeedsAttention, and completes after retry', async () => {
    const role = `Holiday Trainer ${Date.now().toString(36)}`;
    const mapping = {
      rules: [{ ...retailMapping.rules[0]!, roles: [...retailMapping.rules[0]!.roles, { role, divisions: ['Retail Stores'] }] }],
    };
    const input = agentInput({ seasonId: `${SEASON}-attention`, mapping });
    const handle = await start(input);
    const stuck = await phase(handle, 'NeedsAttention');
    expect(stuck.attentionReason).toBe(`role "${role}" not found in org ${RETAIL_ORG}`);

    // The Web UI query for stuck agents lists exactly this one.
    const query = `SeasonId = "${SEASON}-attention" AND AgentPhase = "NeedsAttention"`;
    const listed = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.length > 0 ? ids : undefined;
    }, 'visibility');
    expect(listed).toEqual([handle.workflowId]);

    env.emulator.addRole(RETAIL_ORG, role);
    await handle.signal(retrySignal);
    const active = await phase(handle, 'Active');
    expect(active.attentionReason).toBeUndefined();
    expect(grantNames(input.agent.login)).toContain(`${role} @ Retail Stores`);
    await handle.signal(offboardSignal, { reason: 'test over' });
    expect((await handle.result()).phase).toBe('Deprovisioned');
    await saveHistory(handle, 'needs-attention-then-retry');
  });

  it('tears down an agent still stuck in NeedsAttention when the season ends', async () => {
    const mapping = { rules: [{ ...retailMapping.rules[0]!, roles: [{ role: 'No Such Role', divisions: ['Retail Stores'] }] }] };
    const input = agentInput({ seasonId: `${SEASON}-stuck`, mapping, seasonEndsAt: new Date(Date.now() + 4_000).toISOString() });
    const handle = await start(input);
    await phase(handle, 'NeedsAttention');
    const final = await handle.result();
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('season ended');
    expect(genesysUser(input.agent.login)).toBeUndefined();
    await saveHistory(handle, 'stuck-until-season-end');
  });

  it('adopts an existing Genesys user instead of creating a second one', async () => {
    const first = agentInput({ seasonId: `${SEASON}-a` });
    const handleA = await start(first);
    await phase(handleA, 'Active');
    // Same person, another season of the same org: the user exists already.
    const second: AgentLifecycleInput = { ...first, seasonId: `${SEASON}-b` };
    const handleB = await start(second);
    const adopted = await phase(handleB, 'Active');
    expect(adopted.history.some((h) => h.what === 'adopted the existing Genesys user')).toBe(true);
    expect(env.emulator.inspect(RETAIL_ORG).users.filter((u) => u.userName === first.agent.login && !u.deleted)).toHaveLength(1);
    await handleB.signal(offboardSignal, { reason: 'done' });
    await handleA.signal(offboardSignal, { reason: 'done' });
    await Promise.all([handleA.result(), handleB.result()]);
  });

  it('repairs drift through the reconcile update: the hand-made grant named by the audit goes, ours stay', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    const active = await phase(handle, 'Active');
    const { roles, divisions } = env.emulator.inspect(RETAIL_ORG);
    const trainer = roles.find((r) => r.name === 'Trainer')!.id;
    const quality = divisions.find((d) => d.name === 'Quality Assurance')!.id;
    env.emulator.addGrantByHand(RETAIL_ORG, active.genesysUserId!, trainer, quality);
    const ours = active.grants[0]!;
    const result = await handle.executeUpdate(reconcileUpdate, {
      args: [{ reason: 'audit', removeGrants: [{ roleId: trainer, divisionId: quality }, { roleId: ours.roleId, divisionId: ours.divisionId }] }],
    });
    expect(result).toMatchObject({ added: 0, removed: 1 });
    expect(grantNames(input.agent.login)).not.toContain('Trainer @ Quality Assurance');
    expect(grantNames(input.agent.login)).toContain(`${ours.role} @ ${ours.division}`);
    await handle.signal(offboardSignal, { reason: 'done' });
    await handle.result();
  });

  it('a second start of the same agent starts nothing new', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    const again = await startAgentWorkflow(env.client, input);
    expect(again.outcome).toBe('already-running');
    await handle.signal(offboardSignal, { reason: 'done' });
    await handle.result();
    expect((await startAgentWorkflow(env.client, input)).outcome).toBe('already-closed');
    expect(AGENT_LIFECYCLE_WORKFLOW).toBe('agentLifecycle');
  });
});
