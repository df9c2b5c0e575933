// The Genesys activities over the unit fake, in a MockActivityEnvironment: which answers are success, which
// failures they become at which attempt. The emulator-backed integration test covers the same activities end
// to end; this file pins the cases an emulator may not produce on demand (404 kinds, invalidVers, attempts).
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createGenesysActivities, TAKEN_LOOKUP_ATTEMPTS } from '../../activities/genesys';
import type { OrgConnection } from '../../config/orgs';
import type { AgentIdentity } from '../../workflows/messages';
import { GenesysClient } from '../../integrations/genesys';
import { fakeConnection, startFakeGenesys, type FakeGenesys } from './genesys-fake-api';

const ORG = 'unit-org';
const agent: AgentIdentity = {
  oktaUserId: '00uA',
  login: 'a.temp@example.com',
  email: 'a.temp@example.com',
  givenName: 'Ann',
  familyName: 'Temp',
};
const grants = [
  { roleId: 'role-voice', divisionId: 'div-retail' },
  { roleId: 'role-chat', divisionId: 'div-returns' },
];

/** Keeps what the activity environment logs, so the tests can check it for PII instead of printing it. */
function capturingLogger(lines: string[]): DefaultLogger {
  return new DefaultLogger('TRACE', (entry) => {
    lines.push(
      `${entry.level} ${entry.message} ${JSON.stringify(entry.meta ?? {}, (_k, v: unknown) => (v instanceof Error ? v.message : v))}`,
    );
  });
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

describe('Genesys activities (unit fake)', () => {
  let fake: FakeGenesys;
  let activities: ReturnType<typeof createGenesysActivities>;
  let logLines: string[];
  const env = (attempt = 1) => new MockActivityEnvironment({ attempt }, { logger: capturingLogger(logLines) });

  /** MockActivityEnvironment.run cannot infer an activity's result type; explicit type arguments keep it. */
  function run<I, R>(fn: (input: I) => Promise<R>, input: I, attempt = 1): Promise<R> {
    return env(attempt).run<[I], R, (input: I) => Promise<R>>(fn, input);
  }

  beforeEach(async () => {
    logLines = [];
    fake = await startFakeGenesys();
    const connections = new Map<string, OrgConnection>([[ORG, { orgId: ORG, genesys: fakeConnection(fake) }]]);
    activities = createGenesysActivities(connections);
  });
  afterEach(async () => {
    await fake.close();
    // Whatever happened in the test, the agent's login/email never reached a log line.
    for (const line of logLines) expect(line).not.toContain('example.com');
  });

  it('builds one client per org from OrgConnections (one token for many activities)', async () => {
    fake.setHandler(() => ({ status: 204 }));
    await run(activities.setUserActive, { orgId: ORG, userId: 'u1', active: false });
    await run(activities.deleteUser, { orgId: ORG, userId: 'u1' });
    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('also takes ready clients, and names an unknown org as a ConfigError', async () => {
    fake.setHandler(() => ({ status: 204 }));
    const withClients = createGenesysActivities(new Map([[ORG, new GenesysClient(fakeConnection(fake))]]));
    await run(withClients.deleteUser, { orgId: ORG, userId: 'u1' });
    const f = await failureOf(run(withClients.deleteUser, { orgId: 'nope', userId: 'u1' }));
    expect(f).toMatchObject({ type: 'ConfigError', nonRetryable: true });
    expect(f.message).toContain('"nope"');
  });

  it('createUser: 201 → created with the home division; 409 → conflict (not an error)', async () => {
    fake.setHandler(() => ({
      status: 201,
      body: {
        id: 'u1',
        userName: agent.login,
        active: true,
        externalId: '00uA',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { division: 'Retail Stores' },
      },
    }));
    await expect(run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Retail Stores' })).resolves.toEqual({
      kind: 'created',
      user: { id: 'u1', userName: agent.login, active: true, externalId: '00uA', homeDivision: 'Retail Stores' },
    });

    fake.setHandler(() => ({
      status: 409,
      body: { status: '409', scimType: 'uniqueness', detail: 'User name already in use by non-deleted user.' },
    }));
    await expect(run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Retail Stores' }, 2)).resolves.toEqual({
      kind: 'conflict',
    });
  });

  it('findUserByUserName: null when none, prefers the exact active match', async () => {
    fake.setHandler(() => ({ status: 200, body: { totalResults: 0 } }));
    await expect(run(activities.findUserByUserName, { orgId: ORG, userName: agent.login })).resolves.toBeNull();

    fake.setHandler(() => ({
      status: 200,
      body: {
        totalResults: 3,
        Resources: [
          { id: 'other', userName: 'someone@example.com', active: true },
          { id: 'old', userName: agent.login, active: false },
          { id: 'live', userName: agent.login, active: true },
        ],
      },
    }));
    await expect(run(activities.findUserByUserName, { orgId: ORG, userName: agent.login })).resolves.toEqual({
      id: 'live',
      userName: agent.login,
      active: true,
    });
  });

  it('deleteUser: 404 means already deleted', async () => {
    fake.setHandler(() => ({
      status: 404,
      body: { message: 'The requested resource was not found.', code: 'not.found', status: 404 },
    }));
    await expect(run(activities.deleteUser, { orgId: ORG, userId: 'gone' })).resolves.toBeUndefined();
  });

  it('addGrants: a 404 for the (maybe new) user is retried for 5 attempts, then names the ids', async () => {
    fake.setHandler(() => ({
      status: 404,
      body: { message: 'The requested resource was not found.', code: 'not.found', status: 404 },
    }));
    expect(await failureOf(run(activities.addGrants, { orgId: ORG, userId: 'u1', grants }, 5))).toMatchObject({
      type: 'GenesysNotFoundYet',
      nonRetryable: false,
    });
    const last = await failureOf(run(activities.addGrants, { orgId: ORG, userId: 'u1', grants }, 6));
    expect(last).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
    expect(last.message).toContain('roles [role-voice, role-chat]; divisions [div-retail, div-returns]');
  });

  it('addGrants: a 404 within 30 s of the workflow’s create is retried after 2 s, later final with the ids, whatever its text', async () => {
    for (const body of [
      { message: 'Role not found', code: 'role.not.found', status: 404 },
      { message: 'The requested resource was not found.', code: 'not.found', status: 404 },
    ]) {
      fake.setHandler(() => ({ status: 404, body }));
      const early = await failureOf(
        run(activities.addGrants, { orgId: ORG, userId: 'u1', grants, userCreatedAt: Date.now() - 1_000 }, 9),
      );
      expect(early).toMatchObject({ type: 'GenesysNotFoundYet', nonRetryable: false, nextRetryDelay: 2_000 });
      const late = await failureOf(
        run(activities.addGrants, { orgId: ORG, userId: 'u1', grants, userCreatedAt: Date.now() - 31_000 }, 2),
      );
      expect(late).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
      expect(late.message).toContain('roles [role-voice, role-chat]; divisions [div-retail, div-returns]');
    }
  });

  it('removeGrants: any 404 (the user, a role or a division gone) leaves nothing to remove', async () => {
    for (const body of [
      { message: 'Role not found', code: 'role.not.found', status: 404 },
      { message: 'The requested resource was not found.', code: 'not.found', status: 404 },
    ]) {
      fake.setHandler(() => ({ status: 404, body }));
      await expect(run(activities.removeGrants, { orgId: ORG, userId: 'u1', grants })).resolves.toBeUndefined();
    }
  });

  it('findUserInAnyState: one users search; taken but not found is retried, then final', async () => {
    fake.setHandler(() => ({ status: 200, body: { total: 0, pageCount: 0, results: [] } }));
    await expect(run(activities.findUserInAnyState, { orgId: ORG, userName: agent.login })).resolves.toBeNull();
    expect(
      await failureOf(
        run(activities.findUserInAnyState, { orgId: ORG, userName: agent.login, retryIfMissing: true }, 1),
      ),
    ).toMatchObject({ type: 'GenesysNotFoundYet', nonRetryable: false });
    expect(
      await failureOf(
        run(
          activities.findUserInAnyState,
          { orgId: ORG, userName: agent.login, retryIfMissing: true },
          TAKEN_LOOKUP_ATTEMPTS,
        ),
      ),
    ).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
    expect(fake.requests.every((r) => r.method === 'POST' && r.path === '/api/v2/users/search')).toBe(true);
    fake.setHandler(() => ({
      status: 200,
      body: {
        total: 2,
        results: [
          { id: 'old', email: agent.login, state: 'deleted', version: 3, division: { id: 'h', name: 'Home' } },
          { id: 'older', email: agent.login, state: 'deleted', version: 2 },
        ],
      },
    }));
    await expect(run(activities.findUserInAnyState, { orgId: ORG, userName: agent.login })).resolves.toEqual({
      id: 'old',
      state: 'deleted',
      version: 3,
      homeDivision: 'Home',
    });
  });

  it('restoreUser: PATCH {state, version}; a 409 is "stale" (search again), never retried with the same version', async () => {
    const bodies: unknown[] = [];
    fake.setHandler((req) => {
      if (req.path === '/api/v2/users/u1') bodies.push([req.method, req.body]);
      return {
        status: 200,
        body: { id: 'u1', email: agent.login, state: 'active', version: 5, division: { id: 'h', name: 'Home' } },
      };
    });
    await expect(run(activities.restoreUser, { orgId: ORG, userId: 'u1', version: 4 })).resolves.toEqual({
      kind: 'restored',
      user: { id: 'u1', userName: agent.login, active: true, homeDivision: 'Home' },
    });
    expect(bodies).toEqual([['PATCH', { state: 'active', version: 4 }]]);
    fake.setHandler(() => ({ status: 409, body: { code: 'general.conflict', status: 409, message: 'x' } }));
    await expect(run(activities.restoreUser, { orgId: ORG, userId: 'u1', version: 4 })).resolves.toEqual({
      kind: 'stale',
    });
  });

  it('addGrants/removeGrants of nothing make no call', async () => {
    await run(activities.addGrants, { orgId: ORG, userId: 'u1', grants: [] });
    await run(activities.removeGrants, { orgId: ORG, userId: 'u1', grants: [] });
    expect(fake.requests).toHaveLength(0);
  });

  it('setUserActive: a version conflict (400 invalidVers) is retried, then GenesysConflict', async () => {
    fake.setHandler(() => ({
      status: 400,
      body: { status: '400', scimType: 'invalidVers', detail: 'Version does not match current version.' },
    }));
    expect(
      await failureOf(run(activities.setUserActive, { orgId: ORG, userId: 'u1', active: false }, 1)),
    ).toMatchObject({ type: 'GenesysConflictRetrying', nonRetryable: false });
    expect(
      await failureOf(run(activities.setUserActive, { orgId: ORG, userId: 'u1', active: false }, 3)),
    ).toMatchObject({ type: 'GenesysConflict', nonRetryable: true });
  });

  it("a 400 on create is a non-retryable GenesysBadRequest without the agent's email", async () => {
    fake.setHandler(() => ({
      status: 400,
      body: { message: `Invalid email ${agent.email}`, code: 'bad.request', status: 400 },
    }));
    const f = await failureOf(run(activities.createUser, { orgId: ORG, agent, homeDivision: 'Home' }));
    expect(f).toMatchObject({ type: 'GenesysBadRequest', nonRetryable: true });
    expect(f.message).not.toContain(agent.email);
    expect(logLines.some((l) => l.includes('GenesysBadRequest') || l.includes('400'))).toBe(true);
  });

  it('lookups: one GET each, exact case-sensitive names, name filter only for a single name', async () => {
    fake.setHandler((req) =>
      req.path.endsWith('/roles')
        ? {
            status: 200,
            body: {
              entities: [
                { id: 'r1', name: 'Voice Agent' },
                { id: 'r2', name: 'voice agent' },
                { id: 'r3', name: 'Chat Agent' },
              ],
              pageNumber: 1,
              pageCount: 1,
            },
          }
        : { status: 200, body: { entities: [{ id: 'd1', name: 'Returns & Exchanges' }], pageNumber: 1, pageCount: 1 } },
    );
    await expect(
      run(activities.lookupRoles, { orgId: ORG, names: ['Voice Agent', 'Chat Agent', 'Missing'] }),
    ).resolves.toEqual({ 'Voice Agent': 'r1', 'Chat Agent': 'r3' });
    await expect(run(activities.lookupDivisions, { orgId: ORG, names: ['Returns & Exchanges'] })).resolves.toEqual({
      'Returns & Exchanges': 'd1',
    });
    expect(fake.requests.map((r) => [r.path, r.query.get('name'), r.query.get('pageSize')])).toEqual([
      ['/api/v2/authorization/roles', null, '100'],
      ['/api/v2/authorization/divisions', 'Returns & Exchanges', '100'],
    ]);
  });
});
