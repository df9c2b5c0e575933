// Day-one ready agents on the real dev server, a real worker and the Genesys emulator over HTTP: routing skills
// and languages ride on the SCIM create, queues are joined after it; a mover changes both; teardown takes a kept
// user out of its queues; a skill or queue deleted from the org mid-season parks the agent until it is back.
import { WorkflowHandle } from '@temporalio/client';
import type { GroupRule, SeasonMapping } from '../../domain/mapping';
import {
  agentRetrySignal,
  agentStateQuery,
  SeasonalAgentInput,
  SeasonalAgentState,
  seasonGroupsChangedSignal,
  seasonOffboardSignal,
} from '../../workflows/agent/contract';
import { enrolAgent } from '../../operations/seasonal-agent';
import { GenesysClient } from '../../integrations/genesys';
import { AGENTS_GROUP, CHAT_GROUP, RETAIL_ORG, agentInput, eventually, retailMapping } from '../support/agents';
import { LifecycleEnv, startLifecycleEnv } from '../support/lifecycle-env';
import { saveHistory } from '../support/histories';

let env: LifecycleEnv;
let n = 0;

beforeAll(async () => {
  env = await startLifecycleEnv();
});
afterAll(async () => {
  await env?.close();
});

/** Skills and queues of this test's own (so deleting one mid-season touches no other test). */
function catalogue() {
  const tag = `${Date.now().toString(36)}${++n}`;
  const names = {
    voiceSkill: `Store Orders ${tag}`,
    chatSkill: `Online Orders ${tag}`,
    voiceQueue: `Holiday Voice ${tag}`,
    returnsQueue: `Returns ${tag}`,
    chatQueue: `Holiday Chat ${tag}`,
  };
  env.emulator.addRouting(RETAIL_ORG, 'skill', names.voiceSkill);
  env.emulator.addRouting(RETAIL_ORG, 'skill', names.chatSkill);
  for (const q of [names.voiceQueue, names.returnsQueue, names.chatQueue])
    env.emulator.addRouting(RETAIL_ORG, 'queue', q);
  const rules: GroupRule[] = [
    {
      ...retailMapping.rules[0]!,
      skills: [{ name: names.voiceSkill, proficiency: 2 }],
      languages: [{ name: 'English', proficiency: 5 }],
      queues: [names.voiceQueue, names.returnsQueue],
    },
    {
      ...retailMapping.rules[1]!,
      skills: [{ name: names.chatSkill, proficiency: 3 }],
      languages: [
        { name: 'English', proficiency: 4 },
        { name: 'Spanish', proficiency: 3 },
      ],
      queues: [names.chatQueue],
    },
  ];
  const mapping: SeasonMapping = { rules };
  return { names, mapping };
}

async function start(input: SeasonalAgentInput): Promise<WorkflowHandle> {
  const { workflowId, outcome } = await enrolAgent(env.client, input);
  expect(outcome).toBe('started');
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

function user(login: string) {
  return env.emulator.inspect(RETAIL_ORG).users.find((u) => u.userName === login && !u.deleted);
}

function userById(id: string) {
  return env.emulator.inspect(RETAIL_ORG).users.find((u) => u.id === id)!;
}

/** Queue names the user is a member of, as the emulator's own queues hold them. */
function queuesOf(userId: string): string[] {
  return env.emulator
    .inspect(RETAIL_ORG)
    .queues.filter((q) => q.memberIds.includes(userId))
    .map((q) => q.name)
    .sort();
}

const moveTo = (handle: WorkflowHandle, seasonId: string) =>
  handle.signal(seasonGroupsChangedSignal, {
    seasonId,
    groups: [CHAT_GROUP],
    asOf: new Date(Date.now() + 1000).toISOString(),
  });

describe('routing skills, languages and queues from the mapping (real server, emulator over HTTP)', () => {
  it('creates the user with its skills and languages in the SCIM create, then joins its queues', async () => {
    const { names, mapping } = catalogue();
    const input = agentInput({ seasonId: 'routing-create', mapping });
    env.emulator.resetCounts();
    const handle = await start(input);
    const active = await until(handle, (s) => s.phase === 'Active', 'Active');
    const u = user(input.agent.login)!;
    expect(u.routingSkills).toEqual([{ name: names.voiceSkill, proficiency: 2 }]);
    expect(u.routingLanguages).toEqual([{ name: 'English', proficiency: 5 }]);
    expect(queuesOf(u.id)).toEqual([names.voiceQueue, names.returnsQueue].sort());
    expect(active.queues?.map((q) => q.name).sort()).toEqual([names.voiceQueue, names.returnsQueue].sort());
    // No SCIM PATCH for the skills: they rode on the create. One members POST per queue.
    const byEndpoint = env.emulator.requestCounts().totals.byEndpoint;
    expect(byEndpoint['PATCH /api/v2/scim/v2/users/:userId']).toBeUndefined();
    expect(byEndpoint['POST /api/v2/routing/queues/:queueId/members']).toEqual({ '204': 2 });

    // Deleted at once: the delete takes the user out of every queue.
    await handle.signal(seasonOffboardSignal, { reason: 'test over' });
    expect(((await handle.result()) as SeasonalAgentState).phase).toBe('Deprovisioned');
    expect(userById(u.id).deleted).toBe(true);
    expect(queuesOf(u.id)).toEqual([]);
    await saveHistory(handle, 'routing-create');
  });

  it('a mover changes skills, languages and queues; a skill added by hand stays', async () => {
    const { names, mapping } = catalogue();
    const input = agentInput({ seasonId: 'routing-mover', mapping });
    const handle = await start(input);
    await until(handle, (s) => s.phase === 'Active', 'Active');
    const id = user(input.agent.login)!.id;
    // An admin gives the agent another skill by hand: not ours to take.
    env.emulator.addRouting(RETAIL_ORG, 'skill', `Gift Cards ${names.voiceSkill}`);
    const admin = new GenesysClient({
      apiBaseUrl: env.emulator.url,
      loginBaseUrl: env.emulator.url,
      clientId: 'retail-us-provisioner',
      clientSecret: 'emulator-retail-us-secret',
    });
    const held = await admin.getUserRouting(id);
    await admin.setUserRouting(id, {
      skills: [...held.skills, { name: `Gift Cards ${names.voiceSkill}`, proficiency: 1 }],
      languages: held.languages,
    });
    await moveTo(handle, 'routing-mover');
    // Joining the new queue is the mover's last step (the old queues are left first, so a count of one is also
    // seen half-way): wait for the queue by name.
    await until(
      handle,
      (s) => s.homeDivision === 'E-Commerce' && s.queues?.map((q) => q.name).join() === names.chatQueue,
      'the mover',
    );
    const u = userById(id);
    expect(u.routingSkills).toEqual([
      { name: `Gift Cards ${names.voiceSkill}`, proficiency: 1 },
      { name: names.chatSkill, proficiency: 3 },
    ]);
    expect(u.routingLanguages).toEqual([
      { name: 'English', proficiency: 4 },
      { name: 'Spanish', proficiency: 3 },
    ]);
    expect(queuesOf(id)).toEqual([names.chatQueue]);
    await handle.signal(seasonOffboardSignal, { reason: 'test over' });
    await handle.result();
    await saveHistory(handle, 'routing-mover');
  });

  it('with a grace period, teardown takes the kept user out of its queues and removes its skills, then deletes', async () => {
    const { mapping } = catalogue();
    const input = agentInput({
      seasonId: 'routing-grace',
      mapping,
      policy: {
        deactivate: true,
        removeGrants: true,
        deleteAfterMs: 5_000,
        removeFromOktaGroups: false,
        deactivateOktaUser: false,
      },
    });
    const handle = await start(input);
    await until(handle, (s) => s.phase === 'Active', 'Active');
    const id = user(input.agent.login)!.id;
    await handle.signal(seasonOffboardSignal, { reason: 'left early' });
    const waiting = await until(
      handle,
      (s) => s.phase === 'Deprovisioning' && s.history.some((h) => h.what.startsWith('routing skills 0')),
      'the grace period',
    );
    expect(waiting.queues).toBeUndefined();
    expect(waiting.routing).toBeUndefined();
    const kept = userById(id);
    expect(kept).toMatchObject({ deleted: false, active: false, routingSkills: [], routingLanguages: [] });
    expect(queuesOf(id)).toEqual([]);
    expect(((await handle.result()) as SeasonalAgentState).phase).toBe('Deprovisioned');
    expect(userById(id).deleted).toBe(true);
    await saveHistory(handle, 'routing-grace');
  });

  it('a skill deleted from the org mid-season parks the mover with a readable reason; retry after it is restored', async () => {
    const { names, mapping } = catalogue();
    const input = agentInput({ seasonId: 'routing-skill-gone', mapping, groups: [AGENTS_GROUP] });
    const handle = await start(input);
    await until(handle, (s) => s.phase === 'Active', 'Active');
    env.emulator.removeRouting(RETAIL_ORG, 'skill', names.chatSkill);
    await moveTo(handle, 'routing-skill-gone');
    const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
    expect(stuck.attentionReason).toContain('setUserRouting: GenesysBadRequest');
    expect(stuck.attentionReason).toContain(names.chatSkill);

    env.emulator.addRouting(RETAIL_ORG, 'skill', names.chatSkill);
    await handle.signal(agentRetrySignal);
    await until(handle, (s) => s.phase === 'Active' && s.homeDivision === 'E-Commerce', 'Active after retry');
    const u = user(input.agent.login)!;
    expect(u.routingSkills).toEqual([{ name: names.chatSkill, proficiency: 3 }]);
    expect(queuesOf(u.id)).toEqual([names.chatQueue]);
    await handle.signal(seasonOffboardSignal, { reason: 'test over' });
    await handle.result();
  });

  it('a queue deleted from the org mid-season parks the mover with a readable reason; retry after it is re-created', async () => {
    const { names, mapping } = catalogue();
    const input = agentInput({ seasonId: 'routing-queue-gone', mapping });
    const handle = await start(input);
    await until(handle, (s) => s.phase === 'Active', 'Active');
    env.emulator.removeRouting(RETAIL_ORG, 'queue', names.chatQueue);
    await moveTo(handle, 'routing-queue-gone');
    const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
    expect(stuck.attentionReason).toBe(`queue "${names.chatQueue}" not found in org ${RETAIL_ORG}`);

    const newId = env.emulator.addRouting(RETAIL_ORG, 'queue', names.chatQueue);
    await handle.signal(agentRetrySignal);
    const active = await until(handle, (s) => s.phase === 'Active', 'Active after retry');
    expect(active.queues).toEqual([{ name: names.chatQueue, queueId: newId }]);
    expect(queuesOf(user(input.agent.login)!.id)).toEqual([names.chatQueue]);
    await handle.signal(seasonOffboardSignal, { reason: 'test over' });
    await handle.result();
  });
});
