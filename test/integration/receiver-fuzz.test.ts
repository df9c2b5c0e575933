// Property-based fuzzing of the Okta hook receiver (issue 16) against a real Temporal dev server, over real
// loopback HTTP. Okta is a stand-in that answers from a fixed world, so what reaches Temporal can be compared
// exactly. Only the Okta-events worker runs (it reads that Okta and starts or signals the agents); no agent worker
// runs, so every start and signal stays in the histories (as in hook-receiver.test.ts).
//
// 1. Hostile deliveries (random shapes, sizes around the limit, deep nesting, unicode and control characters,
//    __proto__/constructor keys, odd content types): never a 5xx while Temporal is up, never a workflow for a
//    person outside every season group or stopped in Okta, and the receiver keeps serving.
// 2. Order and duplication: the same events delivered as one batch, or shuffled, duplicated, re-batched,
//    redelivered and sent concurrently, leave the same end state in Temporal.
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { SeasonConfig } from '../../config/types';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createOktaUserEventActivities } from '../../activities/okta-user-events';
import { OktaApiError, OktaClient, type OktaGroup, type OktaUser } from '../../integrations/okta';
import { buildHookReceiver } from '../../receiver/server';
import { createOktaEventsWorker } from '../../worker/workers';
import { oktaUserEventsWorkflowId } from '../../workflows/okta-events/contract';
import { oktaEventsSettled } from '../support/okta-events';
import { seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { eventually } from '../support/agents';
import {
  AGENTS,
  CHAT,
  deliveryOf,
  eventIdOf,
  eventOf,
  hostileBody,
  orderCaseOf,
  OTHER,
  seasonsOf,
  worldArb,
  type Group,
  type HostileRequest,
  type Person,
  type World,
} from '../support/receiver-fuzz';
import { fuzzAsync } from '../support/fuzz';
import { createTestNamespace, quietRuntime, temporalAddress } from '../support/temporal';

const SECRET = 'fuzz-hook-secret';
const HOSTILE_RUNS = 300;
const ORDER_RUNS = 25;
const BODY_LIMIT = 16 * 1024;

let connection: Connection;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
/** Each run's org reads its own world. */
const worlds = new Map<string, () => World>();

/** Okta as the world says; a person missing from it is deleted (404). */
class WorldOkta extends OktaClient {
  constructor(private readonly world: () => World) {
    super({ orgUrl: 'http://127.0.0.1:9', apiToken: 'not-used' });
  }
  private find(id: string): Person {
    const p = this.world().get(id);
    if (!p || p.status === 'deleted')
      throw new OktaApiError({ kind: 'NotFound', operation: 'GET /api/v1/users/{userId}', status: 404 });
    return p;
  }
  override async getUser(id: string): Promise<OktaUser> {
    return { id, status: this.find(id).status as OktaUser['status'], profile: { login: `${id}@fuzz.invalid` } };
  }
  override async listUserGroups(id: string): Promise<OktaGroup[]> {
    return this.find(id).groups.map((g) => ({ id: g.id, profile: { name: g.name } }));
  }
}

beforeAll(async () => {
  quietRuntime();
  const namespace = await createTestNamespace('fuzz');
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace });
  native = await NativeConnection.connect({ address: temporalAddress() });
  worker = await createOktaEventsWorker({
    connection: native,
    namespace,
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    oktaEventActivities: createOktaUserEventActivities({
      okta: { get: (orgId) => new WorldOkta(worlds.get(orgId) ?? (() => new Map())) },
      connection,
      namespace,
    }),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
});

/** Waits until every Okta-events workflow of the org has applied its triggers (ids made up by fuzzing too). */
async function settled(orgId: string, ids: string[]): Promise<void> {
  await oktaEventsSettled(client, orgId, ids);
  await eventually(async () => {
    const { count } = await client.workflow.count(
      `WorkflowId STARTS_WITH "${oktaUserEventsWorkflowId(orgId, '')}" AND ExecutionStatus = "Running"`,
    );
    return count === 0 ? true : undefined;
  }, 'the Okta-events workflows to finish');
}

function receiverFor(orgId: string, seasons: SeasonConfig[], world: () => World): FastifyInstance {
  worlds.set(orgId, world);
  return buildHookReceiver({
    temporalClient: client,
    seasons: () => seasons,
    authHeader: { name: 'Authorization', value: SECRET },
    bodyLimitBytes: BODY_LIMIT,
    requestsPerMinute: 1_000_000,
    // Not what is tested here: a slow moment on a loaded machine must not turn into a 503.
    deadlineMs: 60_000,
    logger: false,
  });
}

/** Over real HTTP (loopback): what Okta's requests go through, the socket and Fastify's parsers included. */
async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function post(base: string, payload: string, contentType?: string): Promise<number> {
  const headers: Record<string, string> = { authorization: SECRET };
  if (contentType !== undefined) headers['content-type'] = contentType;
  // A Blob without a type: fetch adds no content-type of its own.
  const res = await fetch(`${base}/okta/events`, { method: 'POST', headers, body: new Blob([payload]) });
  await res.arrayBuffer();
  return res.status;
}

/** A person gets a workflow only when Okta has them active in a group some season maps. */
const eligible = (p: Person | undefined) =>
  p !== undefined && p.status === 'ACTIVE' && p.groups.some((g) => g === AGENTS || g === CHAT);

async function exists(orgId: string, oktaUserId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(seasonalAgentWorkflowId(orgId, oktaUserId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Hostile deliveries fuzzing once found, kept: each runs first, every time. */
const HOSTILE_REGRESSIONS = [
  // A User target whose id is a lone UTF-16 surrogate: the workflow id made from it cannot travel to Temporal,
  // and the receiver answered 503 for ever (Okta retries once, then drops the whole batch). Not an Okta id: ignored.
  String.raw`{"eventType":"com.okta.event_hook","eventId":"regression-lone-surrogate","data":{"events":[{"uuid":"r1","published":"2026-11-30T12:00:00Z","eventType":"user.lifecycle.deactivate","target":[{"id":"\ud800","type":"User"}]}]}}`,
  String.raw`{"eventType":"com.okta.event_hook","eventId":"regression-nul","data":{"events":[{"uuid":"r2","published":"2026-11-30T12:00:00Z","eventType":"user.lifecycle.create","target":[{"id":"00ufuzzactive000000\u0000","type":"User"}]}]}}`,
].map((payload): HostileRequest => ({ payload, contentType: 'application/json' }));

describe('receiver fuzz: hostile deliveries', () => {
  it(`${HOSTILE_RUNS} generated deliveries: never a 5xx, never a start outside the season groups, still serving`, async () => {
    const orgId = `fuzz-hostile-${Date.now().toString(36)}`;
    const world: World = new Map<string, Person>([
      ['00ufuzzactive0000001', { status: 'ACTIVE', groups: [AGENTS] }],
      ['00ufuzzactive0000002', { status: 'ACTIVE', groups: [CHAT, OTHER] }],
      ['00ufuzzoutside000001', { status: 'ACTIVE', groups: [OTHER] }],
      ['00ufuzzstopped000001', { status: 'DEPROVISIONED', groups: [AGENTS] }],
      ['00ufuzzsuspend000001', { status: 'SUSPENDED', groups: [CHAT] }],
    ]);
    const app = receiverFor(orgId, seasonsOf(orgId), () => world);
    const base = await listening(app);
    const statuses = new Map<number, number>();
    let cases = 0;
    await fuzzAsync(
      'receiver hostile deliveries',
      fc.asyncProperty(hostileBody([...world.keys()], BODY_LIMIT), async ({ payload, contentType }) => {
        cases += 1;
        const status = await post(base, payload, contentType);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect([204, 400, 413, 415]).toContain(status);
      }),
      { numRuns: HOSTILE_RUNS, examples: HOSTILE_REGRESSIONS.map((r): [HostileRequest] => [r]) },
    );
    console.log(`receiver fuzz: ${cases} hostile deliveries, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    // Honest: the generator reaches the receiver's work, not only its parser.
    expect(statuses.get(204) ?? 0).toBeGreaterThan(HOSTILE_RUNS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(HOSTILE_RUNS / 10);
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0);

    await settled(orgId, [...world.keys()]);
    // Work was done (a run that starts nobody proves little) ...
    expect(app.hookStats.queued).toBeGreaterThan(0);
    // ... and none for the people Okta has outside every season group, or stopped ...
    for (const [id, person] of world)
      if (!eligible(person)) expect({ id, exists: await exists(orgId, id) }).toEqual({ id, exists: false });
    // ... nor for any id the generator made up (visibility catches up within moments).
    const started = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: `WorkflowId STARTS_WITH "agent/${orgId}/"` }))
        ids.push(wf.workflowId.split('/')[2]!);
      return ids.length > 0 ? ids : undefined;
    }, 'the started workflows in visibility');
    for (const id of started) expect({ id, eligible: eligible(world.get(id)) }).toEqual({ id, eligible: true });

    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
    // Still serving: health, and a well-formed delivery does its work.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ok = deliveryOf('still-serving', [eventOf('group.user_membership.add', '00ufuzzactive0000001', AGENTS)]);
    expect(await post(base, JSON.stringify(ok), 'application/json')).toBe(204);
    await app.close();
  });
});

/** Cases fuzzing once found, kept: each runs first, every time. */
const REGRESSIONS = [
  // A deactivation that Okta has undone since (the person is active again), sent with their hire: it offboarded
  // them only when it came in a later delivery than the hire (the receiver acted on the event, not on Okta).
  orderCaseOf(
    [{ status: 'ACTIVE', groups: [] }],
    [{ status: 'ACTIVE', groups: [AGENTS] }],
    [
      { person: 0, eventType: 'group.user_membership.add', group: 0, offsetMs: 0, result: 'SUCCESS' },
      { person: 0, eventType: 'user.lifecycle.deactivate', group: 0, offsetMs: 1_000, result: 'SUCCESS' },
    ],
    [[['k0']], [['k1']]],
  ),
];

interface EndState {
  exists: boolean;
  /** Per season: the groups of the newest list the person's workflow was sent (an empty list counts as none). */
  seasons: Record<string, string[]>;
  offboarded: boolean;
  /** Okta's status the workflow was told last (suspend/resume), if any. */
  suspended?: boolean;
}

async function endStateOf(orgId: string, oktaUserId: string, seasonIdOf: (s: string) => string): Promise<EndState> {
  if (!(await exists(orgId, oktaUserId))) return { exists: false, seasons: {}, offboarded: false };
  const handle = client.workflow.getHandle(seasonalAgentWorkflowId(orgId, oktaUserId));
  const events = (await handle.fetchHistory()).events ?? [];
  const newest = new Map<string, { asOf: number; groups: string[] }>();
  let offboarded = false;
  let status: { asOf: number; suspended: boolean } | undefined;
  for (const e of events) {
    const signal = e.workflowExecutionSignaledEventAttributes;
    if (!signal) continue;
    if (signal.signalName === 'offboard') offboarded = true;
    if (signal.signalName === 'oktaStatus') {
      const arg = defaultPayloadConverter.fromPayload<{ suspended: boolean; asOf: string }>(
        signal.input!.payloads![0]!,
      );
      if ((status?.asOf ?? -Infinity) <= Date.parse(arg.asOf))
        status = { asOf: Date.parse(arg.asOf), suspended: arg.suspended };
    }
    if (signal.signalName !== 'enrol' && signal.signalName !== 'seasonGroupsChanged') continue;
    const arg = defaultPayloadConverter.fromPayload<{ seasonId: string; groups: Group[]; asOf: string }>(
      signal.input!.payloads![0]!,
    );
    const asOf = Date.parse(arg.asOf);
    const season = seasonIdOf(arg.seasonId);
    if ((newest.get(season)?.asOf ?? -Infinity) <= asOf)
      newest.set(season, { asOf, groups: arg.groups.map((g) => g.name).sort() });
  }
  const seasons = Object.fromEntries([...newest].filter(([, v]) => v.groups.length > 0).map(([k, v]) => [k, v.groups]));
  return { exists: true, seasons, offboarded, ...(status ? { suspended: status.suspended } : {}) };
}

describe('receiver fuzz: order and duplication', () => {
  it(`${ORDER_RUNS} generated histories: any order, duplication or batching ends the same as one batch`, async () => {
    let cases = 0;
    let deliveries = 0;
    const seen = { workflows: 0, offboarded: 0, enrolled: 0 };
    await fuzzAsync(
      'receiver order and duplication',
      fc.asyncProperty(worldArb(), async (c) => {
        cases += 1;
        const run = async (tag: string, batches: string[][][]): Promise<EndState[]> => {
          const orgId = `fuzz-order-${Date.now().toString(36)}-${cases}-${tag}`;
          // Before the events: the people who already worked the season, started by an earlier delivery.
          let world = c.before;
          const app = receiverFor(orgId, seasonsOf(orgId), () => world);
          const base = await listening(app);
          const earlier = deliveryOf(
            `${orgId}-earlier`,
            c.ids
              .filter((id) => eligible(c.before.get(id)))
              .map((id, i) =>
                eventOf('group.user_membership.add', id, AGENTS, c.base - 86_400_000 + i, `${tag}-e${i}`),
              ),
          );
          expect(await post(base, JSON.stringify(earlier), 'application/json')).toBe(204);
          // The earlier delivery is read from Okta as it was then.
          await settled(orgId, c.ids);
          world = c.now;
          for (const wave of batches) {
            const codes = await Promise.all(
              wave.map((events) => {
                deliveries += 1;
                const delivery = deliveryOf(eventIdOf(orgId, events), events.map(c.event(tag)));
                return post(base, JSON.stringify(delivery), 'application/json');
              }),
            );
            expect(codes.every((s) => s === 204)).toBe(true);
          }
          await app.close();
          await settled(orgId, c.ids);
          const seasonIdOf = (id: string) => id.slice(0, id.indexOf(`-${orgId}`));
          return Promise.all(c.ids.map((id) => endStateOf(orgId, id, seasonIdOf)));
        };
        const once = await run('one', [[c.eventKeys]]);
        const shuffled = await run('any', c.variant);
        expect(shuffled).toEqual(once);
        for (const s of once) {
          seen.workflows += s.exists ? 1 : 0;
          seen.offboarded += s.offboarded ? 1 : 0;
          seen.enrolled += Object.keys(s.seasons).length;
        }
      }),
      { numRuns: ORDER_RUNS, examples: REGRESSIONS.map((c) => [c]) },
    );
    console.log(
      `receiver fuzz: ${cases} event histories, ${deliveries} deliveries, end states ${JSON.stringify(seen)}`,
    );
    expect(cases).toBe(ORDER_RUNS); // fast-check runs the regressions first, within numRuns
    // Honest: the generated cases reach starts, enrolments and offboarding, not only "nothing happened".
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  });
});
