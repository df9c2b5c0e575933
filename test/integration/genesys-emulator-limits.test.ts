// Rate limit and fault injection on the Genesys emulator. Windows are shortened (the limit is per window) so
// the file runs in seconds.
import { startGenesysEmulator, type GenesysEmulator, type RequestCounts } from '../../emulators/genesys';
import {
  NO_LAGS,
  OUTLET,
  RETAIL,
  call,
  createUser,
  getToken,
  newUserBody,
  uniqueUserName,
} from './genesys-emulator-helpers';

const HOME = '/api/v2/authorization/divisions/home';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `n` GETs in batches of 50 and returns their statuses and Retry-After headers in order. */
async function burst(
  base: string,
  token: string,
  n: number,
): Promise<Array<{ status: number; retryAfter: string | null; body: Record<string, unknown> }>> {
  const results: Array<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> = [];
  for (let sent = 0; sent < n; sent += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - sent) }, async () => {
        const res = await call(base, 'GET', HOME, { token });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body };
      }),
    );
    results.push(...batch);
  }
  return results;
}

describe('Genesys emulator: rate limit', () => {
  it('a burst of 400 requests gets 429 with Retry-After once the 300 budget is spent; accepted = limit within 1%', async () => {
    const emulator = await startGenesysEmulator({ rateLimitWindowMs: 10_000 });
    try {
      const token = await getToken(emulator.url); // the token request spends 1 of the 300
      const results = await burst(emulator.url, token, 400);
      const accepted = results.filter((r) => r.status === 200).length + 1;
      const limited = results.filter((r) => r.status === 429);
      expect(Math.abs(accepted - 300)).toBeLessThanOrEqual(3);
      expect(limited.length + accepted).toBe(401);
      for (const r of limited) {
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(r.retryAfter)).toBeLessThanOrEqual(10);
        expect(r.body).toMatchObject({
          status: 429,
          code: 'too.many.requests.retry.after',
          message: `Rate limit exceeded the maximum. Retry the request in [${r.retryAfter}] seconds`,
        });
      }
      const counts = emulator.requestCounts();
      expect(counts.faults.rateLimited429).toBe(limited.length);
      expect(counts.entries).toContainEqual({
        orgId: RETAIL.orgId,
        clientId: RETAIL.clientId,
        endpoint: `GET ${HOME}`,
        status: 429,
        count: limited.length,
      });
    } finally {
      await emulator.close();
    }
  });

  it('is per OAuth client (shared by its tokens), rolls over after the window, and can be changed at run time', async () => {
    const emulator = await startGenesysEmulator({ rateLimitPerMinute: 20, rateLimitWindowMs: 1000 });
    try {
      const first = await getToken(emulator.url);
      const second = await getToken(emulator.url);
      const a = await burst(emulator.url, first, 10);
      const b = await burst(emulator.url, second, 15);
      // 2 token requests + 25 reads against a budget of 20.
      expect([...a, ...b].filter((r) => r.status === 200)).toHaveLength(18);
      const outlet = await getToken(emulator.url, OUTLET);
      expect((await call(emulator.url, 'GET', HOME, { token: outlet })).status).toBe(200);

      await sleep(1050);
      expect((await call(emulator.url, 'GET', HOME, { token: first })).status).toBe(200);

      emulator.setRateLimit(5, 60_000);
      const after = await burst(emulator.url, first, 10);
      expect(after.filter((r) => r.status === 200).length).toBeLessThanOrEqual(5);
      expect(after.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(5);
    } finally {
      await emulator.close();
    }
  });
});

describe('Genesys emulator: faults', () => {
  let emulator: GenesysEmulator;
  let token: string;
  beforeAll(async () => {
    // Faults only: the production-faithful lags are off here (they have their own tests).
    emulator = await startGenesysEmulator({ ...NO_LAGS, rateLimitPerMinute: 100_000, seed: 42 });
    token = await getToken(emulator.url);
  });
  afterEach(() => {
    emulator.setFaults({
      latencyMs: 0,
      latencyJitterMs: 0,
      errorRate: 0,
      dropRate: 0,
      throttleNext: 0,
      outageSeconds: 0,
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const userCount = () => emulator.inspect(RETAIL.orgId).users.length;

  it('adds latency', async () => {
    emulator.setFaults({ latencyMs: 150 });
    const started = Date.now();
    expect((await call(emulator.url, 'GET', HOME, { token })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('answers a fraction of requests with 5xx, before anything is written, deterministically for a seed', async () => {
    emulator.setFaults({ errorRate: 0.3, errorStatuses: [500, 503] });
    const statuses = (await burst(emulator.url, token, 200)).map((r) => r.status);
    const failures = statuses.filter((s) => s >= 500);
    expect(failures.length).toBeGreaterThan(30);
    expect(failures.length).toBeLessThan(90);
    expect(new Set(failures)).toEqual(new Set([500, 503]));

    emulator.setFaults({ errorRate: 1 });
    const before = userCount();
    const res = await call(emulator.url, 'POST', '/api/v2/scim/v2/users', {
      token,
      body: newUserBody(uniqueUserName()),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body).toMatchObject({ status: res.status, code: expect.any(String), message: expect.any(String) });
    expect(userCount()).toBe(before);

    // Same seed, same request sequence → same faults.
    const sequence = async () => {
      const e = await startGenesysEmulator({ rateLimitPerMinute: 100_000, seed: 7 });
      try {
        const t = await getToken(e.url);
        e.setFaults({ errorRate: 0.5 });
        const out: number[] = [];
        for (let i = 0; i < 30; i += 1) out.push((await call(e.url, 'GET', HOME, { token: t })).status);
        return out;
      } finally {
        await e.close();
      }
    };
    const [one, two] = [await sequence(), await sequence()];
    expect(one).toEqual(two);
    expect(one.some((s) => s >= 500) && one.some((s) => s === 200)).toBe(true);
  });

  it('commit-then-drop: the write happens, the client sees its connection reset', async () => {
    emulator.setFaults({ dropRate: 1 });
    const userName = uniqueUserName('dropped');
    const res = fetch(`${emulator.url}/api/v2/scim/v2/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(newUserBody(userName)),
    });
    await expect(res).rejects.toThrow();
    const created = emulator.inspect(RETAIL.orgId).users.find((u) => u.userName === userName);
    expect(created).toBeDefined();

    // A 204 write (bulkadd) is dropped the same way, after the grant is made.
    const trainer = emulator.inspect(RETAIL.orgId).roles.find((r) => r.name === 'Trainer')?.id;
    const bulkadd = fetch(`${emulator.url}/api/v2/authorization/subjects/${created?.id ?? ''}/bulkadd`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ grants: [{ roleId: trainer, divisionId: '*' }] }),
    });
    await expect(bulkadd).rejects.toThrow();
    expect(emulator.inspect(RETAIL.orgId).users.find((u) => u.userName === userName)?.grants).toContainEqual(
      expect.objectContaining({ roleName: 'Trainer', divisionId: '*' }),
    );

    // Reads are never dropped; a retried create now meets the committed user.
    expect((await call(emulator.url, 'GET', HOME, { token })).status).toBe(200);
    emulator.setFaults({ dropRate: 0 });
    expect(
      (await call(emulator.url, 'POST', '/api/v2/scim/v2/users', { token, body: newUserBody(userName) })).status,
    ).toBe(409);
    expect(emulator.requestCounts().faults.droppedAfterCommit).toBeGreaterThanOrEqual(1);
  });

  it('forces a burst of 429s regardless of the budget', async () => {
    emulator.setFaults({ throttleNext: 5, throttleRetryAfterSeconds: 3 });
    const results = await burst(emulator.url, token, 8);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(5);
    expect(limited.every((r) => r.retryAfter === '3')).toBe(true);
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(emulator.getFaults().throttleNext).toBe(0);
    // Forced 429s are counted against the client that received them.
    expect(emulator.requestCounts().entries).toContainEqual(
      expect.objectContaining({ clientId: RETAIL.clientId, endpoint: `GET ${HOME}`, status: 429 }),
    );
  });

  it('a maintenance outage answers 503 with Retry-After for N seconds, token endpoint included, then recovers', async () => {
    emulator.setFaults({ outageSeconds: 1 });
    const down = await call(emulator.url, 'GET', HOME, { token });
    expect(down).toMatchObject({ status: 503, body: { status: 503, code: 'service.unavailable' } });
    expect(down.headers.get('retry-after')).toBe('1');
    await expect(getToken(emulator.url)).rejects.toThrow(/503/);
    // The control API is never faulted.
    expect((await fetch(`${emulator.url}/__emulator/health`)).status).toBe(200);
    await sleep(1050);
    expect((await call(emulator.url, 'GET', HOME, { token })).status).toBe(200);
  });

  it('faults can be set at start and changed over HTTP at run time', async () => {
    const e = await startGenesysEmulator({ faults: { outageSeconds: 30 } });
    try {
      expect((await call(e.url, 'POST', '/oauth/token')).status).toBe(503);
      const set = await call<{ outageUntil: string | null; latencyMs: number }>(e.url, 'POST', '/__emulator/faults', {
        body: { outageSeconds: 0, latencyMs: 5 },
      });
      expect(set).toMatchObject({ status: 200, body: { outageUntil: null, latencyMs: 5 } });
      expect((await call(e.url, 'POST', '/__emulator/faults', { body: { errorRate: 2 } })).status).toBe(400);
      const t = await getToken(e.url);
      expect((await call(e.url, 'GET', HOME, { token: t })).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});

describe('Genesys emulator: control API over HTTP', () => {
  it('inspects state, adds and removes roles, makes manual grants, reports and resets request counts', async () => {
    const emulator = await startGenesysEmulator();
    try {
      const token = await getToken(emulator.url);
      const { id } = await createUser(emulator.url, token);
      const ctl = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
        call<T>(emulator.url, method, `/__emulator${path}`, { body });

      const orgs = await ctl<Array<{ id: string; clientIds: string[] }>>('GET', '/orgs');
      expect(orgs.body).toEqual([
        expect.objectContaining({ id: RETAIL.orgId, clientIds: [RETAIL.clientId] }),
        expect.objectContaining({ id: OUTLET.orgId, clientIds: [OUTLET.clientId] }),
      ]);

      const role = await ctl<{ id: string }>('POST', `/orgs/${RETAIL.orgId}/roles`, { name: 'Gift Wrap Helper' });
      expect(role.status).toBe(201);
      const state = await ctl<{ divisions: Array<{ id: string; name: string }> }>('GET', `/orgs/${RETAIL.orgId}/state`);
      const retailStores = state.body.divisions.find((d) => d.name === 'Retail Stores')?.id;
      expect(
        (
          await ctl('POST', `/orgs/${RETAIL.orgId}/users/${id}/grants`, {
            roleId: role.body.id,
            divisionId: retailStores,
          })
        ).status,
      ).toBe(204);
      const after = await ctl<{
        users: Array<{ id: string; grants: Array<{ roleName: string; divisionName: string }> }>;
      }>('GET', `/orgs/${RETAIL.orgId}/state`);
      expect(after.body.users.find((u) => u.id === id)?.grants).toContainEqual(
        expect.objectContaining({ roleName: 'Gift Wrap Helper', divisionName: 'Retail Stores' }),
      );
      expect(
        (await ctl('DELETE', `/orgs/${RETAIL.orgId}/roles/${encodeURIComponent('Gift Wrap Helper')}`)).status,
      ).toBe(204);
      expect((await ctl('DELETE', `/orgs/${RETAIL.orgId}/roles/Nope`)).status).toBe(404);
      expect((await ctl('GET', '/orgs/no-such-org/state')).status).toBe(404);
      expect((await ctl('POST', '/rate-limit', { perMinute: 1000, windowMs: 60_000 })).status).toBe(204);
      expect((await ctl('POST', '/save')).status).toBe(400);

      const counts = await ctl<RequestCounts>('GET', '/request-counts');
      expect(counts.body.totals.byEndpoint['POST /oauth/token']).toEqual({ '200': 1 });
      expect(counts.body.totals.byEndpoint['POST /api/v2/scim/v2/users']).toEqual({ '201': 1 });
      expect(counts.body.totals.byOrg[RETAIL.orgId]).toBe(2);
      expect(Object.keys(counts.body.totals.byEndpoint).some((e) => e.includes('__emulator'))).toBe(false);
      expect((await ctl('POST', '/request-counts/reset')).status).toBe(204);
      expect(emulator.requestCounts().totals.requests).toBe(0);
    } finally {
      await emulator.close();
    }
  });
});
