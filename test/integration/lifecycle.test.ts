// The seasonal agent workflow on the real dev server, a real worker and the Genesys emulator over HTTP: the
// acceptance layer of what test/unit/seasonal-agent-workflow.test.ts pins in skipped time.
import { WorkflowHandle } from '@temporalio/client';
import { AgentPhaseKey, SeasonEndsAtKey, SeasonIdsKey, SeasonPhasesKey } from '../../domain/search-attributes';
import type { SeasonMapping } from '../../domain/mapping';
import {
  agentRetrySignal,
  agentStateQuery,
  moveSeasonEndSignal,
  moveSeasonEndUpdate,
  repairUpdate,
  SEASONAL_AGENT_WORKFLOW,
  SeasonalAgentInput,
  SeasonalAgentState,
  seasonalAgentWorkflowId,
  seasonGroupsChangedSignal,
  seasonOffboardSignal,
  seasonOffboardUpdate,
} from '../../workflows/agent/contract';
import type { AgentPhase } from '../../workflows/messages';
import { enrolAgent } from '../../operations/seasonal-agent';
import {
  AGENTS_GROUP,
  CHAT_GROUP,
  RETAIL_ORG,
  agentInput,
  eventually,
  retailMapping,
  teardownAtOnce,
} from '../support/agents';
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

async function start(input: SeasonalAgentInput): Promise<WorkflowHandle> {
  const { workflowId, outcome } = await enrolAgent(env.client, input);
  expect(outcome).toBe('started');
  expect(workflowId).toBe(seasonalAgentWorkflowId(RETAIL_ORG, input.agent.oktaUserId));
  return env.client.workflow.getHandle(workflowId);
}

async function until(
  handle: WorkflowHandle,
  pred: (s: SeasonalAgentState) => boolean,
  what: string,
): Promise<SeasonalAgentState> {
  return eventually(async () => {
    const state = await handle.query(agentStateQuery);
    return pred(state) ? state : undefined;
  }, what);
}

async function phase(handle: WorkflowHandle, wanted: AgentPhase): Promise<SeasonalAgentState> {
  return until(handle, (s) => s.phase === wanted, `phase ${wanted}`);
}

async function result(handle: WorkflowHandle): Promise<SeasonalAgentState> {
  return (await handle.result()) as SeasonalAgentState;
}

function enrolment(state: SeasonalAgentState, seasonId: string) {
  return state.enrolments.find((e) => e.seasonId === seasonId);
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

describe('seasonal agent lifecycle', () => {
  it('creates the agent with home division and role × division grants, then tears down at the season end', async () => {
    const input = agentInput({ seasonId: SEASON, seasonEndsAt: new Date(Date.now() + 6_000).toISOString() });
    const handle = await start(input);
    const active = await phase(handle, 'Active');
    expect(enrolment(active, SEASON)?.phase).toBe('Active');

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

    const final = await result(handle);
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('season ended');
    expect(final.enrolments).toEqual([
      { seasonId: SEASON, seasonEndsAt: input.enrol.seasonEndsAt, phase: 'Deprovisioned', endReason: 'season ended' },
    ]);
    const gone = genesysUser(input.agent.login)!;
    expect(gone.deleted).toBe(true);
    expect(gone.active).toBe(false);
    expect(gone.grants).toEqual([]);
    expect(env.emulator.inspect(RETAIL_ORG).users.filter((u) => u.userName === input.agent.login)).toHaveLength(1);

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(AgentPhaseKey)).toBe('Deprovisioned');
    expect(description.typedSearchAttributes.get(SeasonIdsKey)).toEqual([SEASON]);
    expect(description.typedSearchAttributes.get(SeasonPhasesKey)).toEqual([`${SEASON}:Deprovisioned`]);
    await saveHistory(handle, 'season-end');
  });

  it('offboards early on the offboard signal', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    await phase(handle, 'Active');
    await handle.signal(seasonOffboardSignal, { reason: 'left the company' });
    const final = await result(handle);
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('left the company');
    expect(enrolment(final, SEASON)).toMatchObject({ phase: 'Deprovisioned', endReason: 'left the company' });
    expect(genesysUser(input.agent.login)!.deleted).toBe(true);
    await saveHistory(handle, 'offboard-signal');
  });

  it('offboards early through the update, and the caller gets the outcome', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    await phase(handle, 'Active');
    const state = await handle.executeUpdate(seasonOffboardUpdate, { args: [{ reason: 'no-show', seasonId: SEASON }] });
    expect(state.phase).toBe('Deprovisioned');
    expect(state.offboardReason).toBe('no-show');
    expect(genesysUser(input.agent.login)!.deleted).toBe(true);
    await expect(
      env.client.workflow.getHandle(handle.workflowId).executeUpdate(seasonOffboardUpdate, { args: [{ reason: ' ' }] }),
    ).rejects.toThrow();
  });

  it('moves the timer when the season is extended, and again when it is shortened', async () => {
    const input = agentInput({ seasonId: SEASON, seasonEndsAt: new Date(Date.now() + 5_000).toISOString() });
    const handle = await start(input);
    await phase(handle, 'Active');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(await handle.executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId: SEASON, newEnd: later }] })).toBe(
      later,
    );
    // The validator rejects a bad instant, or a season the person is not enrolled in, before anything is recorded.
    await expect(
      handle.executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId: SEASON, newEnd: 'next tuesday' }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not an ISO-8601 instant/) },
    });
    await expect(
      handle.executeUpdate(moveSeasonEndUpdate, { args: [{ seasonId: `${SEASON}-other`, newEnd: later }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/not enrolled in season/) },
    });

    await new Promise((r) => setTimeout(r, 6_000)); // past the original end
    const state = await handle.query(agentStateQuery);
    expect(state.phase).toBe('Active');
    expect(enrolment(state, SEASON)).toMatchObject({ seasonEndsAt: later, phase: 'Active' });
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(SeasonEndsAtKey)?.toISOString()).toBe(later);

    await handle.signal(moveSeasonEndSignal, { seasonId: SEASON, newEnd: new Date(Date.now() + 1_000).toISOString() });
    const final = await result(handle);
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
    await handle.signal(seasonGroupsChangedSignal, { seasonId: SEASON, groups: [CHAT_GROUP], asOf: moved });
    // The workflow's own grants change only once Genesys has added the new ones and removed the old ones.
    const chatOnly = ['Chat Agent @ E-Commerce', 'Seasonal Agents @ E-Commerce'];
    const moverState = await until(
      handle,
      (s) => JSON.stringify(s.grants.map((g) => `${g.role} @ ${g.division}`).sort()) === JSON.stringify(chatOnly),
      'group change applied',
    );
    expect(moverState.phase).toBe('Active');
    expect(moverState.history.some((h) => h.what === `groups changed for season ${SEASON}`)).toBe(true);
    expect(grantNames(input.agent.login)).toEqual([
      'Chat Agent @ E-Commerce',
      'Seasonal Agents @ E-Commerce',
      'Trainer @ Quality Assurance',
    ]);
    expect(genesysUser(input.agent.login)!.homeDivision.name).toBe('E-Commerce');

    // An older list (Okta delivers out of order) changes nothing.
    await handle.signal(seasonGroupsChangedSignal, {
      seasonId: SEASON,
      groups: [AGENTS_GROUP],
      asOf: new Date(Date.parse(moved) - 60_000).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(grantNames(input.agent.login)).toEqual([
      'Chat Agent @ E-Commerce',
      'Seasonal Agents @ E-Commerce',
      'Trainer @ Quality Assurance',
    ]);
    const state = await handle.query(agentStateQuery);
    expect(state.phase).toBe('Active');
    expect(state.history.filter((h) => h.what.startsWith('groups changed'))).toHaveLength(1);

    // Leaving every seasonal group offboards, and teardown leaves the hand-made grant's fate to Genesys's delete.
    await handle.signal(seasonGroupsChangedSignal, {
      seasonId: SEASON,
      groups: [],
      asOf: new Date(Date.parse(moved) + 1_000).toISOString(),
    });
    const final = await result(handle);
    expect(final.offboardReason).toBe('no seasonal Okta group left');
    await saveHistory(handle, 'mover-then-leaver');
  });

  it('parks an agent whose mapping names a missing role in NeedsAttention, and completes after retry', async () => {
    const role = `Holiday Trainer ${Date.now().toString(36)}`;
    const mapping = {
      rules: [
        {
          ...retailMapping.rules[0]!,
          roles: [...retailMapping.rules[0]!.roles, { role, divisions: ['Retail Stores'] }],
        },
      ],
    };
    const season = `${SEASON}-attention`;
    const input = agentInput({ seasonId: season, mapping });
    const handle = await start(input);
    const stuck = await phase(handle, 'NeedsAttention');
    expect(stuck.attentionReason).toBe(`role "${role}" not found in org ${RETAIL_ORG}`);
    expect(enrolment(stuck, season)?.phase).toBe('NeedsAttention');

    // The Web UI query for the season's stuck agents lists exactly this one.
    const query = `SeasonIds = "${season}" AND SeasonPhases = "${season}:NeedsAttention" AND AgentPhase = "NeedsAttention"`;
    const listed = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.length > 0 ? ids : undefined;
    }, 'visibility');
    expect(listed).toEqual([handle.workflowId]);

    env.emulator.addRole(RETAIL_ORG, role);
    await handle.signal(agentRetrySignal);
    const active = await phase(handle, 'Active');
    expect(active.attentionReason).toBeUndefined();
    expect(grantNames(input.agent.login)).toContain(`${role} @ Retail Stores`);
    await handle.signal(seasonOffboardSignal, { reason: 'test over' });
    expect((await result(handle)).phase).toBe('Deprovisioned');
    await saveHistory(handle, 'needs-attention-then-retry');
  });

  it('tears down an agent still stuck in NeedsAttention when the season ends', async () => {
    const mapping = {
      rules: [{ ...retailMapping.rules[0]!, roles: [{ role: 'No Such Role', divisions: ['Retail Stores'] }] }],
    };
    const input = agentInput({
      seasonId: `${SEASON}-stuck`,
      mapping,
      seasonEndsAt: new Date(Date.now() + 4_000).toISOString(),
    });
    const handle = await start(input);
    await phase(handle, 'NeedsAttention');
    const final = await result(handle);
    expect(final.phase).toBe('Deprovisioned');
    expect(final.offboardReason).toBe('season ended');
    expect(genesysUser(input.agent.login)).toBeUndefined();
    await saveHistory(handle, 'stuck-until-season-end');
  });

  it('one person in two seasons: the first ends by its timer and takes only what the other does not give; the user stays', async () => {
    // Season 2 maps the chat group to Chat Agent, and also to Voice Agent @ Retail Stores, which season 1 gives too.
    const chatAndVoice: SeasonMapping = {
      rules: [
        {
          group: CHAT_GROUP.name,
          homeDivision: 'E-Commerce',
          priority: 10,
          roles: [
            { role: 'Chat Agent', divisions: ['E-Commerce'] },
            { role: 'Voice Agent', divisions: ['Retail Stores'] },
          ],
        },
      ],
    };
    const first = `${SEASON}-two-a`;
    const second = `${SEASON}-two-b`;
    const one = agentInput({ seasonId: first, seasonEndsAt: new Date(Date.now() + 12_000).toISOString() });
    const handle = await start(one);
    const userId = (await phase(handle, 'Active')).genesysUserId;

    const two = agentInput({ seasonId: second, agent: one.agent, groups: [CHAT_GROUP], mapping: chatAndVoice });
    expect(await enrolAgent(env.client, two)).toEqual({ workflowId: handle.workflowId, outcome: 'enrolled' });
    const both = await until(handle, (s) => s.phase === 'Active' && s.grants.length === 4, 'both seasons granted');
    expect(both.genesysUserId).toBe(userId);
    expect(grantNames(one.agent.login)).toEqual([
      'Chat Agent @ E-Commerce',
      'Seasonal Agents @ Holiday Overflow',
      'Seasonal Agents @ Retail Stores',
      'Voice Agent @ Retail Stores',
    ]);
    // The chat rule's priority picks the home division across seasons.
    expect(genesysUser(one.agent.login)!.homeDivision.name).toBe('E-Commerce');

    const after = await until(handle, (s) => enrolment(s, first)?.phase === 'Deprovisioned', 'season 1 over');
    expect(after.phase).toBe('Active');
    expect(enrolment(after, first)?.endReason).toBe('season ended');
    expect(enrolment(after, second)?.phase).toBe('Active');
    expect(after.offboardReason).toBeUndefined();
    expect(genesysUser(one.agent.login)).toMatchObject({ id: userId, active: true, deleted: false });
    expect(grantNames(one.agent.login)).toEqual(['Chat Agent @ E-Commerce', 'Voice Agent @ Retail Stores']);
    await eventually(async () => {
      const phases = (await handle.describe()).typedSearchAttributes.get(SeasonPhasesKey);
      return JSON.stringify(phases) === JSON.stringify([`${first}:Deprovisioned`, `${second}:Active`])
        ? true
        : undefined;
    }, 'season phases in visibility');

    await handle.signal(seasonOffboardSignal, { seasonId: second, reason: 'left the company' });
    const final = await result(handle);
    expect(final.phase).toBe('Deprovisioned');
    expect(final.enrolments.map((e) => [e.seasonId, e.phase, e.endReason])).toEqual([
      [first, 'Deprovisioned', 'season ended'],
      [second, 'Deprovisioned', 'left the company'],
    ]);
    // The person's reason names the season that ends now, not the one that ended before.
    expect(final.offboardReason).toBe('left the company');
    expect(genesysUser(one.agent.login)).toMatchObject({ id: userId, active: false, deleted: true });
    await saveHistory(handle, 'two-seasons-one-ends');
  });

  it('adopts the existing Genesys user of a returning agent instead of creating a second one', async () => {
    // Last season kept its users deactivated (never deleted); the person returns for this season.
    const keepUsers = { ...teardownAtOnce, deleteAfterMs: null };
    const last = agentInput({ seasonId: `${SEASON}-last-year`, policy: keepUsers });
    const lastRun = await start(last);
    const userId = (await phase(lastRun, 'Active')).genesysUserId;
    await lastRun.signal(seasonOffboardSignal, { reason: 'season ended early (end-now)' });
    await result(lastRun);
    expect(genesysUser(last.agent.login)).toMatchObject({ id: userId, active: false, deleted: false });
    expect(grantNames(last.agent.login)).toEqual([]);

    // The same person, another season of the same org: a new run of the same workflow id; the user exists already.
    const handle = await start(
      agentInput({ seasonId: `${SEASON}-this-year`, agent: last.agent, groups: [CHAT_GROUP] }),
    );
    const adopted = await phase(handle, 'Active');
    expect(adopted.history.some((h) => h.what === 'adopted the existing Genesys user')).toBe(true);
    expect(adopted.genesysUserId).toBe(userId);
    expect(
      env.emulator.inspect(RETAIL_ORG).users.filter((u) => u.userName === last.agent.login && !u.deleted),
    ).toHaveLength(1);
    expect(genesysUser(last.agent.login)).toMatchObject({
      active: true,
      homeDivision: expect.objectContaining({ name: 'E-Commerce' }),
    });
    expect(grantNames(last.agent.login)).toEqual(['Chat Agent @ E-Commerce', 'Seasonal Agents @ E-Commerce']);
    await handle.signal(seasonOffboardSignal, { reason: 'done' });
    await handle.result();
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
    const repaired = await handle.executeUpdate(repairUpdate, {
      args: [
        {
          reason: 'audit',
          removeGrants: [
            { roleId: trainer, divisionId: quality },
            { roleId: ours.roleId, divisionId: ours.divisionId },
          ],
        },
      ],
    });
    expect(repaired).toMatchObject({ added: 0, removed: 1 });
    expect(grantNames(input.agent.login)).not.toContain('Trainer @ Quality Assurance');
    expect(grantNames(input.agent.login)).toContain(`${ours.role} @ ${ours.division}`);
    await handle.signal(seasonOffboardSignal, { reason: 'done' });
    await handle.result();
  });

  it('a second start of the same agent starts nothing new, and a season that ended stays ended', async () => {
    const input = agentInput({ seasonId: SEASON });
    const handle = await start(input);
    const again = await enrolAgent(env.client, input);
    expect(again).toEqual({ workflowId: handle.workflowId, outcome: 'already-enrolled' });
    await handle.signal(seasonOffboardSignal, { reason: 'done' });
    await handle.result();
    expect((await enrolAgent(env.client, input)).outcome).toBe('already-ended');
    const described = await handle.describe();
    expect(described.type).toBe('seasonalAgent');
    expect(SEASONAL_AGENT_WORKFLOW).toBe('seasonalAgent');
    expect(described.status.name).toBe('COMPLETED');
  });
});
