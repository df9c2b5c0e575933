// The Genesys activities against the Genesys emulator over real HTTP, in a MockActivityEnvironment (as in
// Temporal's money-transfer template). The emulator is imported here only: the client never sees its code.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createGenesysActivities } from '../../activities/genesys';
import { NOT_FOUND_LAG_ATTEMPTS } from '../../activities/genesys-failures';
import type { OrgConnection } from '../../config/orgs';
import type { AgentIdentity } from '../../workflows/messages';
import { startGenesysEmulator, type GenesysEmulator, type GenesysEmulatorOptions } from '../../emulators/genesys';

const ORG = 'retail-us';
const NO_FAULTS = { errorRate: 0, dropRate: 0, throttleNext: 0, outageSeconds: 0, latencyMs: 0, latencyJitterMs: 0 };

let seq = 0;
function newAgent(): AgentIdentity {
  seq += 1;
  const login = `seasonal.${Date.now().toString(36)}.${seq}@retail.example.com`;
  return {
    oktaUserId: `00uIT${seq}`,
    login,
    email: login,
    givenName: 'Sam',
    familyName: `Temp${seq}`,
    employeeNumber: `S-${seq}`,
  };
}

async function startEnv(options: GenesysEmulatorOptions = {}, secret = 'emulator-retail-us-secret') {
  // One activity at a time, each used at once on what the last one made: the production-faithful lags are off here
  // unless a test asks for them (the lags are exercised end to end in rehire.test.ts and the workflow tests).
  const emulator = await startGenesysEmulator({
    port: 0,
    rateLimitPerMinute: 10_000,
    newUserNotFoundMs: 0,
    searchLagMs: 0,
    ...options,
  });
  const connection: OrgConnection = {
    orgId: ORG,
    genesys: {
      apiBaseUrl: emulator.url,
      loginBaseUrl: emulator.url,
      clientId: 'retail-us-provisioner',
      clientSecret: secret,
      requestsPerMinute: 10_000,
    },
  };
  return { emulator, activities: createGenesysActivities(new Map([[ORG, connection]])) };
}

/** Everything the activity environment logs (failed attempts are logged as warnings): checked for PII, not printed. */
const logLines: string[] = [];
const logger = new DefaultLogger('TRACE', (entry) => {
  logLines.push(
    `${entry.level} ${entry.message} ${JSON.stringify(entry.meta ?? {}, (_k, v: unknown) => (v instanceof Error ? v.message : v))}`,
  );
});

function env(attempt = 1): MockActivityEnvironment {
  return new MockActivityEnvironment({ attempt }, { logger });
}

/** MockActivityEnvironment.run cannot infer an activity's result type; explicit type arguments keep it. */
function run<I, R>(fn: (input: I) => Promise<R>, input: I, attempt = 1): Promise<R> {
  return env(attempt).run<[I], R, (input: I) => Promise<R>>(fn, input);
}

afterAll(() => {
  expect(logLines.length).toBeGreaterThan(0);
  for (const line of logLines)
    expect(line).not.toMatch(/retail\.example\.com|emulator-retail-us-secret|not-the-secret/);
});

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

/** API requests (not token requests) the emulator has counted since the last reset. */
function apiRequests(emulator: GenesysEmulator): number {
  return emulator
    .requestCounts()
    .entries.filter((e) => e.endpoint.includes('/api/v2/'))
    .reduce((n, e) => n + e.count, 0);
}

describe('Genesys activities against the emulator', () => {
  let emulator: GenesysEmulator;
  let activities: ReturnType<typeof createGenesysActivities>;
  let roles: Record<string, string>;
  let divisions: Record<string, string>;

  beforeAll(async () => {
    ({ emulator, activities } = await startEnv());
    roles = await run(activities.lookupRoles, { orgId: ORG, names: ['Voice Agent', 'Chat Agent', 'Supervisor'] });
    divisions = await run(activities.lookupDivisions, {
      orgId: ORG,
      names: ['Retail Stores', 'Returns & Exchanges', 'Holiday Overflow'],
    });
  });
  afterAll(async () => {
    await emulator.close();
  });
  afterEach(() => {
    emulator.setFaults(NO_FAULTS);
  });

  async function createdUser(
    agent = newAgent(),
    homeDivision = 'Retail Stores',
  ): Promise<{ agent: AgentIdentity; userId: string }> {
    const result = await run(activities.createUser, { orgId: ORG, agent, homeDivision });
    if (result.kind !== 'created') throw new Error('expected a created user');
    return { agent, userId: result.user.id };
  }

  it('looks roles and divisions up by exact name in one request each', async () => {
    const fixture = emulator.inspect(ORG);
    const idOf = (list: Array<{ id: string; name: string }>, name: string) => list.find((x) => x.name === name)?.id;
    expect(roles).toEqual({
      'Voice Agent': idOf(fixture.roles, 'Voice Agent'),
      'Chat Agent': idOf(fixture.roles, 'Chat Agent'),
      Supervisor: idOf(fixture.roles, 'Supervisor'),
    });
    expect(divisions['Returns & Exchanges']).toBe(idOf(fixture.divisions, 'Returns & Exchanges'));
    expect(Object.keys(divisions)).toHaveLength(3);

    emulator.resetCounts();
    await expect(run(activities.lookupRoles, { orgId: ORG, names: ['voice agent', 'No Such Role'] })).resolves.toEqual(
      {},
    );
    await expect(run(activities.lookupDivisions, { orgId: ORG, names: ['Holiday Overflow'] })).resolves.toEqual({
      'Holiday Overflow': divisions['Holiday Overflow'],
    });
    expect(apiRequests(emulator)).toBe(2);
  });

  it('creates a user with home division and externalId, finds it, and answers a second create with conflict', async () => {
    const agent = newAgent();
    const created = await run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Retail Stores' });
    expect(created).toMatchObject({
      kind: 'created',
      user: { userName: agent.login, active: true, externalId: agent.oktaUserId },
    });
    if (created.kind !== 'created') return;

    const stored = emulator.inspect(ORG).users.find((u) => u.id === created.user.id);
    expect(stored).toMatchObject({
      externalId: agent.oktaUserId,
      active: true,
      homeDivision: { name: 'Retail Stores' },
    });

    await expect(run(activities.findUserByUserName, { orgId: ORG, userName: agent.login })).resolves.toMatchObject({
      id: created.user.id,
      homeDivision: 'Retail Stores',
    });
    await expect(run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Retail Stores' })).resolves.toEqual({
      kind: 'conflict',
    });
    expect(emulator.inspect(ORG).users.filter((u) => u.userName === agent.login)).toHaveLength(1);
  });

  it('findUserByUserName returns null for an unknown login', async () => {
    await expect(
      run(activities.findUserByUserName, { orgId: ORG, userName: 'nobody.here@retail.example.com' }),
    ).resolves.toBeNull();
  });

  it('adds, reads and removes division-scoped grants; repeats are harmless; one API request per activity', async () => {
    const { userId } = await createdUser();
    const voiceRetail = { roleId: roles['Voice Agent']!, divisionId: divisions['Retail Stores']! };
    const chatReturns = { roleId: roles['Chat Agent']!, divisionId: divisions['Returns & Exchanges']! };

    emulator.resetCounts();
    await run(activities.addGrants, { orgId: ORG, userId, grants: [voiceRetail, chatReturns] });
    expect(apiRequests(emulator)).toBe(1);
    await run(activities.addGrants, { orgId: ORG, userId, grants: [voiceRetail, chatReturns] }, 2);

    const held = await run(activities.getGrants, { orgId: ORG, userId });
    expect(held).toEqual(expect.arrayContaining([voiceRetail, chatReturns]));
    // Only direct grants come back, without duplicates from the repeated add.
    expect(held.filter((g) => g.roleId === voiceRetail.roleId && g.divisionId === voiceRetail.divisionId)).toHaveLength(
      1,
    );

    await run(activities.removeGrants, { orgId: ORG, userId, grants: [chatReturns] });
    await run(activities.removeGrants, { orgId: ORG, userId, grants: [chatReturns] }, 2);
    const after = await run(activities.getGrants, { orgId: ORG, userId });
    expect(after).toContainEqual(voiceRetail);
    expect(after).not.toContainEqual(chatReturns);
  });

  it('moves the home division', async () => {
    const { userId } = await createdUser();
    await run(activities.moveHomeDivision, { orgId: ORG, userId, divisionId: divisions['Holiday Overflow']! });
    expect(emulator.inspect(ORG).users.find((u) => u.id === userId)?.homeDivision.name).toBe('Holiday Overflow');
  });

  it('deactivates (idempotently), reactivates, deletes, and treats deleting again as done', async () => {
    const { userId } = await createdUser();
    await run(activities.setUserActive, { orgId: ORG, userId, active: false });
    await run(activities.setUserActive, { orgId: ORG, userId, active: false }, 2);
    expect(emulator.inspect(ORG).users.find((u) => u.id === userId)).toMatchObject({
      active: false,
      state: 'inactive',
    });

    await run(activities.setUserActive, { orgId: ORG, userId, active: true });
    expect(emulator.inspect(ORG).users.find((u) => u.id === userId)?.active).toBe(true);

    await run(activities.deleteUser, { orgId: ORG, userId });
    expect(emulator.inspect(ORG).users.find((u) => u.id === userId)).toMatchObject({ deleted: true });
    await expect(run(activities.deleteUser, { orgId: ORG, userId }, 2)).resolves.toBeUndefined();
  });

  it('429 → retryable GenesysRateLimited whose nextRetryDelay is Retry-After', async () => {
    emulator.setFaults({ throttleNext: 1, throttleRetryAfterSeconds: 4 });
    const f = await failureOf(run(activities.findUserByUserName, { orgId: ORG, userName: 'x@retail.example.com' }));
    expect(f).toMatchObject({ type: 'GenesysRateLimited', nonRetryable: false, nextRetryDelay: 4000 });
    expect(f.message).not.toContain('retail.example.com');
  });

  it('5xx → retryable GenesysServerError', async () => {
    const { userId } = await createdUser();
    emulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    const f = await failureOf(run(activities.getGrants, { orgId: ORG, userId }));
    expect(f).toMatchObject({ type: 'GenesysServerError', nonRetryable: false });
    expect(f.message).toContain('→ 503');
  });

  it('a create whose response is dropped is retryable, and its retry adopts the committed user (exactly one)', async () => {
    const agent = newAgent();
    emulator.setFaults({ dropRate: 1 });
    const f = await failureOf(run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Retail Stores' }, 1));
    expect(f).toMatchObject({ type: 'GenesysServerError', nonRetryable: false });
    emulator.setFaults({ dropRate: 0 });

    await expect(run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Retail Stores' }, 2)).resolves.toEqual({
      kind: 'conflict',
    });
    const adopted = await run(activities.findUserByUserName, { orgId: ORG, userName: agent.login });
    const users = emulator.inspect(ORG).users.filter((u) => u.userName === agent.login);
    expect(users).toHaveLength(1);
    expect(adopted?.id).toBe(users[0]!.id);
  });

  it('a dropped bulkadd response is retryable and the retry leaves the grant exactly once', async () => {
    const { userId } = await createdUser();
    const grant = { roleId: roles['Supervisor']!, divisionId: divisions['Retail Stores']! };
    emulator.setFaults({ dropRate: 1 });
    expect(await failureOf(run(activities.addGrants, { orgId: ORG, userId, grants: [grant] }, 1))).toMatchObject({
      type: 'GenesysServerError',
      nonRetryable: false,
    });
    emulator.setFaults({ dropRate: 0 });
    await run(activities.addGrants, { orgId: ORG, userId, grants: [grant] }, 2);
    const grants = emulator.inspect(ORG).users.find((u) => u.id === userId)!.grants;
    expect(grants.filter((g) => g.roleId === grant.roleId && g.divisionId === grant.divisionId)).toHaveLength(1);
  });

  it('bulkadd with an unknown role id → non-retryable GenesysNotFound naming the ids, once past the lag window', async () => {
    const { userId } = await createdUser();
    const grants = [{ roleId: '00000000-0000-4000-8000-00000000dead', divisionId: divisions['Retail Stores']! }];
    // The 404's text names nothing: whether it is final is decided by the time since the create (30 s window)…
    const f = await failureOf(
      run(activities.addGrants, { orgId: ORG, userId, grants, userCreatedAt: Date.now() - 31_000 }, 1),
    );
    expect(f).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
    expect(f.message).toContain('00000000-0000-4000-8000-00000000dead');
    // …or, when the caller does not say when it created the user, by the attempt.
    const last = await failureOf(run(activities.addGrants, { orgId: ORG, userId, grants }, NOT_FOUND_LAG_ATTEMPTS + 1));
    expect(last).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
  });

  it('a wrong client secret ends as a non-retryable ConfigError without the secret', async () => {
    const bad = await startEnv({}, 'not-the-secret');
    try {
      const first = await failureOf(run(bad.activities.lookupRoles, { orgId: ORG, names: ['Voice Agent'] }, 1));
      expect(first).toMatchObject({ type: 'GenesysUnauthorized', nonRetryable: false });
      const last = await failureOf(run(bad.activities.lookupRoles, { orgId: ORG, names: ['Voice Agent'] }, 3));
      expect(last).toMatchObject({ type: 'ConfigError', nonRetryable: true });
      expect(last.message).not.toContain('not-the-secret');
    } finally {
      await bad.emulator.close();
    }
  });
});

describe('Genesys activities right after a create (emulated eventual consistency)', () => {
  let emulator: GenesysEmulator;
  let activities: ReturnType<typeof createGenesysActivities>;

  beforeAll(async () => {
    ({ emulator, activities } = await startEnv({ newUserNotFoundMs: 60_000 }));
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('404 on grants for a new user: retryable while attempt ≤ 5, then non-retryable GenesysNotFound', async () => {
    const agent = newAgent();
    const created = await run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Home' });
    if (created.kind !== 'created') throw new Error('expected a created user');
    const userId = created.user.id;
    const fixture = emulator.inspect(ORG);
    const grant = {
      roleId: fixture.roles.find((r) => r.name === 'Voice Agent')!.id,
      divisionId: fixture.divisions.find((d) => d.name === 'E-Commerce')!.id,
    };

    expect(await failureOf(run(activities.addGrants, { orgId: ORG, userId, grants: [grant] }, 1))).toMatchObject({
      type: 'GenesysNotFoundYet',
      nonRetryable: false,
    });
    expect(await failureOf(run(activities.getGrants, { orgId: ORG, userId }, 5))).toMatchObject({
      type: 'GenesysNotFoundYet',
      nonRetryable: false,
    });
    const last = await failureOf(run(activities.addGrants, { orgId: ORG, userId, grants: [grant] }, 6));
    expect(last).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
    expect(last.message).toContain(grant.roleId);
  });
});
