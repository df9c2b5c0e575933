// Acceptance, end to end: Okta emulator → real event-hook deliveries → receiver → Temporal (real workers running
// the seasonalAgent workflow) → Genesys emulator. One batch of 50 events for 20 users, delivered shuffled (removes
// before their adds), again with the same eventId, and again re-batched with new eventIds, all at once.
// Expected: exactly one workflow per agent with a seasonal group, and exactly the mapped grants in Genesys.
import type { AddressInfo } from 'node:net';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createGenesysActivities } from '../../activities/genesys';
import { createOktaActivities } from '../../activities/okta';
import { createOktaUserEventActivities } from '../../activities/okta-user-events';
import type { OrgConnection } from '../../config/orgs';
import type { SeasonConfig } from '../../config/types';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';
import { buildHookReceiver } from '../../receiver/server';
import { createWorkers } from '../../worker/workers';
import { AgentPhaseKey } from '../../domain/search-attributes';
import { seasonalAgentWorkflowId, type SeasonalAgentState } from '../../workflows/agent/contract';
import { oktaEventActions } from '../support/okta-events';
import { createTestNamespace, quietRuntime, temporalAddress } from '../support/temporal';

const ORG = 'retail-us';
const SECRET = 'acceptance-hook-secret';
const AGENTS = 'Retail-Holiday-Agents';
const CHAT = 'Retail-Holiday-Chat';
const SUPERVISORS = '00gholidaysupv001a7x';

const season: SeasonConfig = {
  id: 'retail-holiday-acceptance',
  orgId: ORG,
  startsAt: new Date(Date.now() - 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  timeZone: 'America/New_York',
  dormantAfterDays: 7,
  policy: {
    deactivate: true,
    removeGrants: true,
    deleteAfterMs: null,
    removeFromOktaGroups: true,
    deactivateOktaUser: false,
  },
  mapping: {
    defaultHomeDivision: 'Home',
    rules: [
      {
        group: AGENTS,
        homeDivision: 'Retail Stores',
        roles: [
          { role: 'Seasonal Agents', divisions: ['Retail Stores', 'Holiday Overflow'] },
          { role: 'Voice Agent', divisions: ['Retail Stores'] },
        ],
      },
      {
        group: CHAT,
        homeDivision: 'E-Commerce',
        priority: 10,
        roles: [{ role: 'Chat Agent', divisions: ['E-Commerce'] }],
      },
      { group: SUPERVISORS, roles: [{ role: 'Supervisor', divisions: ['*'] }] },
    ],
  },
};

/** A second season of the same org with a group of its own: a person in both has one workflow, two enrolments. */
const SPRING = 'Retail-Spring-Agents';
const spring: SeasonConfig = {
  ...season,
  id: 'retail-spring-acceptance',
  mapping: {
    rules: [
      {
        group: SPRING,
        homeDivision: 'Holiday Overflow',
        roles: [{ role: 'Voice Agent', divisions: ['Holiday Overflow'] }],
      },
    ],
  },
};

const AGENT_GRANTS = [
  'Seasonal Agents @ Holiday Overflow',
  'Seasonal Agents @ Retail Stores',
  'Voice Agent @ Retail Stores',
];
const CHAT_GRANTS = ['Chat Agent @ E-Commerce'];
const SUPERVISOR_GRANTS = ['Supervisor @ All Divisions'];

let namespace: string;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let genesys: GenesysEmulator;
let okta: OktaEmulator;
let receiver: FastifyInstance;
let workers: Worker[] = [];
let running: Promise<unknown>;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The phase the Web UI shows (the AgentPhase search attribute), or null when the agent has no workflow. */
async function phaseOf(oktaUserId: string): Promise<string | null> {
  try {
    const description = await client.workflow.getHandle(seasonalAgentWorkflowId(ORG, oktaUserId)).describe();
    return description.typedSearchAttributes.get(AgentPhaseKey) ?? null;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

beforeAll(async () => {
  quietRuntime();
  namespace = await createTestNamespace('hook-acceptance');
  genesys = await startGenesysEmulator({ rateLimitPerMinute: 6000 });
  okta = await startOktaEmulator({ fixture: 'retail' });
  const orgs = new Map<string, OrgConnection>([
    [
      ORG,
      {
        orgId: ORG,
        genesys: {
          apiBaseUrl: genesys.url,
          loginBaseUrl: genesys.url,
          clientId: 'retail-us-provisioner',
          clientSecret: 'emulator-retail-us-secret',
          requestsPerMinute: 6000,
        },
        okta: { orgUrl: okta.url, apiToken: okta.apiToken },
      },
    ],
  ]);
  connection = await Connection.connect({ address: temporalAddress() });
  client = new Client({ connection, namespace });
  native = await NativeConnection.connect({ address: temporalAddress() });
  workers = await createWorkers({
    connection: native,
    namespace,
    orgs: [{ orgId: ORG, requestsPerMinute: 6000 }],
    genesysActivities: createGenesysActivities(orgs),
    oktaActivities: createOktaActivities(orgs),
    oktaEventActivities: createOktaUserEventActivities({ okta: orgs, connection, namespace }),
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  running = Promise.all(workers.map((w) => w.run()));

  okta.admin.createGroup({ name: SPRING });
  receiver = buildHookReceiver({
    temporalClient: client,
    seasons: () => [season, spring],
    authHeader: { name: 'Authorization', value: SECRET },
    logger: false,
  });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  okta.admin.setHook({
    url: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/okta/events`,
    authHeaderName: 'Authorization',
    authHeaderValue: SECRET,
  });
});

afterAll(async () => {
  await receiver.close();
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  await running;
  await native.close();
  await connection.close();
  await okta.close();
  await genesys.close();
});

describe('Okta hooks → workflows → Genesys (acceptance)', () => {
  it('50 events for 20 users, shuffled and duplicated: exactly the right workflows and grants', async () => {
    const users = Array.from({ length: 20 }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return okta.admin.createUser({
        profile: {
          login: `seasonal.${n}@retail.example.com`,
          firstName: 'Seasonal',
          lastName: `Agent ${n}`,
          employeeNumber: `H-${n}`,
        },
      }).id;
    });
    const u = (n: number) => users[n - 1]!;
    const add = (n: number, group: string) => okta.admin.addUserToGroup(u(n), group);
    const remove = (n: number, group: string) => okta.admin.removeUserFromGroup(u(n), group);

    for (let n = 1; n <= 8; n++) add(n, AGENTS);
    for (let n = 9; n <= 12; n++) add(n, CHAT);
    for (const n of [13, 14]) {
      add(n, AGENTS);
      add(n, CHAT);
    }
    for (const n of [15, 16]) add(n, SUPERVISORS);
    for (const n of [17, 18]) {
      add(n, AGENTS);
      remove(n, AGENTS);
    }
    add(19, 'Everyone-Retail');
    add(20, AGENTS);
    okta.admin.deactivateUser(u(20));
    for (const n of [1, 2]) {
      remove(n, AGENTS);
      add(n, AGENTS);
    }
    add(3, CHAT);
    expect(okta.inspect().outbox).toHaveLength(50);

    const report = await okta.deliverPending({
      batchSize: 50,
      order: 'shuffle',
      seed: 11,
      redeliver: 1,
      rebatch: true,
      concurrent: true,
    });
    expect(report.deliveries.filter((d) => d.kind === 'first').map((d) => d.uuids.length)).toEqual([50]);
    expect(report.deliveries.every((d) => d.delivered)).toBe(true);

    const expected = new Map<string, { home: string; grants: string[] }>();
    for (const n of [1, 2, 4, 5, 6, 7, 8]) expected.set(u(n), { home: 'Retail Stores', grants: AGENT_GRANTS });
    for (const n of [9, 10, 11, 12]) expected.set(u(n), { home: 'E-Commerce', grants: CHAT_GRANTS });
    for (const n of [3, 13, 14])
      expected.set(u(n), { home: 'E-Commerce', grants: [...CHAT_GRANTS, ...AGENT_GRANTS].sort() });
    for (const n of [15, 16]) expected.set(u(n), { home: 'Home', grants: SUPERVISOR_GRANTS });

    // Every expected agent reaches Active; nobody else has a workflow.
    for (const id of expected.keys())
      await waitFor(`agent ${id} active`, async () => ((await phaseOf(id)) === 'Active' ? true : undefined));
    for (const n of [17, 18, 19, 20]) expect(await phaseOf(u(n))).toBeNull();

    const inGenesys = genesys
      .inspect(ORG)
      .users.filter((g) => !g.deleted && g.externalId !== undefined && users.includes(g.externalId));
    expect(inGenesys.map((g) => g.externalId).sort()).toEqual([...expected.keys()].sort());
    for (const g of inGenesys) {
      const want = expected.get(g.externalId!)!;
      const mapped = g.grants
        .filter((x) => x.roleName !== 'employee')
        .map((x) => `${x.roleName} @ ${x.divisionName}`)
        .sort();
      expect({ user: g.externalId, home: g.homeDivision.name, grants: mapped }).toEqual({
        user: g.externalId,
        home: want.home,
        grants: want.grants,
      });
      expect(g.userName).toMatch(/^seasonal\.\d{2}@retail\.example\.com$/);
    }

    const stats = receiver.hookStats;
    expect(stats.unavailable).toBe(0);
    expect(stats.duplicateDeliveries + stats.ignored.duplicate).toBeGreaterThan(0);
  });

  it('one event per request, newest first: a remove before its add still ends in the right state', async () => {
    const back = okta.admin.createUser({
      profile: { login: 'back.again@retail.example.com', firstName: 'Back', lastName: 'Again' },
    }).id;
    const gone = okta.admin.createUser({
      profile: { login: 'gone.again@retail.example.com', firstName: 'Gone', lastName: 'Again' },
    }).id;
    okta.admin.clearOutbox();
    okta.admin.addUserToGroup(back, AGENTS);
    okta.admin.addUserToGroup(gone, CHAT);
    okta.admin.removeUserFromGroup(back, AGENTS);
    okta.admin.removeUserFromGroup(gone, CHAT);
    okta.admin.addUserToGroup(back, AGENTS);
    const report = await okta.deliverPending({ batchSize: 1, order: 'reverse' });
    expect(report.deliveries.map((d) => d.eventTypes[0])).toEqual([
      'group.user_membership.add',
      'group.user_membership.remove',
      'group.user_membership.remove',
      'group.user_membership.add',
      'group.user_membership.add',
    ]);

    await waitFor('back active', async () => ((await phaseOf(back)) === 'Active' ? true : undefined));
    expect(await phaseOf(gone)).toBeNull();
    const byOkta = (id: string) => genesys.inspect(ORG).users.filter((g) => g.externalId === id && !g.deleted);
    expect(byOkta(back).map((g) => g.grants.filter((x) => x.roleName !== 'employee').length)).toEqual([
      AGENT_GRANTS.length,
    ]);
    expect(byOkta(gone)).toEqual([]);
  });

  it("an Okta deactivation offboards the agent; the teardown's own Okta removals echo back harmlessly", async () => {
    const leaver = okta.admin.createUser({
      profile: { login: 'leaver@retail.example.com', firstName: 'Lee', lastName: 'Ver' },
      groupIds: [okta.admin.getGroup(CHAT).id],
    }).id;
    okta.admin.addUserToGroup(leaver, 'Everyone-Retail');
    await okta.deliverPending();
    await waitFor('leaver active', async () => ((await phaseOf(leaver)) === 'Active' ? true : undefined));

    okta.admin.deactivateUser(leaver);
    await okta.deliverPending();
    // Teardown's last step is removeFromOktaGroups: the season's group only, Everyone-Retail stays.
    const chatId = okta.admin.getGroup(CHAT).id;
    await waitFor('leaver out of the season group', async () =>
      okta.inspect().memberships[chatId]!.includes(leaver) ? undefined : true,
    );
    expect(okta.inspect().memberships['00geveryoneretail1a7']).toContain(leaver);
    const handle = client.workflow.getHandle(seasonalAgentWorkflowId(ORG, leaver));
    expect((await handle.result()) as SeasonalAgentState).toMatchObject({
      phase: 'Deprovisioned',
      offboardReason: 'Okta user deactivated',
      enrolments: [{ seasonId: season.id, phase: 'Deprovisioned', endReason: 'Okta user deactivated' }],
    });
    const [user] = genesys.inspect(ORG).users.filter((g) => g.externalId === leaver);
    expect(user!.active).toBe(false);
    expect(user!.grants.filter((x) => x.roleName !== 'employee')).toEqual([]);

    const before = (await oktaEventActions(client, ORG, leaver)).length;
    const echo = await okta.deliverPending();
    expect(echo.deliveries.flatMap((d) => d.eventTypes)).toEqual(['group.user_membership.remove']);
    expect(echo.deliveries.every((d) => d.delivered)).toBe(true);
    // The echo reaches a workflow that is offboarding or closed; it starts nothing new.
    const echoed = await waitFor('the echo applied', async () => {
      const all = await oktaEventActions(client, ORG, leaver);
      return all.length > before ? all.slice(before) : undefined;
    });
    expect(echoed.map((a) => a.outcome)).not.toContain('started-or-signalled');
    expect(genesys.inspect(ORG).users.filter((g) => g.externalId === leaver)).toHaveLength(1);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
  it('an Okta suspension takes access at once and keeps the user and the season; unsuspend brings them back with their grants', async () => {
    const sam = okta.admin.createUser({
      profile: { login: 'sam.suspended@retail.example.com', firstName: 'Sam', lastName: 'Pended' },
      groupIds: [okta.admin.getGroup(AGENTS).id],
    }).id;
    await okta.deliverPending();
    const handle = client.workflow.getHandle(seasonalAgentWorkflowId(ORG, sam));
    const genesysUsers = () => genesys.inspect(ORG).users.filter((g) => g.externalId === sam);
    const grantsOf = () =>
      genesysUsers()[0]!
        .grants.filter((x) => x.roleName !== 'employee')
        .map((x) => `${x.roleName} @ ${x.divisionName}`)
        .sort();
    await waitFor('sam active', async () => ((await phaseOf(sam)) === 'Active' ? true : undefined));
    const userId = genesysUsers()[0]!.id;
    expect(grantsOf()).toEqual(AGENT_GRANTS);

    okta.admin.suspendUser(sam);
    await okta.deliverPending();
    await waitFor('sam suspended', async () => ((await phaseOf(sam)) === 'Suspended' ? true : undefined));
    // Access is gone (inactive: no login), the user is kept — not deleted — and so is the season.
    expect(genesysUsers().map((u) => ({ id: u.id, active: u.active, deleted: u.deleted }))).toEqual([
      { id: userId, active: false, deleted: false },
    ]);
    const suspended = await handle.query<SeasonalAgentState>('getState');
    expect(suspended.enrolments).toEqual([{ seasonId: season.id, seasonEndsAt: season.endsAt, phase: 'Suspended' }]);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(okta.inspect().memberships[okta.admin.getGroup(AGENTS).id]).toContain(sam);

    okta.admin.unsuspendUser(sam);
    await okta.deliverPending();
    await waitFor('sam active again', async () => ((await phaseOf(sam)) === 'Active' ? true : undefined));
    // The same user, active, with exactly the mapped grants again (Genesys may drop them on deactivation).
    expect(genesysUsers().map((u) => ({ id: u.id, active: u.active, home: u.homeDivision.name }))).toEqual([
      { id: userId, active: true, home: 'Retail Stores' },
    ]);
    expect(grantsOf()).toEqual(AGENT_GRANTS);
    expect((await handle.query<SeasonalAgentState>('getState')).enrolments).toEqual([
      { seasonId: season.id, seasonEndsAt: season.endsAt, phase: 'Active' },
    ]);
  });

  it("two seasons, one person: leaving one season's group ends that season only, a re-add does not bring it back, a deactivation ends both", async () => {
    const sol = okta.admin.createUser({
      profile: { login: 'sol.twoseasons@retail.example.com', firstName: 'Sol', lastName: 'Twoseasons' },
    }).id;
    okta.admin.addUserToGroup(sol, CHAT);
    okta.admin.addUserToGroup(sol, SPRING);
    await okta.deliverPending();
    const handle = client.workflow.getHandle(seasonalAgentWorkflowId(ORG, sol));
    const stateOf = () => handle.query<SeasonalAgentState>('getState');
    const genesysUser = () => genesys.inspect(ORG).users.find((g) => g.externalId === sol)!;
    const grantsOf = () =>
      genesysUser()
        .grants.filter((x) => x.roleName !== 'employee')
        .map((x) => `${x.roleName} @ ${x.divisionName}`)
        .sort();
    const seasonsOf = async () => (await stateOf()).enrolments.map((e) => `${e.seasonId}:${e.phase}`).sort();

    await waitFor('sol active in both seasons', async () =>
      (await phaseOf(sol)) === 'Active' &&
      (await seasonsOf()).join() === [`${season.id}:Active`, `${spring.id}:Active`].sort().join()
        ? true
        : undefined,
    );
    // The second enrolment may reach the workflow after the first was provisioned: its grants follow.
    await waitFor("both seasons' grants", async () =>
      grantsOf().join() === 'Chat Agent @ E-Commerce,Voice Agent @ Holiday Overflow' ? true : undefined,
    );

    // Out of the holiday season's group: that season ends for Sol; spring keeps her Genesys user with its grant.
    okta.admin.removeUserFromGroup(sol, CHAT);
    await okta.deliverPending();
    await waitFor('holiday ended for sol', async () =>
      (await seasonsOf()).includes(`${season.id}:Deprovisioned`) ? true : undefined,
    );
    await waitFor('only the spring grant left', async () =>
      grantsOf().join() === 'Voice Agent @ Holiday Overflow' ? true : undefined,
    );
    expect(await seasonsOf()).toEqual([`${season.id}:Deprovisioned`, `${spring.id}:Active`].sort());
    expect({
      phase: await phaseOf(sol),
      active: genesysUser().active,
      deleted: genesysUser().deleted,
      home: genesysUser().homeDivision.name,
    }).toEqual({
      phase: 'Active',
      active: true,
      deleted: false,
      home: 'Holiday Overflow',
    });

    // Back in the group while the holiday season still runs: the enrolment that ended stays ended.
    const actionsBefore = (await oktaEventActions(client, ORG, sol)).length;
    okta.admin.addUserToGroup(sol, CHAT);
    await okta.deliverPending();
    // The re-add is read from Okta and refused: the holiday enrolment ended (no restart, no enrol).
    await waitFor('the re-add applied', async () =>
      (await oktaEventActions(client, ORG, sol))
        .slice(actionsBefore)
        .some((a) => a.seasonId === season.id && a.outcome === 'already-closed')
        ? true
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await seasonsOf()).toEqual([`${season.id}:Deprovisioned`, `${spring.id}:Active`].sort());
    expect(grantsOf()).toEqual(['Voice Agent @ Holiday Overflow']);

    // Okta deactivates her: every season she still holds ends (spring), and the person goes.
    okta.admin.deactivateUser(sol);
    await okta.deliverPending();
    const final = (await handle.result()) as SeasonalAgentState;
    // The person's reason names what ended their last seasons; the holiday season keeps its own reason.
    expect({ phase: final.phase, offboardReason: final.offboardReason }).toEqual({
      phase: 'Deprovisioned',
      offboardReason: 'Okta user deactivated',
    });
    // Enrolled in the order the two concurrent hook actions reached the workflow.
    expect([...final.enrolments].sort((a, b) => a.seasonId.localeCompare(b.seasonId))).toEqual(
      [
        {
          seasonId: season.id,
          seasonEndsAt: season.endsAt,
          phase: 'Deprovisioned',
          endReason: 'no seasonal Okta group left',
        },
        {
          seasonId: spring.id,
          seasonEndsAt: spring.endsAt,
          phase: 'Deprovisioned',
          endReason: 'Okta user deactivated',
        },
      ].sort((a, b) => a.seasonId.localeCompare(b.seasonId)),
    );
    expect(okta.inspect().memberships[okta.admin.getGroup(SPRING).id]).not.toContain(sol);
    expect({ active: genesysUser().active, grants: grantsOf() }).toEqual({ active: false, grants: [] });
  });
});
