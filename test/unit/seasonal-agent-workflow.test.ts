// The seasonal agent workflow in skipped time (Temporal's time-skipping test server) with in-memory stub
// activities: weeks of a season pass in seconds. The real-server suites in test/integration are the acceptance
// layer; these pin the business process step by step.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DeprovisionPolicy } from '../../domain/agent';
import { genesysTaskQueue, LIFECYCLE_TASK_QUEUE } from '../../workflows/messages';
import {
  agentRetrySignal,
  agentStateQuery,
  EnrolRequest,
  enrolSignal,
  moveSeasonEndSignal,
  GENESYS_CALL_PLAN,
  moveSeasonEndUpdate,
  oktaStatusSignal,
  SeasonalAgentInput,
  SeasonalAgentState,
  seasonalAgentWorkflowId,
  seasonGroupsChangedSignal,
  seasonOffboardSignal,
  SEASONAL_AGENT_WORKFLOW,
} from '../../workflows/agent/contract';
import type { seasonalAgent } from '../../workflows/seasonal-agent';
import { AGENTS_GROUP, CHAT_GROUP, retailMapping, retailRoutedMapping } from '../support/agents';
import { DIVISION_IDS, InMemoryGenesys, QUEUE_IDS, ROLE_IDS } from '../support/in-memory-genesys';
import { createTimeSkippingEnv, registerSearchAttributes } from '../support/time-skipping';

const DAY = 86_400_000;
const atOnce: DeprovisionPolicy = {
  deactivate: true,
  removeGrants: true,
  deleteAfterMs: 0,
  removeFromOktaGroups: true,
  deactivateOktaUser: false,
};
const RETURNS_GROUP = { id: '00greturnspeak0001', name: 'Returns-Peak-Agents' };
const returnsMapping = {
  rules: [
    {
      group: 'Returns-Peak-Agents',
      homeDivision: 'Returns & Exchanges',
      roles: [{ role: 'Returns Agent', divisions: ['Returns & Exchanges'] }],
    },
  ],
};

// Skipped time makes every test take seconds; a minute means it hangs.
jest.setTimeout(60_000);

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let genesys: InMemoryGenesys;
let counter = 0;
let queues = 0;
let taskQueue = LIFECYCLE_TASK_QUEUE;
let org = 'retail-us';
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger() });
}, 120_000);

// A test server of its own per test (about a second): its clock is shared by every workflow on it, and a test
// that fails mid-step (or a continue-as-new under load) was seen to leave it unable to advance for the next one.
beforeEach(async () => {
  genesys = new InMemoryGenesys();
  env = await createTimeSkippingEnv();
  await registerSearchAttributes(env);
}, 60_000);

afterEach(async () => {
  await env?.teardown();
});

/** Runs the lifecycle and Genesys workers (stub activities) while `fn` drives the test; a queue of its own per test. */
async function withWorkers(fn: () => Promise<void>): Promise<void> {
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default' };
  taskQueue = `${LIFECYCLE_TASK_QUEUE}-${++queues}`;
  org = `retail-us-${queues}`;
  const lifecycle = await Worker.create({
    ...common,
    taskQueue,
    workflowBundle: bundle,
    activities: genesys.oktaActivities(),
  });
  const genesysWorker = await Worker.create({
    ...common,
    taskQueue: genesysTaskQueue(org),
    activities: genesys.activities(),
  });
  try {
    await genesysWorker.runUntil(lifecycle.runUntil(fn));
  } finally {
    // The test server's clock is shared: a run left behind would fire its timers into later tests (and, with no
    // worker left for its activities, hold the clock still).
    await Promise.all(started.splice(0).map((h) => h.terminate('test over').catch(() => undefined)));
  }
}

async function now(): Promise<number> {
  return env.currentTimeMs();
}

async function enrolment(
  seasonId: string,
  endsInDays: number,
  overrides: Partial<EnrolRequest> = {},
): Promise<EnrolRequest> {
  const t = await now();
  return {
    seasonId,
    seasonEndsAt: new Date(t + endsInDays * DAY).toISOString(),
    mapping: retailMapping,
    policy: atOnce,
    groups: [AGENTS_GROUP],
    asOf: new Date(t).toISOString(),
    // As the starters do: the ids preflight resolved, so the happy path makes no lookup.
    resolved: { roles: { ...ROLE_IDS }, divisions: { ...DIVISION_IDS } },
    ...overrides,
  };
}

async function startAgent(
  enrol: EnrolRequest,
  extra: Partial<SeasonalAgentInput> = {},
): Promise<{ handle: WorkflowHandle<typeof seasonalAgent>; login: string }> {
  counter += 1;
  const oktaUserId = `00uskip${counter}`;
  const login = `skip.${counter}@retail.example`;
  const input: SeasonalAgentInput = {
    orgId: org,
    agent: { oktaUserId, login, email: login, givenName: 'Sam', familyName: 'Skip' },
    enrol,
    ...extra,
  };
  const handle = await env.client.workflow.start<typeof seasonalAgent>(SEASONAL_AGENT_WORKFLOW, {
    taskQueue,
    workflowId: seasonalAgentWorkflowId(org, oktaUserId),
    args: [input],
  });
  started.push(handle);
  return { handle, login };
}

/** Polls the state (in real time: queries do not advance the test server's clock) until `pred` holds. */
async function until(
  handle: WorkflowHandle,
  pred: (s: SeasonalAgentState) => boolean,
  what: string,
): Promise<SeasonalAgentState> {
  const deadline = Date.now() + 15_000;
  let last: SeasonalAgentState | undefined;
  while (Date.now() < deadline) {
    last = (await shortCall(() => handle.query(agentStateQuery))) ?? last;
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out waiting for ${what}; last state: ${JSON.stringify({ phase: last?.phase, enrolments: last?.enrolments, reason: last?.attentionReason })}`,
  );
}

/**
 * The workflow's result once it has closed, advancing the clock a day at a time while it runs (as `result()` would
 * let the server skip time). Short calls rather than `result()`'s long poll, which the test server may drop.
 */
/**
 * One call with a 5 s deadline; undefined when it runs out. The test server now and then leaves a call unanswered
 * (seen with queries right after a start under load); the pollers here simply ask again.
 */
async function shortCall<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await env.client.withDeadline(Date.now() + 5_000, fn);
  } catch (err) {
    const cause = err instanceof Error ? (err.cause as { code?: number } | undefined) : undefined;
    if (cause?.code === 4) return undefined; // gRPC DEADLINE_EXCEEDED
    throw err;
  }
}

async function completed(
  handle: WorkflowHandle<typeof seasonalAgent>,
  options = { advanceClock: true },
): Promise<SeasonalAgentState> {
  const deadline = Date.now() + 30_000;
  while ((await shortCall(() => handle.describe()))?.status.name !== 'COMPLETED') {
    if (Date.now() > deadline)
      throw new Error(`${handle.workflowId} still running; phase ${(await handle.query(agentStateQuery)).phase}`);
    if (options.advanceClock) await skip(DAY);
    else await new Promise((r) => setTimeout(r, 50));
  }
  return handle.result();
}

/** Advances the test server's clock; fails with a clear message instead of hanging if the server stalls. */
async function skip(ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the test server did not advance its clock by ${ms / DAY} day(s) within 20 s`)),
      20_000,
    );
  });
  try {
    await Promise.race([env.sleep(ms), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const roleIdsOf = (userId: string) => [...new Set(genesys.grantsOf(userId).map((g) => g.roleId))].sort();

describe('seasonal agent workflow, in skipped time', () => {
  it('provisions with 4 Genesys calls, sleeps until the season end, then deactivates and deletes (the delete takes the grants)', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 30));
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(genesys.calls).toEqual(['findUserByUserName', 'createUser', 'addGrants', 'getGrants']);
      const userId = genesys.userNamed(login)!.id;
      expect(active).toMatchObject({ genesysUserId: userId, homeDivision: 'Retail Stores' });
      expect(roleIdsOf(userId)).toEqual(['role-seasonal', 'role-voice']);

      await skip(29 * DAY);
      expect((await handle.query(agentStateQuery)).phase).toBe('Active');
      const result = await completed(handle);
      expect(result.phase).toBe('Deprovisioned');
      expect(result.enrolments).toEqual([
        expect.objectContaining({ seasonId: 'holiday', phase: 'Deprovisioned', endReason: 'season ended' }),
      ]);
      // Deleted at once: the delete takes the grants with it (no bulkremove before it).
      expect(genesys.calls.slice(4)).toEqual(['setUserActive', 'deleteUser', 'removeFromOktaGroups']);
      expect(result.grants).toEqual([]);
      expect(genesys.deleted).toEqual([userId]);
    });
  });

  it('call plan 2: provisions with 2 Genesys calls (create, bulkadd) and tears down with 1 (the delete)', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 30), { genesysCalls: 2 });
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(genesys.calls).toEqual(['createUser', 'addGrants']);
      const userId = genesys.userNamed(login)!.id;
      expect(active).toMatchObject({ genesysUserId: userId, homeDivision: 'Retail Stores' });
      expect(roleIdsOf(userId)).toEqual(['role-seasonal', 'role-voice']);
      const result = await completed(handle);
      expect(result.phase).toBe('Deprovisioned');
      expect(genesys.calls.slice(2)).toEqual(['deleteUser', 'removeFromOktaGroups']);
      expect(genesys.deleted).toEqual([userId]);
    });
  });

  it('call plan 2: a userName already taken (409) is found by search, adopted and read back', async () => {
    await withWorkers(async () => {
      const login = `taken.${Date.now()}@retail.example`;
      const existing = genesys.seedUser(login, 'Home', true);
      const { handle } = await startAgent(await enrolment('holiday', 30), {
        genesysCalls: 2,
        agent: { oktaUserId: `00utaken${Date.now()}`, login, email: login, givenName: 'Ta', familyName: 'Ken' },
      });
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(active.genesysUserId).toBe(existing.id);
      expect(genesys.users.get(existing.id)).toMatchObject({ active: true, homeDivision: 'Retail Stores' });
      expect(genesys.calls).toEqual([
        'createUser',
        'findUserInAnyState',
        'setUserActive',
        'moveHomeDivision',
        'getGrants',
        'addGrants',
        'getGrants',
      ]);
      expect(roleIdsOf(existing.id)).toEqual(['role-seasonal', 'role-voice']);
    });
  });

  it('waits out the grace period before deleting', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(
        await enrolment('holiday', 2, { policy: { ...atOnce, deleteAfterMs: 7 * DAY } }),
      );
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const userId = genesys.userNamed(login)!.id;
      await skip(3 * DAY);
      const waiting = await until(handle, (s) => s.phase === 'Deprovisioning', 'the grace period');
      expect(waiting.grants).toEqual([]);
      expect(genesys.users.get(userId)).toMatchObject({ active: false });
      expect(genesys.grantsOf(userId)).toEqual([]);
      await skip(3 * DAY);
      expect(genesys.users.has(userId)).toBe(true);
      expect((await completed(handle)).phase).toBe('Deprovisioned');
      expect(genesys.deleted).toEqual([userId]);
    });
  });

  it('adopts the user its own lost create made (409) and grants it', async () => {
    await withWorkers(async () => {
      genesys.loseNextCreateAnswer = true;
      const { handle, login } = await startAgent(await enrolment('holiday', 30));
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(genesys.users.size).toBe(1);
      const user = genesys.userNamed(login)!;
      expect(active.genesysUserId).toBe(user.id);
      expect(genesys.calls).toEqual([
        'findUserByUserName',
        'createUser',
        'createUser',
        // Taken (409): the users search finds the holder in any state (here our own committed create).
        'findUserInAnyState',
        // What search shows may lag behind writes: active and in the mapped division, whatever it said.
        'setUserActive',
        'moveHomeDivision',
        'getGrants',
        'addGrants',
        'getGrants',
      ]);
      expect(active.history.map((h) => h.what)).toContain('adopted the existing Genesys user');
      expect(roleIdsOf(user.id)).toEqual(['role-seasonal', 'role-voice']);
    });
  });

  it('adopts an existing deactivated user: reactivates it and moves its home division', async () => {
    await withWorkers(async () => {
      const login = `returning.${Date.now()}@retail.example`;
      const existing = genesys.seedUser(login, 'Home', false);
      const { handle } = await startAgent(await enrolment('holiday', 30), {
        agent: { oktaUserId: `00uret${Date.now()}`, login, email: login, givenName: 'Ret', familyName: 'Urning' },
      });
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(active.genesysUserId).toBe(existing.id);
      expect(genesys.users.get(existing.id)).toMatchObject({ active: true, homeDivision: 'Retail Stores' });
      expect(genesys.calls).toEqual([
        'findUserByUserName',
        'setUserActive',
        'moveHomeDivision',
        'getGrants',
        'addGrants',
        'getGrants',
      ]);
    });
  });

  it('parks in NeedsAttention when Genesys does not keep the grants, and provisions on retry', async () => {
    await withWorkers(async () => {
      genesys.dropGrants = true;
      const { handle, login } = await startAgent(await enrolment('holiday', 30));
      const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
      expect(stuck.attentionReason).toBe('Genesys did not keep 3 of the mapped grants');
      genesys.dropGrants = false;
      await handle.signal(agentRetrySignal);
      await until(handle, (s) => s.phase === 'Active', 'Active after retry');
      expect(roleIdsOf(genesys.userNamed(login)!.id)).toEqual(['role-seasonal', 'role-voice']);
    });
  });

  it('parks in NeedsAttention on a role missing in the org, and still ends with the season', async () => {
    await withWorkers(async () => {
      delete genesys.roles['Voice Agent'];
      const { handle } = await startAgent(await enrolment('holiday', 5, { resolved: { roles: {}, divisions: {} } }));
      const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
      expect(stuck.attentionReason).toBe(`role "Voice Agent" not found in org ${org}`);
      await skip(6 * DAY);
      const result = await completed(handle);
      expect(result).toMatchObject({ phase: 'Deprovisioned', offboardReason: 'season ended' });
      expect(genesys.calls).not.toContain('createUser');
    });
  });

  it('moves the season end both ways: extended, then shortened', async () => {
    await withWorkers(async () => {
      const { handle } = await startAgent(await enrolment('holiday', 10));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      await handle.executeUpdate(moveSeasonEndUpdate, {
        args: [{ seasonId: 'holiday', newEnd: new Date((await now()) + 40 * DAY).toISOString() }],
      });
      await skip(20 * DAY);
      expect((await handle.query(agentStateQuery)).phase).toBe('Active');
      await handle.executeUpdate(moveSeasonEndUpdate, {
        args: [{ seasonId: 'holiday', newEnd: new Date((await now()) + DAY).toISOString() }],
      });
      await skip(2 * DAY);
      expect((await until(handle, (s) => s.phase === 'Deprovisioned', 'Deprovisioned')).enrolments[0]!.endReason).toBe(
        'season ended',
      );
      await expect(
        handle.executeUpdate(moveSeasonEndUpdate, {
          args: [{ seasonId: 'holiday', newEnd: new Date().toISOString() }],
        }),
      ).rejects.toThrow();
    });
  });

  it('applies a mover: a newer group list adds and removes grants and moves the home division; an older one is ignored', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 30));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const t = await now();
      await handle.signal(seasonGroupsChangedSignal, {
        seasonId: 'holiday',
        groups: [CHAT_GROUP],
        asOf: new Date(t + 1000).toISOString(),
      });
      await handle.signal(seasonGroupsChangedSignal, {
        seasonId: 'holiday',
        groups: [],
        asOf: new Date(t - 1000).toISOString(),
      });
      const moved = await until(handle, (s) => s.homeDivision === 'E-Commerce' && s.grants.length === 2, 'the mover');
      expect(moved.phase).toBe('Active');
      const user = genesys.userNamed(login)!;
      expect(user.homeDivision).toBe('E-Commerce');
      expect(genesys.grantsOf(user.id)).toEqual([
        { roleId: 'role-chat', divisionId: 'div-ecom' },
        { roleId: 'role-seasonal', divisionId: 'div-ecom' },
      ]);
    });
  });

  it('offboarded during provisioning: finishes the step in flight, then tears down what it made', async () => {
    await withWorkers(async () => {
      let release!: () => void;
      genesys.holdCreate = new Promise((r) => (release = r));
      const { handle, login } = await startAgent(await enrolment('holiday', 30));
      await waitFor(() => genesys.calls.includes('createUser'), 'the create in flight');
      await handle.signal(seasonOffboardSignal, { reason: 'hired by mistake' });
      release();
      const result = await completed(handle);
      expect(result).toMatchObject({ phase: 'Deprovisioned', offboardReason: 'hired by mistake' });
      expect(genesys.userNamed(login)).toBeUndefined();
      expect(genesys.deleted).toHaveLength(1);
    });
  });
});

const voiceRouting = {
  skills: [
    { name: 'Returns', proficiency: 3 },
    { name: 'Store Orders', proficiency: 2 },
  ],
  languages: [{ name: 'English', proficiency: 5 }],
};

describe('routing skills, languages and queues from the mapping, in skipped time', () => {
  const routed = async (endsInDays: number, overrides: Partial<EnrolRequest> = {}) =>
    enrolment('holiday', endsInDays, {
      mapping: retailRoutedMapping,
      resolved: { roles: { ...ROLE_IDS }, divisions: { ...DIVISION_IDS }, queues: { ...QUEUE_IDS } },
      ...overrides,
    });

  it('sets skills and languages on the create (no extra call) and joins the mapped queues, one call each', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await routed(30));
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(genesys.calls).toEqual([
        'findUserByUserName',
        'createUser',
        'addGrants',
        'getGrants',
        'joinQueue',
        'joinQueue',
      ]);
      const user = genesys.userNamed(login)!;
      expect(user.routing).toEqual(voiceRouting);
      expect(genesys.queuesOf(user.id)).toEqual(['Holiday Voice', 'Returns & Exchanges']);
      expect(active.routing).toEqual(voiceRouting);
      expect(active.queues?.map((q) => q.name).sort()).toEqual(['Holiday Voice', 'Returns & Exchanges']);
      // Deleted at once: the delete takes the user out of every queue, no extra call.
      await completed(handle);
      expect(genesys.calls.slice(6)).toEqual(['setUserActive', 'deleteUser', 'removeFromOktaGroups']);
      expect(genesys.queuesOf(user.id)).toEqual([]);
    });
  });

  it('a mover changes skills, languages and queues; what an admin added by hand stays', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await routed(30));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const user = genesys.userNamed(login)!;
      user.routing.skills.push({ name: 'Gift Cards', proficiency: 1 }); // by hand
      genesys.routingNames.add('Gift Cards');
      genesys.calls.length = 0;
      await handle.signal(seasonGroupsChangedSignal, {
        seasonId: 'holiday',
        groups: [CHAT_GROUP],
        asOf: new Date((await now()) + 1000).toISOString(),
      });
      // Joining the new queue is the mover's last step (it leaves the old queues first, so a count of one is
      // also seen half-way): wait for the queue by name.
      const moved = await until(
        handle,
        (s) => s.homeDivision === 'E-Commerce' && s.queues?.map((q) => q.name).join() === 'Holiday Chat',
        'the mover',
      );
      expect(moved.phase).toBe('Active');
      expect(genesys.users.get(user.id)!.routing).toEqual({
        skills: [
          { name: 'Gift Cards', proficiency: 1 },
          { name: 'Online Orders', proficiency: 3 },
        ],
        languages: [
          { name: 'English', proficiency: 4 },
          { name: 'Spanish', proficiency: 3 },
        ],
      });
      expect(genesys.queuesOf(user.id)).toEqual(['Holiday Chat']);
      expect(genesys.calls.filter((c) => /Routing|Queue/.test(c))).toEqual([
        'getUserRouting',
        'setUserRouting',
        'leaveQueue',
        'leaveQueue',
        'joinQueue',
      ]);
    });
  });

  it('call plan 3: create, bulkadd, then every mapped queue joined at once (one workflow task schedules them all)', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await routed(30), { genesysCalls: GENESYS_CALL_PLAN });
      const active = await until(handle, (s) => s.phase === 'Active', 'Active');
      expect(GENESYS_CALL_PLAN).toBe(3);
      expect(genesys.calls).toEqual(['createUser', 'addGrants', 'joinQueue', 'joinQueue']);
      expect(active.queues?.map((q) => q.name).sort()).toEqual(['Holiday Voice', 'Returns & Exchanges']);
      const joins = (await handle.fetchHistory()).events!.filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'joinQueue',
      );
      const scheduledBy = joins.map((e) =>
        Number(e.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId),
      );
      expect(scheduledBy).toEqual([scheduledBy[0], scheduledBy[0]]);
      const userId = genesys.userNamed(login)!.id;
      // Deleted at once: the delete takes the user out of every queue.
      await completed(handle);
      expect(genesys.calls.slice(4)).toEqual(['deleteUser', 'removeFromOktaGroups']);
      expect(genesys.queuesOf(userId)).toEqual([]);
    });
  });

  it('call plan 3: a queue that fails does not lose the one joined beside it; a retry joins only the missing one', async () => {
    await withWorkers(async () => {
      delete genesys.queues['Returns & Exchanges'];
      const { handle, login } = await startAgent(
        await routed(30, {
          resolved: {
            roles: { ...ROLE_IDS },
            divisions: { ...DIVISION_IDS },
            queues: { ...QUEUE_IDS, 'Returns & Exchanges': 'queue-returns-gone' },
          },
        }),
        { genesysCalls: GENESYS_CALL_PLAN },
      );
      const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
      expect(stuck.queues?.map((q) => q.name)).toEqual(['Holiday Voice']);
      genesys.queues['Returns & Exchanges'] = 'queue-returns-new';
      genesys.calls.length = 0;
      await handle.signal(agentRetrySignal);
      await until(handle, (s) => s.phase === 'Active', 'Active after retry');
      expect(genesys.calls.filter((c) => c === 'joinQueue')).toEqual(['joinQueue']);
      expect(genesys.queuesOf(genesys.userNamed(login)!.id)).toEqual(['Holiday Voice', 'Returns & Exchanges']);
    });
  });

  it('with a grace period, teardown takes the kept user out of its queues and removes the skills it gave', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await routed(2, { policy: { ...atOnce, deleteAfterMs: 7 * DAY } }));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const user = genesys.userNamed(login)!;
      await skip(3 * DAY);
      const waiting = await until(handle, (s) => s.phase === 'Deprovisioning', 'the grace period');
      expect(waiting.queues).toBeUndefined();
      expect(waiting.routing).toBeUndefined();
      expect(genesys.queuesOf(user.id)).toEqual([]);
      expect(genesys.users.get(user.id)!.routing).toEqual({ skills: [], languages: [] });
      expect((await completed(handle)).phase).toBe('Deprovisioned');
    });
  });

  it('a queue missing in the org parks the agent with a readable reason; a retry after the admin creates it provisions', async () => {
    await withWorkers(async () => {
      delete genesys.queues['Returns & Exchanges'];
      const { handle, login } = await startAgent(
        await routed(30, { resolved: { roles: { ...ROLE_IDS }, divisions: { ...DIVISION_IDS } } }),
      );
      const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
      expect(stuck.attentionReason).toBe('queue "Returns & Exchanges" not found in org ' + org);
      genesys.queues['Returns & Exchanges'] = 'queue-returns-new';
      await handle.signal(agentRetrySignal);
      await until(handle, (s) => s.phase === 'Active', 'Active after retry');
      expect(genesys.queuesOf(genesys.userNamed(login)!.id)).toEqual(['Holiday Voice', 'Returns & Exchanges']);
    });
  });

  it('a skill deleted from the org mid-season parks the mover with the reason; a retry after it is restored goes on', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await routed(30));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      genesys.routingNames.delete('Online Orders');
      await handle.signal(seasonGroupsChangedSignal, {
        seasonId: 'holiday',
        groups: [CHAT_GROUP],
        asOf: new Date((await now()) + 1000).toISOString(),
      });
      const stuck = await until(handle, (s) => s.phase === 'NeedsAttention', 'NeedsAttention');
      expect(stuck.attentionReason).toContain('Online Orders');
      genesys.routingNames.add('Online Orders');
      await handle.signal(agentRetrySignal);
      await until(handle, (s) => s.phase === 'Active', 'Active after retry');
      expect(genesys.userNamed(login)!.routing.skills).toEqual([{ name: 'Online Orders', proficiency: 3 }]);
    });
  });
});

describe('one owner per person across seasons, in skipped time', () => {
  it("keeps the user through one season's end while another season goes on; deletes after the last", async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 20));
      await until(handle, (s) => s.phase === 'Active', 'Active in holiday');
      await handle.signal(
        enrolSignal,
        await enrolment('returns', 40, { mapping: returnsMapping, groups: [RETURNS_GROUP] }),
      );
      const both = await until(
        handle,
        (s) => s.enrolments.length === 2 && s.phase === 'Active' && s.grants.length === 4,
        'enrolled in both',
      );
      const userId = genesys.userNamed(login)!.id;
      expect(both.genesysUserId).toBe(userId);
      expect(roleIdsOf(userId)).toEqual(['role-returns', 'role-seasonal', 'role-voice']);

      await skip(25 * DAY);
      const after = await until(
        handle,
        (s) => s.enrolments.some((e) => e.seasonId === 'holiday' && e.phase === 'Deprovisioned'),
        'holiday over',
      );
      expect(after.phase).toBe('Active');
      expect(genesys.users.get(userId)).toMatchObject({ active: true, homeDivision: 'Returns & Exchanges' });
      expect(roleIdsOf(userId)).toEqual(['role-returns']);
      expect(genesys.oktaRemovals).toEqual([expect.objectContaining({ groupIds: [AGENTS_GROUP.id] })]);

      // A late Okta event for the season that ended does not enrol the person again.
      await handle.signal(enrolSignal, await enrolment('holiday', 60));
      await skip(DAY);
      expect((await handle.query(agentStateQuery)).enrolments.find((e) => e.seasonId === 'holiday')?.phase).toBe(
        'Deprovisioned',
      );
      expect(roleIdsOf(userId)).toEqual(['role-returns']);

      await skip(20 * DAY);
      const result = await completed(handle);
      expect(result.phase).toBe('Deprovisioned');
      expect(genesys.deleted).toEqual([userId]);
    });
  });
});

describe('one owner per person across seasons: the edges', () => {
  it('a new season during the grace period keeps the deactivated user: reactivated, granted again, same id', async () => {
    await withWorkers(async () => {
      const grace = { ...atOnce, deleteAfterMs: 10 * DAY };
      const { handle, login } = await startAgent(await enrolment('holiday', 2, { policy: grace }));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const userId = genesys.userNamed(login)!.id;
      await skip(3 * DAY);
      await until(handle, (s) => s.phase === 'Deprovisioning', 'the grace period');
      expect(genesys.users.get(userId)).toMatchObject({ active: false });

      await handle.signal(
        enrolSignal,
        await enrolment('returns', 30, { mapping: returnsMapping, groups: [RETURNS_GROUP] }),
      );
      const back = await until(handle, (s) => s.phase === 'Active', 'Active in returns');
      expect(back.genesysUserId).toBe(userId);
      expect(genesys.users.get(userId)).toMatchObject({ active: true, homeDivision: 'Returns & Exchanges' });
      expect(roleIdsOf(userId)).toEqual(['role-returns']);
      expect(back.enrolments.map((e) => [e.seasonId, e.phase])).toEqual([
        ['holiday', 'Deprovisioned'],
        ['returns', 'Active'],
      ]);
      expect(genesys.deleted).toEqual([]);

      await skip(31 * DAY);
      expect((await completed(handle)).phase).toBe('Deprovisioned');
      expect(genesys.deleted).toEqual([userId]);
    });
  });

  it('a late event for the season that ended, during the grace period, neither revives the person nor delays the delete', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(
        await enrolment('holiday', 2, { policy: { ...atOnce, deleteAfterMs: 10 * DAY } }),
      );
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const userId = genesys.userNamed(login)!.id;
      await skip(3 * DAY);
      await until(handle, (s) => s.phase === 'Deprovisioning', 'the grace period');
      await handle.signal(
        enrolSignal,
        await enrolment('holiday', 30, { asOf: new Date((await now()) + 1000).toISOString() }),
      );
      await skip(DAY);
      expect((await handle.query(agentStateQuery)).phase).toBe('Deprovisioning');
      expect(genesys.users.get(userId)).toMatchObject({ active: false });
      const result = await completed(handle);
      expect(result.phase).toBe('Deprovisioned');
      expect(genesys.deleted).toEqual([userId]);
      expect(genesys.calls.filter((c) => c === 'createUser')).toHaveLength(1);
    });
  });

  it('an Okta suspension deactivates at once and keeps the user and the seasons; unsuspend reactivates and re-grants', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 20));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const userId = genesys.userNamed(login)!.id;
      const at = async (ms: number) => new Date((await now()) + ms).toISOString();
      const callsBefore = genesys.calls.length;
      await handle.signal(oktaStatusSignal, { suspended: true, asOf: await at(0) });
      const suspended = await until(handle, (s) => s.phase === 'Suspended', 'Suspended');
      expect(genesys.calls.slice(callsBefore)).toEqual(['setUserActive']);
      expect(genesys.users.get(userId)).toMatchObject({ active: false });
      expect(suspended.enrolments).toEqual([expect.objectContaining({ seasonId: 'holiday', phase: 'Suspended' })]);
      expect(suspended.grants).toHaveLength(3);
      // Whatever Genesys did to the grants on deactivation, unsuspending must give them back.
      genesys.users.get(userId)!.grants.clear();

      // An older word (read before the suspension) changes nothing; a newer one brings the agent back.
      await handle.signal(oktaStatusSignal, { suspended: false, asOf: await at(-DAY) });
      await skip(DAY);
      expect((await handle.query(agentStateQuery)).phase).toBe('Suspended');
      await handle.signal(oktaStatusSignal, { suspended: false, asOf: await at(0) });
      const back = await until(handle, (s) => s.phase === 'Active', 'Active again');
      expect(back.genesysUserId).toBe(userId);
      expect(genesys.users.get(userId)).toMatchObject({ active: true });
      expect(roleIdsOf(userId)).toEqual(['role-seasonal', 'role-voice']);
      expect(genesys.deleted).toEqual([]);

      // Suspended again until the season ends: it still ends, and the teardown deletes the user.
      await handle.signal(oktaStatusSignal, { suspended: true, asOf: await at(0) });
      await until(handle, (s) => s.phase === 'Suspended', 'Suspended again');
      const result = await completed(handle);
      expect(result.enrolments).toEqual([
        expect.objectContaining({ seasonId: 'holiday', phase: 'Deprovisioned', endReason: 'season ended' }),
      ]);
      expect(genesys.deleted).toEqual([userId]);
    });
  });

  it('an offboarding without a season (Okta deactivation) ends every enrolment at once', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 20));
      await until(handle, (s) => s.phase === 'Active', 'Active');
      await handle.signal(
        enrolSignal,
        await enrolment('returns', 40, { mapping: returnsMapping, groups: [RETURNS_GROUP] }),
      );
      await until(handle, (s) => s.grants.length === 4, 'both seasons');
      await handle.signal(seasonOffboardSignal, { reason: 'Okta user deactivated' });
      const result = await completed(handle);
      expect(result.enrolments.map((e) => [e.seasonId, e.phase, e.endReason])).toEqual([
        ['holiday', 'Deprovisioned', 'Okta user deactivated'],
        ['returns', 'Deprovisioned', 'Okta user deactivated'],
      ]);
      expect(genesys.userNamed(login)).toBeUndefined();
      expect(genesys.oktaRemovals.map((r) => r.groupIds)).toEqual([[AGENTS_GROUP.id], [RETURNS_GROUP.id]]);
    });
  });
});

// Last, in its own block: a continue-as-new is the one step after which the test server's clock was seen to stall.
describe('seasonal agent workflow, continue-as-new', () => {
  it('continues as new when the history grows (test switch), keeping the user, grants and timer', async () => {
    await withWorkers(async () => {
      const { handle, login } = await startAgent(await enrolment('holiday', 30), { continueAsNewAtHistoryLength: 30 });
      await until(handle, (s) => s.phase === 'Active', 'Active');
      const firstRun = (await handle.describe()).runId;
      // Signals, not updates: an update racing a continue-as-new is the server's to redeliver, not this test's topic.
      for (let i = 1; i <= 6; i++) {
        await handle.signal(moveSeasonEndSignal, {
          seasonId: 'holiday',
          newEnd: new Date((await now()) + (30 + i) * DAY).toISOString(),
        });
      }
      const resumed = await until(
        handle,
        (s) => s.history.some((h) => h.what === 'continued as new'),
        'continue-as-new',
      );
      // The run now going on was started by a continue-as-new.
      const latest = (await env.client.workflow.getHandle(handle.workflowId).fetchHistory()).events ?? [];
      expect(latest[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
      expect(latest[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).not.toBe('');
      expect(firstRun).not.toBe('');
      expect(resumed).toMatchObject({ phase: 'Active', genesysUserId: genesys.userNamed(login)!.id });
      expect(resumed.grants).toHaveLength(3);
      // The test server's clock can stall after a continue-as-new under load: end by an offboarding, not the clock.
      await handle.signal(seasonOffboardSignal, { reason: 'season ended early' });
      const result = await completed(env.client.workflow.getHandle(handle.workflowId), { advanceClock: false });
      expect(result.phase).toBe('Deprovisioned');
      expect(genesys.userNamed(login)).toBeUndefined();
    });
  });
});

function quietLogger() {
  const noop = () => undefined;
  return { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
}
