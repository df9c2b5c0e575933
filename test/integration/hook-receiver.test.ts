// The hook receiver over real HTTP, fed by the Okta emulator's real deliveries, against a real Temporal dev server.
// These tests look at what reaches Temporal (workflows started, signals in their histories). Only the Okta-events
// worker runs (it reads Okta and starts or signals the agents); no agent worker runs, so every signal stays
// visible. The end-to-end run through the seasonalAgent workflow and Genesys is the acceptance
// test.
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createOktaUserEventActivities } from '../../activities/okta-user-events';
import { createOktaEventsWorker } from '../../worker/workers';
import { oktaEventActions, oktaEventsSettled } from '../support/okta-events';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { SeasonConfig } from '../../config/types';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';
import { OktaClient } from '../../integrations/okta';
import { buildHookReceiver, type HookReceiverOptions } from '../../receiver/server';
import {
  SEASONAL_AGENT_WORKFLOW,
  seasonalAgentWorkflowId,
  type SeasonalAgentInput,
} from '../../workflows/agent/contract';
import { createTestNamespace, quietRuntime, temporalAddress } from '../support/temporal';
import { seasonalAgentStartOptions } from '../../operations/seasonal-agent';
import { SeasonPhasesKey, seasonPhaseValue } from '../../domain/search-attributes';

const SECRET = 'okta-hook-secret-for-tests';
const CHLOE = '00uretailagent0003a7';
const GUS = '00uretailclerk0001a7';
const AVA = '00uretailagent0001a7';
const ELENA = '00uretailagent0005a7';
const AGENTS = '00gholidayagents01a7';
const SUPERVISORS = '00gholidaysupv001a7x';

const baseSeason: SeasonConfig = {
  id: 'holiday',
  orgId: 'retail-us',
  startsAt: new Date(Date.now() - 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  timeZone: 'America/New_York',
  dormantAfterDays: 7,
  policy: {
    deactivate: true,
    removeGrants: true,
    deleteAfterMs: 0,
    removeFromOktaGroups: true,
    deactivateOktaUser: false,
  },
  mapping: {
    rules: [
      {
        group: 'Retail-Holiday-Agents',
        homeDivision: 'Retail Stores',
        roles: [{ role: 'Seasonal Agents', divisions: ['Retail Stores'] }],
      },
      { group: 'Retail-Holiday-Chat', roles: [{ role: 'Chat Agent', divisions: ['E-Commerce'] }] },
      { group: SUPERVISORS, roles: [{ role: 'Supervisor', divisions: ['*'] }] },
    ],
  },
};

/**
 * A new org and season id per test: a person's workflow id is (org, user), so a new org per test keeps the
 * workflows no worker ever ends from meeting the next test.
 */
let season: SeasonConfig;
let seasonCounter = 0;
let namespace: string;
let connection: Connection;
let client: Client;
let okta: OktaEmulator;
let receiver: FastifyInstance;
let receiverUrl: string;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const logs: string[] = [];

/** The Okta user ids the pending events are about. */
function pendingUserIds(): string[] {
  const ids = okta.inspect().outbox.flatMap((e) => (e.target ?? []).filter((t) => t.type === 'User').map((t) => t.id));
  return [...new Set(ids)];
}

/** Delivers what Okta has pending, then waits until the Okta-events workflows have applied it. */
async function deliver(opts?: Parameters<OktaEmulator['deliverPending']>[0]) {
  const ids = pendingUserIds();
  const report = await okta.deliverPending(opts);
  await oktaEventsSettled(client, season.orgId, ids);
  return report;
}

async function startReceiver(
  overrides: Partial<HookReceiverOptions> = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildHookReceiver({
    temporalClient: client,
    seasons: () => [season],
    authHeader: { name: 'Authorization', value: SECRET },
    logger: {
      level: 'info',
      stream: new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) }),
    },
    ...overrides,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/okta/events` };
}

function post(
  body: unknown,
  headers: Record<string, string> = { authorization: SECRET },
  url = receiverUrl,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const workflowIdOf = (oktaUserId: string) => seasonalAgentWorkflowId(season.orgId, oktaUserId);

async function exists(oktaUserId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowIdOf(oktaUserId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The workflow's input and the signals it received, decoded from its history. */
async function historyOf(
  oktaUserId: string,
): Promise<{ type: string; input: SeasonalAgentInput; signals: Array<{ name: string; arg: unknown }> }> {
  const history = await client.workflow.getHandle(workflowIdOf(oktaUserId)).fetchHistory();
  const events = history.events ?? [];
  const started = events[0]!.workflowExecutionStartedEventAttributes!;
  const input = defaultPayloadConverter.fromPayload<SeasonalAgentInput>(started.input!.payloads![0]!);
  const signals = events
    .filter((e) => e.workflowExecutionSignaledEventAttributes)
    .map((e) => {
      const a = e.workflowExecutionSignaledEventAttributes!;
      return { name: a.signalName!, arg: defaultPayloadConverter.fromPayload(a.input!.payloads![0]!) };
    });
  return { type: started.workflowType!.name!, input, signals };
}

beforeAll(async () => {
  quietRuntime();
  namespace = await createTestNamespace('hooks');
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace });
  native = await NativeConnection.connect({ address: temporalAddress() });
  // Each test's org reads the emulator of that test.
  worker = await createOktaEventsWorker({
    connection: native,
    namespace,
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    oktaEventActivities: createOktaUserEventActivities({
      okta: { get: () => new OktaClient({ orgUrl: okta.url, apiToken: okta.apiToken }) },
      connection,
      namespace,
    }),
  });
  running = worker.run();
});
afterAll(async () => {
  worker.shutdown();
  await running;
  await native.close();
  await connection.close();
  // Structured logs carry ids, never a login, an email, a name or the secret.
  expect(logs.length).toBeGreaterThan(0);
  for (const line of logs) expect(line).not.toMatch(/@retail\.example\.com|Chloe|Marchetti|okta-hook-secret/);
});
beforeEach(async () => {
  const n = `${Date.now().toString(36)}-${++seasonCounter}`;
  season = { ...baseSeason, id: `holiday-${n}`, orgId: `retail-us-${n}` };
  okta = await startOktaEmulator({ fixture: 'retail' });
  ({ app: receiver, url: receiverUrl } = await startReceiver());
  okta.admin.setHook({ url: receiverUrl, authHeaderName: 'Authorization', authHeaderValue: SECRET });
});
afterEach(async () => {
  await receiver.close();
  await okta.close();
});

describe('hook receiver: HTTP', () => {
  it('answers the one-time verification, only with the secret header', async () => {
    expect(await okta.verifyHook()).toMatchObject({ verified: true, status: 200 });
    const noSecret = await fetch(receiverUrl, { headers: { 'x-okta-verification-challenge': 'abc' } });
    expect(noSecret.status).toBe(401);
    const noChallenge = await fetch(receiverUrl, { headers: { authorization: SECRET } });
    expect(noChallenge.status).toBe(400);
  });

  it('401 without the right secret, and nothing starts', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    okta.admin.setHook({ url: receiverUrl, authHeaderName: 'Authorization', authHeaderValue: 'wrong-secret' });
    const report = await okta.deliverPending();
    expect(report.deliveries[0]!.attempts.map((a) => a.status)).toEqual([401]);
    expect((await post({}, {})).status).toBe(401);
    expect((await post({}, { authorization: `${SECRET}x` })).status).toBe(401);
    expect(await exists(CHLOE)).toBe(false);
    expect(receiver.hookStats.unauthorized).toBe(3);
  });

  it('400 for malformed JSON and for bodies that are not deliveries, and nothing starts', async () => {
    expect((await post('{"eventType": "com.okta.event_hook", "data": {')).status).toBe(400);
    expect(
      (await post({ eventType: 'com.okta.event_hook', eventId: 'e1', data: { events: [{ uuid: 'u1' }] } })).status,
    ).toBe(400);
    expect((await post({ eventType: 'something.else', eventId: 'e2', data: { events: [] } })).status).toBe(400);
    expect((await post([1, 2, 3])).status).toBe(400);
    const bad = {
      eventType: 'com.okta.event_hook',
      eventId: 'e3',
      data: {
        events: [
          {
            uuid: 'u3',
            published: 'yesterday',
            eventType: 'group.user_membership.add',
            target: [{ id: CHLOE, type: 'User' }],
          },
        ],
      },
    };
    expect((await post(bad)).status).toBe(400);
    expect(await exists(CHLOE)).toBe(false);
    expect(receiver.hookStats.rejected).toBe(5);
  });

  it("never answers Okta's deliveries 429 for load: only requests without the secret are limited", async () => {
    const tight = await startReceiver({ requestsPerMinute: 2 });
    try {
      const empty = (i: number) => ({ eventType: 'com.okta.event_hook', eventId: `load-${i}`, data: { events: [] } });
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await post(empty(i), undefined, tight.url)).status);
      expect(answers).toEqual([204, 204, 204, 204, 204, 204]);
      const strangers = [];
      for (let i = 0; i < 3; i++) strangers.push((await post(empty(i), { authorization: 'guess' }, tight.url)).status);
      expect(strangers).toEqual([401, 401, 429]);
      expect(tight.app.hookStats).toMatchObject({ unauthorized: 2, rateLimited: 1 });
    } finally {
      await tight.app.close();
    }
  });

  it('413 for a body over the limit', async () => {
    const small = await startReceiver({ bodyLimitBytes: 2048 });
    try {
      const res = await post(
        { eventType: 'com.okta.event_hook', eventId: 'big', data: { events: [], pad: 'x'.repeat(4096) } },
        undefined,
        small.url,
      );
      expect(res.status).toBe(413);
    } finally {
      await small.app.close();
    }
  });

  it('503 when Temporal cannot be reached, so Okta retries; nothing is remembered as done', async () => {
    const dead = new Client({
      connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '500ms' }),
      namespace,
    });
    const unreachable = await startReceiver({ temporalClient: dead, deadlineMs: 1000 });
    okta.admin.setHook({ url: unreachable.url, authHeaderName: 'Authorization', authHeaderValue: SECRET });
    try {
      okta.admin.addUserToGroup(CHLOE, AGENTS);
      const started = Date.now();
      const report = await okta.deliverPending({ requeueFailed: true });
      expect(report.deliveries[0]!.attempts.map((a) => a.status)).toEqual([503, 503]);
      expect(report.deliveries[0]!.attempts.every((a) => a.ms < 3000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(6000);
      expect(unreachable.app.hookStats.unavailable).toBe(2);

      // The same events, once Temporal is back (here: the live receiver), are handled in full.
      okta.admin.setHook({ url: receiverUrl, authHeaderName: 'Authorization', authHeaderValue: SECRET });
      expect((await deliver()).deliveries[0]!.delivered).toBe(true);
      expect(await exists(CHLOE)).toBe(true);
    } finally {
      await unreachable.app.close();
    }
  });
});

describe('hook receiver: events → workflows', () => {
  it('a seasonal membership add starts the agent with their current seasonal groups and identity', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    okta.admin.addUserToGroup(CHLOE, 'Retail-Holiday-Supervisors');
    const added = okta.inspect().outbox.map((e) => e.published);
    const report = await deliver();
    expect(report.deliveries.map((d) => d.delivered)).toEqual([true]);

    const { type, input, signals } = await historyOf(CHLOE);
    expect(type).toBe(SEASONAL_AGENT_WORKFLOW);
    expect(input).toMatchObject({
      orgId: season.orgId,
      agent: {
        oktaUserId: CHLOE,
        login: 'chloe.marchetti@retail.example.com',
        email: 'chloe.marchetti@retail.example.com',
        givenName: 'Chloe',
        familyName: 'Marchetti',
        employeeNumber: 'S-1003',
      },
      enrol: {
        seasonId: season.id,
        seasonEndsAt: season.endsAt,
        groups: [
          { id: AGENTS, name: 'Retail-Holiday-Agents' },
          { id: SUPERVISORS, name: 'Retail-Holiday-Supervisors' },
        ],
        asOf: added[1],
        mapping: season.mapping,
        policy: season.policy,
      },
    });
    // Signal-with-start: the same enrolment as a signal (a running workflow would take it as its news).
    expect(signals).toEqual([{ name: 'enrol', arg: input.enrol }]);
  });

  it('duplicates (same eventId, or same uuids re-batched) reach Temporal once', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    okta.admin.addUserToGroup(GUS, AGENTS);
    const report = await deliver({ batchSize: 1, redeliver: 2, rebatch: true, concurrent: true });
    expect(report.deliveries.every((d) => d.delivered)).toBe(true);
    expect((await historyOf(CHLOE)).signals).toHaveLength(1);
    expect((await historyOf(GUS)).signals).toHaveLength(1);
    const stats = receiver.hookStats;
    expect(stats.queued).toBe(2);
    expect(stats.duplicateDeliveries + stats.ignored.duplicate).toBeGreaterThan(0);
    for (const id of [CHLOE, GUS])
      expect(await oktaEventActions(client, season.orgId, id)).toEqual([
        { seasonId: season.id, action: 'groups', outcome: 'started-or-signalled' },
      ]);
  });

  it('a remove sends the current groups to the running workflow; it never starts one', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    await deliver();
    okta.admin.removeUserFromGroup(CHLOE, AGENTS);
    okta.admin.removeUserFromGroup(AVA, AGENTS);
    const removedAt = okta.inspect().outbox[0]!.published;
    await deliver();

    const { signals } = await historyOf(CHLOE);
    expect(signals[1]).toEqual({
      name: 'seasonGroupsChanged',
      arg: { seasonId: season.id, groups: [], asOf: removedAt },
    });
    expect(await exists(AVA)).toBe(false);
    expect(await oktaEventActions(client, season.orgId, AVA)).toEqual([
      { seasonId: season.id, action: 'groups', outcome: 'no-workflow' },
    ]);
  });

  it('a remove delivered before its add: the add still provisions from the current state', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    okta.admin.removeUserFromGroup(CHLOE, AGENTS);
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    const events = okta.inspect().outbox;
    const lastAdd = events[2]!;
    await deliver({ batchSize: 1, order: 'reverse' });
    const { input, signals } = await historyOf(CHLOE);
    expect(input.enrol.groups).toEqual([{ id: AGENTS, name: 'Retail-Holiday-Agents' }]);
    expect(input.enrol.asOf).toBe(lastAdd.published);
    // Older messages reach the workflow too (it ignores them against asOf), each stamped with an event's time.
    // How many: the per-person Okta-events workflow merges triggers that arrive while it reads Okta, so the
    // remove may travel alone or merged with the first add (one signal, the newer time), depending on timing.
    const published = new Set(events.map((e) => e.published));
    for (const signal of signals) expect(published).toContain((signal.arg as { asOf: string }).asOf);
  });

  it('deactivate offboards, suspend suspends and unsuspend resumes, an existing workflow only', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    okta.admin.addUserToGroup(GUS, AGENTS);
    await deliver();
    okta.admin.deactivateUser(CHLOE);
    okta.admin.suspendUser(AVA);
    okta.admin.suspendUser(GUS);
    await deliver();
    // No seasonId: the person leaves every season of the org, not only the active ones this receiver knows.
    expect((await historyOf(CHLOE)).signals.at(-1)).toEqual({
      name: 'offboard',
      arg: { reason: 'Okta user deactivated' },
    });
    expect(await exists(AVA)).toBe(false);
    // Suspension is reversible: no offboard, the agent keeps its seasons and is told Okta's status.
    const suspended = (await historyOf(GUS)).signals.at(-1)!;
    expect(suspended).toMatchObject({ name: 'oktaStatus', arg: { suspended: true } });
    okta.admin.unsuspendUser(GUS);
    await deliver();
    const resumed = (await historyOf(GUS)).signals.at(-1)!;
    expect(resumed).toMatchObject({ name: 'oktaStatus', arg: { suspended: false } });
    const asOf = (x: { arg: unknown }) => Date.parse((x.arg as { asOf: string }).asOf);
    expect(asOf(resumed)).toBeGreaterThan(asOf(suspended));
    expect((await historyOf(GUS)).signals.map((x) => x.name)).not.toContain('offboard');
  });

  it('a deactivation reaches the person once per org, for every season they hold', async () => {
    // A second season of the same org (Chat): Chloe joins both, so her one workflow holds two enrolments.
    const spring: SeasonConfig = {
      ...season,
      id: `${season.id}-spring`,
      mapping: { rules: [{ group: 'Retail-Holiday-Chat', roles: [] }] },
    };
    const both = await startReceiver({ seasons: () => [season, spring] });
    okta.admin.setHook({ url: both.url, authHeaderName: 'Authorization', authHeaderValue: SECRET });
    try {
      okta.admin.addUserToGroup(CHLOE, AGENTS);
      okta.admin.addUserToGroup(CHLOE, 'Retail-Holiday-Chat');
      await deliver();
      const enrolled = (await historyOf(CHLOE)).signals.map((x) => (x.arg as { seasonId: string }).seasonId).sort();
      expect(enrolled).toEqual([season.id, spring.id].sort());

      okta.admin.deactivateUser(CHLOE);
      await deliver();
      const offboards = (await historyOf(CHLOE)).signals.filter((x) => x.name === 'offboard');
      expect(offboards).toEqual([{ name: 'offboard', arg: { reason: 'Okta user deactivated' } }]);
      expect(both.app.hookStats.queued).toBe(2);
    } finally {
      await both.app.close();
    }
  });

  it('a membership event for a season that already ended for the person brings nothing back', async () => {
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    await deliver();
    const handle = client.workflow.getHandle(workflowIdOf(CHLOE));
    // No worker runs here: a closed run whose SeasonPhases say the season ended for Chloe stands in for the run
    // that closed after her season ended (a run merely terminated mid-season would not lock it).
    const { input } = await historyOf(CHLOE);
    await handle.terminate('replaced by the stand-in');
    const options = seasonalAgentStartOptions(input);
    const ended = { key: SeasonPhasesKey, value: [seasonPhaseValue(input.enrol.seasonId, 'Deprovisioned')] };
    const standIn = await client.workflow.start(SEASONAL_AGENT_WORKFLOW, {
      ...options,
      typedSearchAttributes: [
        ...options.typedSearchAttributes.filter((sa) => sa.key.name !== SeasonPhasesKey.name),
        ended,
      ],
    });
    await standIn.terminate('stand-in for the end of the season for this person');
    const { runId } = await handle.describe();

    okta.admin.removeUserFromGroup(CHLOE, AGENTS);
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    const report = await deliver();
    expect(report.deliveries.every((d) => d.delivered)).toBe(true);
    const after = await handle.describe();
    expect({ runId: after.runId, status: after.status.name }).toEqual({ runId, status: 'TERMINATED' });
    expect((await oktaEventActions(client, season.orgId, CHLOE)).map((a) => a.outcome)).toEqual([
      'started-or-signalled',
      'already-closed',
    ]);
  });

  it('user.lifecycle.create starts a user created straight into a season group, and ignores others', async () => {
    const hired = okta.admin.createUser({
      profile: { login: 'kai.lund@retail.example.com', firstName: 'Kai', lastName: 'Lund' },
      groupIds: [AGENTS],
    });
    const clerk = okta.admin.createUser({
      profile: { login: 'lea.berg@retail.example.com', firstName: 'Lea', lastName: 'Berg' },
      groupIds: ['00geveryoneretail1a7'],
    });
    await deliver();
    expect((await historyOf(hired.id)).input.enrol.groups).toEqual([{ id: AGENTS, name: 'Retail-Holiday-Agents' }]);
    expect(await exists(clerk.id)).toBe(false);
    expect(receiver.hookStats.ignored['outside-seasons']).toBe(1);
  });

  it('does not provision a deactivated user whose memberships remain', async () => {
    okta.admin.addUserToGroup(ELENA, 'Retail-Holiday-Chat');
    await deliver();
    expect(await exists(ELENA)).toBe(false);
  });

  it('acknowledges, counts and ignores unknown event types and groups outside every season', async () => {
    okta.admin.removeUserFromGroup(GUS, '00geveryoneretail1a7');
    okta.admin.removeUserFromGroup(AVA, '00geveryoneretail1a7');
    okta.admin.activateUser('00uretailagent0004a7');
    const report = await deliver();
    expect(report.deliveries[0]!.delivered).toBe(true);
    expect(receiver.hookStats.ignored).toMatchObject({ 'outside-seasons': 2, 'unknown-event-type': 1 });
    expect(await exists(GUS)).toBe(false);
  });
});
