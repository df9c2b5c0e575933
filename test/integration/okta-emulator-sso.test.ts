// Okta SSO into the Genesys Cloud app: the emulator's control records a user.authentication.sso System Log event
// (never a hook delivery: the type is not event-hook eligible), the System Log API filters and pages it, and
// OktaClient.ssoLogins reads exactly those logins back.
import { startOktaEmulator, EMULATOR_OKTA_TOKEN, type OktaEmulator } from '../../emulators/okta';
import { OktaClient } from '../../integrations/okta';
import { startHookCapture, type HookCapture } from '../support/hook-capture';

const AVA = '00uretailagent0001a7';
const BEN = '00uretailagent0002a7';
const DEV = '00uretailagent0004a7'; // STAGED
let emulator: OktaEmulator;
let capture: HookCapture;

async function api(pathAndQuery: string): Promise<Response> {
  return fetch(`${emulator.url}${pathAndQuery}`, {
    headers: { authorization: `SSWS ${EMULATOR_OKTA_TOKEN}`, accept: 'application/json' },
  });
}

async function control(path: string, body: unknown): Promise<Response> {
  return fetch(`${emulator.url}/__emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
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
    hook: { url: capture.url, authHeaderName: 'Authorization', authHeaderValue: 'secret-for-tests' },
  });
});
afterEach(async () => {
  await emulator.close();
});

describe('Okta emulator: SSO into the Genesys app', () => {
  it('records user.authentication.sso in the System Log, in published order, and never in the hook outbox', async () => {
    const app = emulator.genesysAppId();
    expect(app).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(emulator.inspect().apps).toEqual([{ id: app, label: 'Genesys Cloud' }]);
    emulator.admin.ssoLogin(AVA, app, '2026-12-02T10:00:00.000Z');
    const res = await control(`/users/${BEN}/sso`, { appId: app, at: '2026-12-01T09:00:00.000Z' });
    expect(res.status).toBe(201);
    const log = emulator.inspect().systemLog.filter((e) => e.eventType === 'user.authentication.sso');
    expect(log.map((e) => [e.actor.id, e.published])).toEqual([
      [BEN, '2026-12-01T09:00:00.000Z'],
      [AVA, '2026-12-02T10:00:00.000Z'],
    ]);
    expect(log[0]).toMatchObject({
      actor: { id: BEN, type: 'User' },
      target: [{ id: app, type: 'AppInstance', displayName: 'Genesys Cloud' }],
      outcome: { result: 'SUCCESS' },
      legacyEventType: 'app.auth.sso',
    });
    expect(emulator.inspect().outbox).toEqual([]);
    await emulator.deliverPending().catch(() => undefined);
    expect(capture.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('refuses an unknown user or app, a user who is not ACTIVE, and a bad instant', async () => {
    const app = emulator.genesysAppId();
    expect((await control(`/users/00unobody00000000000/sso`, { appId: app })).status).toBe(404);
    expect((await control(`/users/${AVA}/sso`, { appId: '0oanotanapp000000000' })).status).toBe(404);
    expect((await control(`/users/${DEV}/sso`, { appId: app })).status).toBe(409);
    expect((await control(`/users/${AVA}/sso`, { appId: app, at: 'yesterday' })).status).toBe(400);
    expect((await control(`/users/${AVA}/sso`, {})).status).toBe(400);
    expect(emulator.inspect().systemLog).toEqual([]);
  });

  it('filters the System Log by event type and target, pages it, and refuses filters it does not know', async () => {
    const app = emulator.genesysAppId();
    for (let i = 0; i < 5; i++) emulator.admin.ssoLogin(AVA, app, `2026-12-0${i + 1}T08:00:00.000Z`);
    emulator.admin.addUserToGroup(AVA, 'Retail-Holiday-Chat');
    const filter = encodeURIComponent(`target.id eq "${app}" and eventType eq "user.authentication.sso"`);
    const first = await api(`/api/v1/logs?filter=${filter}&since=2026-12-02T00:00:00.000Z&limit=2`);
    expect(first.status).toBe(200);
    expect(((await first.json()) as Array<{ published: string }>).map((e) => e.published)).toEqual([
      '2026-12-02T08:00:00.000Z',
      '2026-12-03T08:00:00.000Z',
    ]);
    expect(first.headers.get('link')).toContain('rel="next"');
    const other = encodeURIComponent('target.id eq "0oaanotherapp0000000"');
    expect(await (await api(`/api/v1/logs?filter=${other}`)).json()).toEqual([]);
    const bad = await api(`/api/v1/logs?filter=${encodeURIComponent('actor.id eq "x"')}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errorCode: string }).errorCode).toBe('E0000001');
  });

  it("OktaClient.ssoLogins reads back exactly the app's SSO logins in the window, across pages", async () => {
    const app = emulator.genesysAppId();
    const want: Array<{ oktaUserId: string; at: string }> = [];
    for (let i = 0; i < 1205; i++) {
      const at = new Date(Date.parse('2026-12-01T00:00:00.000Z') + i * 60_000).toISOString();
      const user = i % 2 === 0 ? AVA : BEN;
      emulator.admin.ssoLogin(user, app, at);
      want.push({ oktaUserId: user, at });
    }
    emulator.admin.addUserToGroup(BEN, 'Retail-Holiday-Supervisors');
    const client = new OktaClient({ orgUrl: emulator.url, apiToken: emulator.apiToken });
    const got = await client.ssoLogins(app, '2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z');
    expect(got).toEqual(want);
    expect(await client.ssoLogins(app, '2026-12-01T00:10:00.000Z', '2026-12-01T00:12:00.000Z')).toEqual(
      want.slice(10, 12),
    );
    expect(await client.ssoLogins('0oaanotherapp0000000', '2026-12-01T00:00:00.000Z')).toEqual([]);
    const pages = emulator.inspect().apiRequests.filter((r) => r.path.startsWith('/api/v1/logs'));
    expect(pages.length).toBeGreaterThanOrEqual(2 + 1 + 1);
  });
});
