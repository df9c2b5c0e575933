// Logins, licenses and billing in the Genesys emulator, read back three ways: plain HTTP (what is on the wire),
// the official, unpatched `purecloud-platform-client-v2` SDK (UsersApi, LicenseApi, BillingApi) and the product's
// GenesysClient; each compared with what the emulator itself recorded (inspect()).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as platformClient from 'purecloud-platform-client-v2';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { GenesysClient, isGenesysApiError } from '../../integrations/genesys';
import { NO_LAGS, PATCH_OP, RETAIL, call, createUser, getToken } from './genesys-emulator-helpers';

// The SDK's index.d.ts declares its API classes without exporting them: the members used are typed here, with the
// field names of the SDK's models (User, OAuthLastTokenIssued, LicenseUser, UserLicenses, BillingUsageReport).
interface SdkUser {
  id: string;
  version: number;
  state?: string;
  dateLastLogin?: string;
  lastTokenIssued?: { dateIssued?: string };
}
interface SdkLicenseDefinition {
  id: string;
  description?: string;
  permissions?: { ids: string[] };
}
interface SdkLicenseUser {
  id: string;
  licenses: SdkLicenseDefinition[];
}
interface SdkBillingUsageReport {
  startDate: string;
  endDate: string;
  status?: string;
  usages: Array<{ name: string; totalUsage: string; resources: Array<{ name: string; date: string }> }>;
}
interface Sdk {
  ApiClient: {
    instance: {
      setGateway(gateway: { host: string; protocol?: string; port?: number }): void;
      loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<{ accessToken: string }>;
    };
  };
  UsersApi: new () => {
    getUsers(opts: { id?: string[]; expand?: string[]; state?: string; pageSize?: number }): Promise<{
      entities: SdkUser[];
      total: number;
      pageCount: number;
    }>;
    getUser(userId: string, opts?: { expand?: string[] }): Promise<SdkUser>;
  };
  LicenseApi: new () => {
    getLicenseDefinitions(): Promise<SdkLicenseDefinition[]>;
    getLicenseUser(userId: string): Promise<SdkLicenseUser>;
    getLicenseUsers(opts?: { pageSize?: number }): Promise<{ entities: Array<{ id: string; licenses: string[] }> }>;
    postLicenseUsers(opts: { body: string[] }): Promise<Record<string, SdkLicenseUser>>;
    postLicenseInfer(opts: { body: string[] }): Promise<string[]>;
  };
  BillingApi: new () => {
    getBillingReportsBillableusage(startDate: string, endDate: string): Promise<SdkBillingUsageReport>;
  };
}
const sdk = platformClient as unknown as Sdk;

const ORG = RETAIL.orgId;
const PROVISIONER = [
  'authorization:grant:add',
  'authorization:grant:delete',
  'authorization:grant:view',
  'authorization:role:view',
  'directory:user:add',
  'directory:user:delete',
  'directory:user:edit',
  'directory:user:view',
  'oauth:client:view',
  'routing:language:assign',
  'routing:queue:view',
  'routing:queueMember:manage',
  'routing:skill:assign',
];
const T = (day: number, hour = 9): string => new Date(Date.UTC(2026, 11, day, hour)).toISOString();

let emulator: GenesysEmulator;
let token: string;
let product: GenesysClient;
/** a: Voice Agent + Chat Agent; b: Voice Agent; c: deactivated; d: deleted. Each also holds employee (default). */
const users = { a: '', b: '', c: '', d: '' };
const roleIds = { voice: '', chat: '', employee: '' };

const logIn = (userId: string, at: string) =>
  call<{ code?: string; at?: string }>(emulator.url, 'POST', `/__emulator/orgs/${ORG}/users/${userId}/logins`, {
    body: { at },
  });

beforeAll(async () => {
  emulator = await startGenesysEmulator(NO_LAGS);
  token = await getToken(emulator.url);
  product = new GenesysClient({
    apiBaseUrl: emulator.url,
    loginBaseUrl: emulator.url,
    clientId: RETAIL.clientId,
    clientSecret: RETAIL.secret,
  });
  const roles = emulator.inspect(ORG).roles;
  const roleId = (name: string) => roles.find((r) => r.name === name)?.id ?? '';
  Object.assign(roleIds, { voice: roleId('Voice Agent'), chat: roleId('Chat Agent'), employee: roleId('employee') });
  const divisions = emulator.inspect(ORG).divisions;
  const home = divisions.find((d) => d.home)?.id ?? '';
  for (const key of Object.keys(users) as Array<keyof typeof users>)
    users[key] = (await createUser(emulator.url, token)).id;
  const grant = async (userId: string, roleIdsToAdd: string[]) =>
    expect(
      (
        await call(emulator.url, 'POST', `/api/v2/authorization/subjects/${userId}/bulkadd`, {
          token,
          body: { grants: roleIdsToAdd.map((r) => ({ roleId: r, divisionId: home })) },
        })
      ).status,
    ).toBe(204);
  await grant(users.a, [roleIds.voice, roleIds.chat]);
  await grant(users.b, [roleIds.voice]);
  const deactivate = await call(emulator.url, 'PATCH', `/api/v2/scim/v2/users/${users.c}`, {
    token,
    body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
    contentType: 'application/scim+json',
  });
  expect(deactivate.status).toBe(200);
  expect((await call(emulator.url, 'DELETE', `/api/v2/scim/v2/users/${users.d}`, { token })).status).toBe(204);

  const client = sdk.ApiClient.instance;
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port });
  await client.loginClientCredentialsGrant(RETAIL.clientId, RETAIL.secret);
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(() => emulator.setClientPermissions(ORG, RETAIL.clientId, PROVISIONER));

describe('logins', () => {
  it('records every login of an active user, over HTTP and through logIn(), oldest first', async () => {
    const second = await logIn(users.a, '2026-12-03T10:00:00+01:00');
    expect(second).toMatchObject({ status: 201, body: { at: '2026-12-03T09:00:00.000Z' } });
    expect((await logIn(users.a, T(2))).status).toBe(201);
    expect(emulator.logIn(ORG, users.b, new Date(T(4)))).toBe(T(4));
    const logins = emulator.inspect(ORG).logins;
    expect(logins[users.a]).toEqual([T(2), T(3)]);
    expect(logins[users.b]).toEqual([T(4)]);
  });

  it('refuses an inactive or deleted user with 409 and records nothing; an unknown user is 404, a bad instant 400', async () => {
    const inactive = await logIn(users.c, T(5));
    expect(inactive).toMatchObject({ status: 409, body: { code: 'login.user.inactive', status: 409 } });
    expect(await logIn(users.d, T(5))).toMatchObject({ status: 409, body: { code: 'login.user.deleted' } });
    let thrown: unknown;
    try {
      emulator.logIn(ORG, users.c, T(5));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ status: 409, code: 'login.user.inactive' });
    expect((await logIn('00000000-0000-4000-8000-000000000000', T(5))).status).toBe(404);
    expect((await logIn(users.a, 'yesterday')).status).toBe(400);
    const logins = emulator.inspect(ORG).logins;
    expect(logins[users.c]).toBeUndefined();
    expect(logins[users.d]).toBeUndefined();
  });
});

describe('GET /api/v2/users with the login expands', () => {
  it('reads last logins with the official SDK (getUsers by id, getUser)', async () => {
    const api = new sdk.UsersApi();
    const page = await api.getUsers({
      id: [users.a, users.b, users.c],
      expand: ['dateLastLogin', 'lasttokenissued'],
      state: 'any',
      pageSize: 3,
    });
    const byId = new Map(page.entities.map((u) => [u.id, u]));
    expect(page.total).toBe(3);
    expect(byId.get(users.a)).toMatchObject({ dateLastLogin: T(3), lastTokenIssued: { dateIssued: T(3) } });
    expect(byId.get(users.b)).toMatchObject({ dateLastLogin: T(4), lastTokenIssued: { dateIssued: T(4) } });
    expect(byId.get(users.c)).not.toHaveProperty('dateLastLogin');
    expect(byId.get(users.c)).not.toHaveProperty('lastTokenIssued');
    expect(page.entities.every((u) => typeof u.version === 'number')).toBe(true);
    // The default state is active: the deactivated user is not listed.
    const active = await api.getUsers({ id: [users.a, users.c] });
    expect(active.entities.map((u) => u.id)).toEqual([users.a]);
    const one = await api.getUser(users.b, { expand: ['dateLastLogin'] });
    expect(one.dateLastLogin).toBe(T(4));
    expect(one).not.toHaveProperty('lastTokenIssued');
  });

  it('takes repeated list parameters too, and refuses more than 100 ids and unknown expands', async () => {
    const q = `id=${users.a}&id=${users.b}&expand=lasttokenissued`;
    const res = await call<{ entities: SdkUser[] }>(emulator.url, 'GET', `/api/v2/users?${q}`, { token });
    expect(res.body.entities.map((u) => u.lastTokenIssued?.dateIssued).sort()).toEqual([T(3), T(4)]);
    const many = Array.from({ length: 101 }, (_, i) => `id=u${i}`).join('&');
    expect((await call(emulator.url, 'GET', `/api/v2/users?${many}`, { token })).status).toBe(400);
    expect((await call(emulator.url, 'GET', '/api/v2/users?expand=lastTokenIssued', { token })).status).toBe(400);
  });

  it("gives the product the emulator's own figures, one request per 100 users", async () => {
    emulator.resetCounts();
    const unknown = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const read = await product.usersLogins([users.a, users.b, users.c, users.d, ...unknown]);
    const recorded = emulator.inspect(ORG).logins;
    const expected = [users.a, users.b, users.c, users.d].map((id) => {
      const last = recorded[id]?.at(-1);
      return last ? { id, dateLastLogin: last, lastTokenIssued: last } : { id };
    });
    expect(read.sort((x, y) => x.id.localeCompare(y.id))).toEqual(expected.sort((x, y) => x.id.localeCompare(y.id)));
    expect(emulator.requestCounts().totals.byEndpoint['GET /api/v2/users']).toEqual({ '200': 2 });
  });
});

describe('licenses', () => {
  it('follow the roles of active users, read with the official SDK', async () => {
    const api = new sdk.LicenseApi();
    const definitions = await api.getLicenseDefinitions();
    expect(definitions.map((d) => d.id)).toEqual(['communicate', 'cloudCX1', 'cloudCX2', 'cloudCX3']);
    expect(definitions.every((d) => Array.isArray(d.permissions?.ids))).toBe(true);

    const batch = await api.postLicenseUsers({ body: [users.a, users.b, users.c, users.d] });
    expect(Object.keys(batch).sort()).toEqual([users.a, users.b, users.c].sort());
    expect(batch[users.a]?.licenses.map((l) => l.id)).toEqual(['communicate', 'cloudCX1', 'cloudCX2']);
    expect(batch[users.c]?.licenses).toEqual([]);
    expect((await api.getLicenseUser(users.b)).licenses.map((l) => l.id)).toEqual(['communicate', 'cloudCX1']);
    const paged = await api.getLicenseUsers({ pageSize: 100 });
    expect(paged.entities.find((e) => e.id === users.a)?.licenses).toEqual(['communicate', 'cloudCX1', 'cloudCX2']);
    expect(await api.postLicenseInfer({ body: [roleIds.chat, roleIds.voice] })).toEqual(['cloudCX1', 'cloudCX2']);
  });

  it('reach the product: licensesOfUsers leaves out users Genesys no longer has, inferLicenses maps roles', async () => {
    const held = await product.licensesOfUsers([users.a, users.b, users.c, users.d]);
    expect([...held.entries()].sort()).toEqual(
      [
        [users.a, ['communicate', 'cloudCX1', 'cloudCX2']],
        [users.b, ['communicate', 'cloudCX1']],
        [users.c, []],
      ].sort(),
    );
    expect(await product.inferLicenses([roleIds.employee, roleIds.voice])).toEqual(['communicate', 'cloudCX1']);
    expect(await product.inferLicenses([])).toEqual([]);
  });
});

describe('billable usage', () => {
  it('bills each user who logged in during the period once, at the highest tier held then', async () => {
    emulator.setClientPermissions(ORG, RETAIL.clientId, [...PROVISIONER, 'billing:subscription:view']);
    const api = new sdk.BillingApi();
    const report = await api.getBillingReportsBillableusage(T(1, 0), T(4, 0));
    expect(report).toMatchObject({ startDate: T(1, 0), endDate: T(4, 0), status: 'Complete' });
    // b's login (day 4, 09:00) falls after the period's end.
    expect(report.usages).toEqual([
      { name: 'cloudCX2', totalUsage: '1', resources: [{ name: expect.any(String), date: T(2) }] },
    ]);
    const all = await api.getBillingReportsBillableusage(T(1, 0), T(31, 0));
    expect(all.usages.map((u) => [u.name, u.totalUsage])).toEqual([
      ['cloudCX1', '1'],
      ['cloudCX2', '1'],
    ]);
  });
});

describe('permissions', () => {
  const expect403 = (res: { status: number; body: Record<string, unknown> }, needs: string[]) => {
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      message: expect.stringContaining(needs.join(', ')),
      code: 'missing.any.permissions',
      status: 403,
      messageParams: {},
      contextId: expect.any(String),
      details: [],
      errors: [],
    });
  };

  it('refuses license and billing reads to a client without their permissions; users stay readable', async () => {
    // The fixture's provisioner has no billing permission: the report is not the product's.
    expect403(
      await call(emulator.url, 'GET', `/api/v2/billing/reports/billableusage?startDate=${T(1)}&endDate=${T(2)}`, {
        token,
      }),
      ['billing:subscription:read', 'billing:subscription:view'],
    );
    emulator.setClientPermissions(ORG, RETAIL.clientId, []);
    const licenseRead = ['authorization:grant:add', 'authorization:license:view'];
    expect403(await call(emulator.url, 'POST', '/api/v2/license/users', { token, body: [users.a] }), licenseRead);
    expect403(await call(emulator.url, 'GET', '/api/v2/license/definitions', { token }), licenseRead);
    const err: unknown = await product.licensesOfUsers([users.a]).catch((e: unknown) => e);
    expect(isGenesysApiError(err, 'Forbidden') && err.code).toBe('missing.any.permissions');
    // getUsers and postLicenseInfer require no permission.
    expect((await product.usersLogins([users.a]))[0]?.dateLastLogin).toBe(T(3));
    expect(await product.inferLicenses([roleIds.voice])).toEqual(['cloudCX1']);
    emulator.setClientPermissions(ORG, RETAIL.clientId, ['authorization:license:view']);
    expect((await call(emulator.url, 'POST', '/api/v2/license/users', { token, body: [users.a] })).status).toBe(200);
  });
});

describe('persistence', () => {
  it('keeps the logins across a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'genesys-logins-'));
    try {
      const stateFile = path.join(dir, 'state.json');
      const first = await startGenesysEmulator({ ...NO_LAGS, stateFile });
      const user = await createUser(first.url, await getToken(first.url));
      first.logIn(ORG, user.id, T(6));
      await first.close();
      const second = await startGenesysEmulator({ ...NO_LAGS, stateFile });
      try {
        expect(second.inspect(ORG).logins[user.id]).toEqual([T(6)]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
