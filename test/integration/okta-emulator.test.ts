// The Okta emulator over real HTTP: API shapes, auth, errors, paging, rate limits, faults, events and real
// event-hook traffic (verification and deliveries with batching, duplicates, reordering, drops, retries).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOktaEmulator, EMULATOR_OKTA_TOKEN, type HookDelivery, type OktaEmulator } from '../../emulators/okta';
import { startHookCapture, type HookCapture } from '../support/hook-capture';

const AGENTS = '00gholidayagents01a7';
const CHAT = '00gholidaychat001a7x';
const AVA = '00uretailagent0001a7';
const BEN = '00uretailagent0002a7';
const CHLOE = '00uretailagent0003a7';
const SECRET = 'hook-secret-for-tests';

let emulator: OktaEmulator;
let capture: HookCapture;

async function api(pathAndQuery: string, init: RequestInit = {}, token = EMULATOR_OKTA_TOKEN): Promise<Response> {
  return fetch(`${emulator.url}${pathAndQuery}`, {
    ...init,
    headers: { authorization: `SSWS ${token}`, accept: 'application/json', ...(init.headers ?? {}) },
  });
}

function posted(): HookDelivery[] {
  return capture.requests.filter((r) => r.method === 'POST').map((r) => r.body as HookDelivery);
}

beforeAll(async () => {
  capture = await startHookCapture();
});
afterAll(async () => {
  await capture.close();
});
beforeEach(async () => {
  capture.requests.length = 0;
  capture.respondWith(() => 204);
  emulator = await startOktaEmulator({
    fixture: 'retail',
    hook: { url: capture.url, authHeaderName: 'Authorization', authHeaderValue: SECRET },
  });
});
afterEach(async () => {
  await emulator.close();
});

describe('Okta emulator: management API', () => {
  it('requires the SSWS token and answers with Okta error bodies', async () => {
    for (const res of [
      await fetch(`${emulator.url}/api/v1/users/${AVA}`),
      await api(`/api/v1/users/${AVA}`, {}, 'wrong'),
    ]) {
      expect(res.status).toBe(401);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        errorCode: 'E0000011',
        errorSummary: 'Invalid token provided',
        errorLink: 'E0000011',
        errorId: expect.stringMatching(/^oae/),
        errorCauses: [],
      });
    }
    const missing = await api('/api/v1/users/00unobody00000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: 00unobody00000000000 (User)',
    });
  });

  it('serves users by id or login, with rate-limit and request-id headers', async () => {
    const byId = await api(`/api/v1/users/${AVA}`);
    expect(byId.status).toBe(200);
    expect(byId.headers.get('x-rate-limit-limit')).toBe('2000'); // the GET /users/{id} bucket's default
    expect(Number(byId.headers.get('x-rate-limit-remaining'))).toBeLessThan(2000);
    expect(Number(byId.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(byId.headers.get('x-okta-request-id')).toMatch(/^\w{27}$/);
    const user = (await byId.json()) as { id: string; status: string; profile: { login: string; firstName: string } };
    expect(user).toMatchObject({
      id: AVA,
      status: 'ACTIVE',
      profile: { login: 'ava.lindqvist@retail.example.com', firstName: 'Ava' },
    });
    const byLogin = (await (await api('/api/v1/users/AVA.LINDQVIST%40retail.example.com')).json()) as { id: string };
    expect(byLogin.id).toBe(AVA);
  });

  it('pages with Link headers (rel="next") and stops when no next is given', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${emulator.url}/api/v1/users/${BEN}/groups?limit=1`;
    let pages = 0;
    while (next) {
      const res = await fetch(next, { headers: { authorization: `SSWS ${EMULATOR_OKTA_TOKEN}` } });
      pages += 1;
      seen.push(...((await res.json()) as Array<{ id: string }>).map((g) => g.id));
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['00geveryoneretail1a7', AGENTS, CHAT].sort());

    const members = await api(`/api/v1/groups/${AGENTS}/users?limit=200`);
    expect(((await members.json()) as Array<{ id: string }>).map((u) => u.id).sort()).toEqual(
      [AVA, BEN, '00uretailagent0005a7'].sort(),
    );
    expect(members.headers.get('link')).not.toContain('rel="next"');
  });

  it('finds groups with search (case-insensitive eq) and q (prefix, exact first)', async () => {
    const search = await api(`/api/v1/groups?search=${encodeURIComponent('profile.name eq "retail-holiday-agents"')}`);
    expect(((await search.json()) as Array<{ profile: { name: string } }>).map((g) => g.profile.name)).toEqual([
      'Retail-Holiday-Agents',
    ]);
    const q = await api('/api/v1/groups?q=Retail-Holiday');
    expect(((await q.json()) as unknown[]).length).toBe(3);
    const bad = await api(`/api/v1/groups?search=${encodeURIComponent('profile.name eq West')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errorCode: 'E0000031' });
  });

  it('changes memberships (204, idempotent) and logs the events Okta would send', async () => {
    expect((await api(`/api/v1/groups/${AGENTS}/users/${CHLOE}`, { method: 'PUT' })).status).toBe(204);
    expect((await api(`/api/v1/groups/${AGENTS}/users/${CHLOE}`, { method: 'PUT' })).status).toBe(204);
    expect((await api(`/api/v1/groups/${CHAT}/users/${AVA}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/groups/${AGENTS}/users/${AVA}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/groups/${AGENTS}/users/00unobody00000000000`, { method: 'DELETE' })).status).toBe(404);

    const { outbox, memberships } = emulator.inspect();
    expect(memberships[AGENTS]).toEqual([BEN, '00uretailagent0005a7', CHLOE]);
    expect(outbox.map((e) => e.eventType)).toEqual(['group.user_membership.add', 'group.user_membership.remove']);
    const [add] = outbox;
    expect(add).toMatchObject({
      eventType: 'group.user_membership.add',
      version: '0',
      legacyEventType: 'core.user_group_member.user_add',
      actor: { id: '00uretailadmin0001a7', type: 'User' },
      target: [
        { id: CHLOE, type: 'User', alternateId: 'chloe.marchetti@retail.example.com', displayName: 'Chloe Marchetti' },
        { id: AGENTS, type: 'UserGroup', alternateId: 'unknown', displayName: 'Retail-Holiday-Agents' },
      ],
      debugContext: { debugData: { requestUri: `/api/v1/groups/${AGENTS}/users/${CHLOE}` } },
    });
    expect(add!.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(outbox[1]!.published > add!.published).toBe(true);
  });

  it('deactivates (200, memberships kept) and answers 404 for an already deprovisioned user', async () => {
    const first = await api(`/api/v1/users/${AVA}/lifecycle/deactivate?sendEmail=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('');
    expect(emulator.admin.getUser(AVA).status).toBe('DEPROVISIONED');
    expect(emulator.inspect().memberships[AGENTS]).toContain(AVA);
    const again = await api(`/api/v1/users/${AVA}/lifecycle/deactivate`, { method: 'POST' });
    expect(again.status).toBe(404);
    expect(emulator.inspect().outbox.map((e) => e.eventType)).toEqual(['user.lifecycle.deactivate']);
  });

  it('answers 429 E0000047 over the configured limit, with Okta headers, until the window resets', async () => {
    await emulator.close();
    emulator = await startOktaEmulator({ fixture: 'retail', rateLimitPerMinute: 2, rateLimitWindowMs: 1000 });
    expect((await api(`/api/v1/users/${AVA}`)).status).toBe(200);
    expect((await api(`/api/v1/users/${AVA}`)).status).toBe(200);
    const limited = await api(`/api/v1/users/${AVA}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-limit')).toBe('2');
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(limited.headers.get('date')).toBeTruthy();
    expect(limited.headers.get('x-okta-request-id')).toBeTruthy();
    const reset = Number(limited.headers.get('x-rate-limit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now() - 1000);
    expect(await limited.json()).toMatchObject({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
    });
    await new Promise((r) => setTimeout(r, reset * 1000 - Date.now() + 50));
    expect((await api(`/api/v1/users/${AVA}`)).status).toBe(200);
  });

  it('injects faults: a status, a refused answer, and a lost response after the change was made', async () => {
    emulator.admin.injectFault({ status: 503, pathContains: '/users/', times: 1 });
    const unavailable = await api(`/api/v1/users/${AVA}`);
    expect(unavailable.status).toBe(503);
    expect(await unavailable.json()).toMatchObject({ errorCode: 'E0000010' });
    expect((await api(`/api/v1/users/${AVA}`)).status).toBe(200);

    emulator.admin.injectFault({ dropConnection: true, method: 'GET' });
    await expect(api(`/api/v1/users/${AVA}`)).rejects.toThrow();

    emulator.admin.injectFault({ dropResponse: true, method: 'DELETE' });
    await expect(api(`/api/v1/groups/${AGENTS}/users/${AVA}`, { method: 'DELETE' })).rejects.toThrow();
    expect(emulator.inspect().memberships[AGENTS]).not.toContain(AVA);
    expect(emulator.inspect().faults).toEqual([]);
  });
});

describe('Okta emulator: event hooks', () => {
  it('verifies the hook with a GET carrying the challenge and the auth header', async () => {
    const result = await emulator.verifyHook();
    expect(result.verified).toBe(true);
    const [get] = capture.requests;
    expect(get!.method).toBe('GET');
    expect(get!.headers['x-okta-verification-challenge']).toBe(result.challenge);
    expect(get!.headers['authorization']).toBe(SECRET);
    expect(emulator.inspect().hook).toMatchObject({ verificationStatus: 'VERIFIED', authHeaderName: 'Authorization' });
  });

  it('delivers the outbox in batches shaped like Okta deliveries, in published order', async () => {
    const user = emulator.admin.createUser({
      profile: { login: 'hana.sato@retail.example.com', firstName: 'Hana', lastName: 'Sato' },
      groupIds: [AGENTS],
    });
    expect(user.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    emulator.admin.addUserToGroup(user.id, 'Retail-Holiday-Chat');
    emulator.admin.suspendUser(BEN);
    const report = await emulator.deliverPending({ batchSize: 3 });

    expect(report.deliveries.map((d) => d.uuids.length)).toEqual([3, 1]);
    expect(report.outboxLeft).toBe(0);
    const bodies = posted();
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toMatchObject({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      contentType: 'application/json',
      source: expect.stringMatching(/\/api\/v1\/eventHooks\/who\w{17}$/),
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const events = bodies.flatMap((b) => b.data.events);
    expect(events.map((e) => e.eventType)).toEqual([
      'user.lifecycle.create',
      'group.user_membership.add',
      'group.user_membership.add',
      'user.lifecycle.suspend',
    ]);
    expect(events[0]!.target).toEqual([
      {
        id: user.id,
        type: 'User',
        alternateId: 'hana.sato@retail.example.com',
        displayName: 'Hana Sato',
        detailEntry: null,
      },
    ]);
    expect(events[3]!.target[0]!.id).toBe(BEN);
    const headers = capture.requests.find((r) => r.method === 'POST')!.headers;
    expect(headers).toMatchObject({
      authorization: SECRET,
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(headers['user-agent']).toMatch(/^Okta Hook Service v1\.0\.0 - who/);
  });

  it('duplicates (same eventId, and re-batched with new eventIds), reorders and drops on request', async () => {
    for (const id of [CHLOE, '00uretailclerk0001a7', '00uretailsuper0001a7']) emulator.admin.addUserToGroup(id, AGENTS);
    const uuidsInOrder = emulator.inspect().outbox.map((e) => e.uuid);
    const report = await emulator.deliverPending({
      batchSize: 2,
      order: 'reverse',
      redeliver: 1,
      rebatch: true,
      dropUuids: [uuidsInOrder[0]!],
    });

    expect(report.droppedUuids).toEqual([uuidsInOrder[0]]);
    const firsts = report.deliveries.filter((d) => d.kind === 'first');
    expect(firsts.map((d) => d.uuids)).toEqual([[uuidsInOrder[2], uuidsInOrder[1]]]);
    const redelivered = report.deliveries.filter((d) => d.kind === 'redelivery');
    expect(redelivered.map((d) => d.eventId)).toEqual(firsts.map((d) => d.eventId));
    const rebatched = report.deliveries.filter((d) => d.kind === 'rebatch');
    expect(rebatched.flatMap((d) => d.uuids).sort()).toEqual([uuidsInOrder[1], uuidsInOrder[2]].sort());
    expect(rebatched.every((d) => !firsts.some((f) => f.eventId === d.eventId))).toBe(true);
    expect(posted().flatMap((b) => b.data.events.map((e) => e.uuid))).not.toContain(uuidsInOrder[0]);
  });

  it('retries once on a 5xx, never on a 4xx, and can requeue what failed', async () => {
    emulator.admin.addUserToGroup(CHLOE, AGENTS);
    capture.respondWith(() => 503);
    const failed = await emulator.deliverPending({ requeueFailed: true });
    expect(failed.deliveries[0]!.attempts.map((a) => a.status)).toEqual([503, 503]);
    expect(failed.failedUuids).toHaveLength(1);
    expect(failed.outboxLeft).toBe(1);

    capture.respondWith(() => 400);
    const rejected = await emulator.deliverPending();
    expect(rejected.deliveries[0]!.attempts.map((a) => a.status)).toEqual([400]);
    expect(rejected.outboxLeft).toBe(0);

    emulator.admin.addUserToGroup('00uretailclerk0001a7', AGENTS);
    capture.respondWith((_r, i) => (i === 0 ? 500 : 204));
    const healed = await emulator.deliverPending();
    expect(healed.deliveries[0]).toMatchObject({ delivered: true, attempts: [{ status: 500 }, { status: 204 }] });
  });

  it('is driven over HTTP under /__emulator/*', async () => {
    const control = (p: string, method: string, body?: unknown) =>
      fetch(`${emulator.url}/__emulator${p}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = await control('/users', 'POST', {
      profile: { login: 'ivan.petrov@retail.example.com', firstName: 'Ivan', lastName: 'Petrov' },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(
      await (await control(`/groups/${encodeURIComponent('Retail-Holiday-Chat')}/users/${id}`, 'PUT')).json(),
    ).toEqual({ changed: true });
    expect((await control(`/users/${id}/deactivate`, 'POST')).status).toBe(204);
    expect((await control('/hook/verify', 'POST')).status).toBe(200);
    const report = (await (await control('/deliveries', 'POST', { batchSize: 1 })).json()) as { deliveries: unknown[] };
    expect(report.deliveries).toHaveLength(3);
    const state = (await (await control('/state', 'GET')).json()) as {
      users: Array<{ id: string; status: string }>;
      hook: { verificationStatus: string };
    };
    expect(state.users.find((u) => u.id === id)!.status).toBe('DEPROVISIONED');
    expect(state.hook.verificationStatus).toBe('VERIFIED');
    expect((await control('/deliveries', 'POST', { batchSize: 0 })).status).toBe(400);
    expect((await control(`/users/00unobody00000000000/suspend`, 'POST')).status).toBe(404);
  });

  it('keeps its state in a file across restarts when asked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'okta-emulator-'));
    const statePath = path.join(dir, 'state.json');
    try {
      const first = await startOktaEmulator({ fixture: 'retail', statePath });
      const user = first.admin.createUser({ profile: { login: 'jo.kim@retail.example.com' }, groupIds: [CHAT] });
      await first.close();
      const second = await startOktaEmulator({ fixture: 'retail', statePath });
      expect(second.admin.getUser(user.id).profile.login).toBe('jo.kim@retail.example.com');
      expect(second.inspect().outbox).toHaveLength(2);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
