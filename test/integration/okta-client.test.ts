// The Okta client against the emulator over real HTTP: reads, Link paging, group lookup by name, idempotent
// removal, deactivation, and typed errors (429 with its wait, 5xx, network, 401) without PII in messages.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';
import { isOktaApiError, OktaApiError, OktaClient } from '../../integrations/okta';

const AGENTS = '00gholidayagents01a7';
const CHAT = '00gholidaychat001a7x';
const AVA = '00uretailagent0001a7';
const BEN = '00uretailagent0002a7';

let emulator: OktaEmulator;
let client: OktaClient;

async function caught(promise: Promise<unknown>): Promise<OktaApiError> {
  try {
    await promise;
  } catch (err) {
    if (isOktaApiError(err)) return err;
    throw err;
  }
  throw new Error('expected an OktaApiError');
}

beforeEach(async () => {
  emulator = await startOktaEmulator({ fixture: 'retail' });
  client = new OktaClient({ orgUrl: emulator.url, apiToken: emulator.apiToken });
});
afterEach(async () => {
  await emulator.close();
});

describe('OktaClient', () => {
  it('reads a user and all of their groups, following Link paging past 200 groups', async () => {
    const user = await client.getUser(BEN);
    expect(user).toMatchObject({
      id: BEN,
      status: 'ACTIVE',
      profile: {
        login: 'ben.okafor@retail.example.com',
        firstName: 'Ben',
        lastName: 'Okafor',
        employeeNumber: 'S-1002',
      },
    });

    for (let i = 0; i < 205; i++) {
      const g = emulator.admin.createGroup({ name: `Store-${String(i).padStart(3, '0')}` });
      emulator.admin.addUserToGroup(AVA, g.id);
    }
    const groups = await client.listUserGroups(AVA);
    expect(groups).toHaveLength(207);
    expect(new Set(groups.map((g) => g.id)).size).toBe(207);
    const calls = emulator.inspect().apiRequests.filter((r) => r.path === `/api/v1/users/${AVA}/groups`);
    expect(calls).toHaveLength(2);
  });

  it("lists a group's members across pages", async () => {
    const members = await client.listGroupMembers(AGENTS, { pageSize: 2 });
    expect(members.map((u) => u.id).sort()).toEqual([AVA, BEN, '00uretailagent0005a7'].sort());
    expect(emulator.inspect().apiRequests.filter((r) => r.path.endsWith(`/groups/${AGENTS}/users`))).toHaveLength(2);
  });

  it('finds a group by exact name, falls back to a single case-insensitive match, else null', async () => {
    expect((await client.findGroupByName('Retail-Holiday-Chat'))?.id).toBe(CHAT);
    expect((await client.findGroupByName('retail-holiday-chat'))?.id).toBe(CHAT);
    expect(await client.findGroupByName('Retail-Holiday')).toBeNull();
    emulator.admin.createGroup({ name: 'Say "hi"' });
    expect((await client.findGroupByName('Say "hi"'))?.profile.name).toBe('Say "hi"');
  });

  it('removes a member idempotently: 204 is removed, 404 is absent', async () => {
    expect(await client.removeUserFromGroup(CHAT, BEN)).toBe('removed');
    expect(await client.removeUserFromGroup(CHAT, BEN)).toBe('removed');
    expect(await client.removeUserFromGroup('00gnosuchgroup000000', BEN)).toBe('absent');
    expect(emulator.inspect().memberships[CHAT]).not.toContain(BEN);
    expect(emulator.inspect().outbox.map((e) => e.eventType)).toEqual(['group.user_membership.remove']);
  });

  it("deactivates a user; a second call is Okta's 404", async () => {
    await client.deactivateUser(AVA);
    expect(emulator.admin.getUser(AVA).status).toBe('DEPROVISIONED');
    const again = await caught(client.deactivateUser(AVA));
    expect(again).toMatchObject({
      kind: 'NotFound',
      status: 404,
      errorCode: 'E0000007',
      operation: 'POST /api/v1/users/{userId}/lifecycle/deactivate',
    });
    expect(again.message).not.toContain('retail.example.com');
  });

  it('types a 429 with the wait until X-Rate-Limit-Reset', async () => {
    emulator.admin.setRateLimit({ perMinute: 1, windowMs: 60_000 });
    await client.getUser(AVA);
    const limited = await caught(client.getUser(AVA));
    expect(limited).toMatchObject({ kind: 'RateLimited', status: 429, errorCode: 'E0000047' });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(62_000);
  });

  it('types 5xx, dropped connections, refused connections and a wrong token', async () => {
    emulator.admin.injectFault({ status: 500 });
    expect(await caught(client.getUser(AVA))).toMatchObject({
      kind: 'ServerError',
      status: 500,
      errorCode: 'E0000009',
    });
    emulator.admin.injectFault({ dropConnection: true });
    expect(await caught(client.getUser(AVA))).toMatchObject({ kind: 'ServerError', networkCode: expect.any(String) });

    const closed = new OktaClient({ orgUrl: 'http://127.0.0.1:1', apiToken: 'x' });
    expect(await caught(closed.getUser(AVA))).toMatchObject({ kind: 'ServerError', networkCode: 'ECONNREFUSED' });
    const wrongToken = new OktaClient({ orgUrl: emulator.url, apiToken: 'not-the-token' });
    const unauthorized = await caught(wrongToken.listUserGroups(AVA));
    expect(unauthorized).toMatchObject({ kind: 'Unauthorized', status: 401, errorCode: 'E0000011' });
    expect(unauthorized.message).not.toContain('not-the-token');
  });

  it('refuses to follow a next link to another host (the token goes only to the org)', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.setHeader('link', '<https://evil.example.com/api/v1/users/x/groups?after=1>; rel="next"');
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const foreign = new OktaClient({
        orgUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        apiToken: 't',
      });
      expect(await caught(foreign.listUserGroups(AVA))).toMatchObject({ kind: 'InvalidResponse' });
      expect(seen).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('rejects a body that does not match the schema, naming paths but not values', async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: AVA, status: 'WEIRD', profile: { login: 'ava@example.com' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const odd = new OktaClient({
        orgUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        apiToken: 't',
      });
      const err = await caught(odd.getUser(AVA));
      expect(err.kind).toBe('InvalidResponse');
      expect(err.message).toContain('status');
      expect(err.message).not.toContain('ava@example.com');
    } finally {
      server.close();
    }
  });
});
