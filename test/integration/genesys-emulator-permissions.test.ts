// The emulator checks the calling OAuth client's permissions (the union of its roles' permissions) on every
// route, as the official SDK docs list them per operation. The fixture client holds the "Seasonal Provisioner"
// role; with each of its permissions taken away in turn, exactly the product calls that need it get 403.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as platformClient from 'purecloud-platform-client-v2';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import {
  CORE,
  GENESYS,
  NO_LAGS,
  OUTLET,
  PATCH_OP,
  RETAIL,
  type Response,
  call,
  createUser,
  getToken,
  newUserBody,
  uniqueUserName,
} from './genesys-emulator-helpers';

/** Written out here, not imported: the test states what the product needs independently of the emulator. */
const SEASONAL_PROVISIONER = [
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

const ANY = 'missing.any.permissions';
const ALL = 'missing.permissions';

interface World {
  token: string;
  /** A live user the calls read and change. */
  a: { id: string; userName: string };
  /** A live user the delete call deletes. */
  b: { id: string };
  /** A deleted user the restore call restores, and its version. */
  c: { id: string; version: number };
  ids: { voiceAgent: string; seasonalAgents: string; retailStores: string; eCommerce: string; holidayVoice: string };
}

interface ProductCall {
  name: string;
  /** Every one of these is needed (documented ALL, or a single documented permission, or the stricter reading). */
  needs: string[];
  /** The code of the 403 when one of `needs` is missing. */
  code?: typeof ANY | typeof ALL;
  run(base: string, w: World): Promise<Response>;
}

const scim = (w: World, method: string, p: string, body?: unknown) => (base: string) =>
  call(base, method, `/api/v2/scim/v2/users${p}`, { token: w.token, body, contentType: 'application/scim+json' });

const CALLS: ProductCall[] = [
  {
    name: 'SCIM create',
    needs: ['directory:user:add'],
    code: ALL,
    run: (base, w) => scim(w, 'POST', '', newUserBody(uniqueUserName('perm')))(base),
  },
  {
    name: 'SCIM create with routing skills',
    needs: ['directory:user:add', 'routing:skill:assign'],
    code: ALL,
    run: (base, w) =>
      scim(
        w,
        'POST',
        '',
        newUserBody(uniqueUserName('perm'), { [GENESYS]: { routingSkills: [{ name: 'Returns', proficiency: 3 }] } }),
      )(base),
  },
  {
    name: 'SCIM create with routing languages',
    needs: ['directory:user:add', 'routing:language:assign'],
    code: ALL,
    run: (base, w) =>
      scim(
        w,
        'POST',
        '',
        newUserBody(uniqueUserName('perm'), { [GENESYS]: { routingLanguages: [{ name: 'English', proficiency: 5 }] } }),
      )(base),
  },
  {
    name: 'SCIM filter',
    needs: [],
    run: (base, w) => scim(w, 'GET', `?filter=${encodeURIComponent(`userName eq "${w.a.userName}"`)}`)(base),
  },
  { name: 'SCIM get', needs: [], run: (base, w) => scim(w, 'GET', `/${w.a.id}`)(base) },
  {
    name: 'SCIM patch active',
    needs: ['directory:user:edit'],
    code: ALL,
    run: (base, w) =>
      scim(w, 'PATCH', `/${w.a.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'active', value: true }],
      })(base),
  },
  {
    name: 'SCIM patch routing',
    needs: ['routing:skill:assign', 'routing:language:assign'],
    code: ALL,
    run: (base, w) =>
      scim(w, 'PATCH', `/${w.a.id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: `${GENESYS}:routingSkills`, value: [{ name: 'Gift Cards', proficiency: 2 }] },
          { op: 'replace', path: `${GENESYS}:routingLanguages`, value: [{ name: 'Spanish', proficiency: 4 }] },
        ],
      })(base),
  },
  {
    name: 'SCIM delete',
    needs: ['directory:user:delete'],
    code: ANY,
    run: (base, w) => scim(w, 'DELETE', `/${w.b.id}`)(base),
  },
  {
    name: 'users search',
    needs: ['directory:user:view'],
    code: ANY,
    run: (base, w) =>
      call(base, 'POST', '/api/v2/users/search', {
        token: w.token,
        body: { query: [{ type: 'EXACT', fields: ['email'], value: w.a.userName }] },
      }),
  },
  {
    name: 'users restore',
    needs: ['directory:user:edit'],
    code: ANY,
    run: (base, w) =>
      call(base, 'PATCH', `/api/v2/users/${w.c.id}`, {
        token: w.token,
        body: { state: 'active', version: w.c.version },
      }),
  },
  {
    name: 'subject read',
    needs: ['authorization:grant:view'],
    code: ANY,
    run: (base, w) => call(base, 'GET', `/api/v2/authorization/subjects/${w.a.id}`, { token: w.token }),
  },
  {
    name: 'bulkadd',
    needs: ['authorization:grant:add'],
    code: ALL,
    run: (base, w) =>
      call(base, 'POST', `/api/v2/authorization/subjects/${w.a.id}/bulkadd`, {
        token: w.token,
        body: { grants: [{ roleId: w.ids.voiceAgent, divisionId: w.ids.retailStores }] },
      }),
  },
  {
    name: 'bulkremove',
    needs: ['authorization:grant:delete'],
    code: ALL,
    run: (base, w) =>
      call(base, 'POST', `/api/v2/authorization/subjects/${w.a.id}/bulkremove`, {
        token: w.token,
        body: { grants: [{ roleId: w.ids.voiceAgent, divisionId: w.ids.retailStores }] },
      }),
  },
  {
    name: 'roles list',
    needs: ['authorization:role:view'],
    code: ANY,
    run: (base, w) => call(base, 'GET', '/api/v2/authorization/roles?pageSize=100', { token: w.token }),
  },
  {
    name: 'role read',
    needs: ['authorization:role:view'],
    code: ANY,
    run: (base, w) => call(base, 'GET', `/api/v2/authorization/roles/${w.ids.seasonalAgents}`, { token: w.token }),
  },
  {
    name: 'divisions list',
    needs: [],
    run: (base, w) => call(base, 'GET', '/api/v2/authorization/divisions', { token: w.token }),
  },
  {
    name: 'home division move',
    needs: ['directory:user:edit'],
    code: ALL,
    run: (base, w) =>
      call(base, 'POST', `/api/v2/authorization/divisions/${w.ids.eCommerce}/objects/USER`, {
        token: w.token,
        body: [w.a.id],
      }),
  },
  { name: 'skills list', needs: [], run: (base, w) => call(base, 'GET', '/api/v2/routing/skills', { token: w.token }) },
  {
    name: 'languages list',
    needs: [],
    run: (base, w) => call(base, 'GET', '/api/v2/routing/languages', { token: w.token }),
  },
  {
    name: 'queues list',
    needs: ['routing:queue:view'],
    code: ANY,
    run: (base, w) => call(base, 'GET', '/api/v2/routing/queues', { token: w.token }),
  },
  {
    // ANY of routing:queue:view, routing:queue:edit, routing:queue:readonly, routing:queueMember:manage: the
    // role holds two of them, so taking one away never breaks it.
    name: 'queue members list',
    needs: [],
    run: (base, w) => call(base, 'GET', `/api/v2/routing/queues/${w.ids.holidayVoice}/members`, { token: w.token }),
  },
  {
    name: 'queue member add',
    needs: ['routing:queueMember:manage'],
    code: ANY,
    run: (base, w) =>
      call(base, 'POST', `/api/v2/routing/queues/${w.ids.holidayVoice}/members`, {
        token: w.token,
        body: [{ id: w.a.id }],
      }),
  },
  {
    name: 'own OAuth client read',
    needs: ['oauth:client:view'],
    code: ANY,
    run: (base, w) => call(base, 'GET', `/api/v2/oauth/clients/${RETAIL.clientId}`, { token: w.token }),
  },
];

function expect403(res: Response, code: string, permission: string): void {
  expect(res.status).toBe(403);
  expect(res.body).toEqual({
    message: expect.stringContaining(permission),
    code,
    status: 403,
    messageParams: {},
    contextId: expect.any(String),
    details: [],
    errors: [],
  });
}

describe('Genesys emulator: OAuth client permissions', () => {
  /** Its client's permissions are changed by the tests (and put back after each). */
  let emulator: GenesysEmulator;
  /** Never changed: the fixture as shipped. */
  let pristine: GenesysEmulator;
  let token: string;

  beforeAll(async () => {
    // Every permission is tried in turn against every call: far more than the default 300 requests a minute.
    emulator = await startGenesysEmulator({ ...NO_LAGS, rateLimitPerMinute: 100_000 });
    pristine = await startGenesysEmulator(NO_LAGS);
    token = await getToken(emulator.url);
  });
  afterEach(() => {
    emulator.setClientPermissions(RETAIL.orgId, RETAIL.clientId, SEASONAL_PROVISIONER);
  });
  afterAll(async () => {
    await emulator.close();
    await pristine.close();
  });

  const byName = (list: Array<{ id: string; name: string }>, name: string): string => {
    const found = list.find((e) => e.name === name);
    if (!found) throw new Error(`fixture has no ${name}`);
    return found.id;
  };

  /** Fresh users for one round of calls, made while the client still holds everything. */
  async function world(): Promise<World> {
    const state = emulator.inspect(RETAIL.orgId);
    const a = await createUser(emulator.url, token);
    const b = await createUser(emulator.url, token);
    const c = await createUser(emulator.url, token);
    expect((await call(emulator.url, 'DELETE', `/api/v2/scim/v2/users/${c.id}`, { token })).status).toBe(204);
    const version = emulator.inspect(RETAIL.orgId).users.find((u) => u.id === c.id)?.version ?? 0;
    return {
      token,
      a,
      b,
      c: { id: c.id, version },
      ids: {
        voiceAgent: byName(state.roles, 'Voice Agent'),
        seasonalAgents: byName(state.roles, 'Seasonal Agents'),
        retailStores: byName(state.divisions, 'Retail Stores'),
        eCommerce: byName(state.divisions, 'E-Commerce'),
        holidayVoice: byName(state.queues, 'Holiday Voice'),
      },
    };
  }

  it('gives both fixture clients the Seasonal Provisioner role in all divisions, and inspect() shows it', () => {
    for (const org of [RETAIL, OUTLET]) {
      expect(pristine.clientPermissions(org.orgId, org.clientId)).toEqual(SEASONAL_PROVISIONER);
      const [client] = pristine.inspect(org.orgId).clients;
      expect(client).toMatchObject({
        clientId: org.clientId,
        roles: [{ roleName: 'Seasonal Provisioner', divisionId: '*' }],
        permissions: SEASONAL_PROVISIONER,
      });
    }
  });

  it('lets the fixture client make every product call', async () => {
    const w = await world();
    for (const c of CALLS) {
      const res = await c.run(emulator.url, w);
      expect({ call: c.name, status: res.status < 300 ? 'ok' : res.status }).toEqual({ call: c.name, status: 'ok' });
    }
  });

  it.each(SEASONAL_PROVISIONER)('without %s, exactly the calls that need it get 403', async (removed) => {
    const w = await world();
    emulator.setClientPermissions(
      RETAIL.orgId,
      RETAIL.clientId,
      SEASONAL_PROVISIONER.filter((p) => p !== removed),
    );
    const before = emulator.inspect(RETAIL.orgId).users.length;
    for (const c of CALLS) {
      const res = await c.run(emulator.url, w);
      if (c.needs.includes(removed)) {
        expect({ call: c.name, status: res.status }).toEqual({ call: c.name, status: 403 });
        expect403(res, c.code ?? ANY, removed);
      } else {
        expect({ call: c.name, status: res.status < 300 ? 'ok' : res.status }).toEqual({ call: c.name, status: 'ok' });
      }
    }
    // A refused write wrote nothing: no user was created without directory:user:add, B survives without delete.
    const after = emulator.inspect(RETAIL.orgId);
    if (removed === 'directory:user:add') expect(after.users).toHaveLength(before);
    if (removed === 'directory:user:delete') expect(after.users.find((u) => u.id === w.b.id)?.deleted).toBe(false);
    if (removed === 'authorization:grant:add')
      expect(after.users.find((u) => u.id === w.a.id)?.grants.map((g) => g.roleName)).not.toContain('Voice Agent');
  });

  it('refuses a client without roles everywhere a permission is needed, at once, with the same token', async () => {
    expect((await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token })).status).toBe(200);
    emulator.setClientPermissions(RETAIL.orgId, RETAIL.clientId, []);
    expect(emulator.clientPermissions(RETAIL.orgId, RETAIL.clientId)).toEqual([]);
    expect403(
      await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token }),
      ANY,
      'authorization:role:view',
    );
    const create = await call(emulator.url, 'POST', '/api/v2/scim/v2/users', {
      token,
      body: newUserBody(uniqueUserName('noroles')),
    });
    // The documented gate: none of the SCIM create's ANY list is held.
    expect403(create, ANY, 'directory:user:add');
    expect(create.body.message).toContain('telephony:extension:assign');
    // Routes that need nothing still answer; a new token is issued (the token endpoint checks no role).
    expect((await call(emulator.url, 'GET', '/api/v2/authorization/divisions', { token })).status).toBe(200);
    expect(
      (await call(emulator.url, 'GET', '/api/v2/routing/skills', { token: await getToken(emulator.url) })).status,
    ).toBe(200);
    // The other org's client is untouched.
    const outlet = await getToken(emulator.url, OUTLET);
    expect((await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token: outlet })).status).toBe(200);
  });

  it('honours * for the entity or the action, never for the domain', async () => {
    emulator.setClientPermissions(RETAIL.orgId, RETAIL.clientId, ['routing:*:*', 'authorization:role:*']);
    expect((await call(emulator.url, 'GET', '/api/v2/routing/queues', { token })).status).toBe(200);
    expect((await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token })).status).toBe(200);
    expect403(
      await call(emulator.url, 'POST', '/api/v2/users/search', { token, body: {} }),
      ANY,
      'directory:user:view',
    );
    expect(() => emulator.setClientPermissions(RETAIL.orgId, RETAIL.clientId, ['*:*:*'])).toThrow(/invalid permission/);
    expect(() => emulator.setClientPermissions(RETAIL.orgId, 'nobody', [])).toThrow(/no client nobody/);
  });

  it('a SCIM PUT also needs grant:delete when the user holds a grant (a PUT replaces the role set)', async () => {
    const user = await createUser(emulator.url, token);
    emulator.setClientPermissions(RETAIL.orgId, RETAIL.clientId, ['directory:user:edit']);
    const put = await call(emulator.url, 'PUT', `/api/v2/scim/v2/users/${user.id}`, {
      token,
      body: { schemas: [CORE], userName: user.userName, displayName: 'Replaced' },
    });
    // The new user holds the default employee grant.
    expect403(put, ALL, 'authorization:grant:delete');
    expect(emulator.inspect(RETAIL.orgId).users.find((u) => u.id === user.id)?.displayName).not.toBe('Replaced');
  });

  it('serves GET /api/v2/oauth/clients/{id} (OAuthClient) and GET /api/v2/authorization/roles/{id} with permissions', async () => {
    const t = await getToken(pristine.url);
    const state = pristine.inspect(RETAIL.orgId);
    const provisioner = byName(state.roles, 'Seasonal Provisioner');
    const client = await call(pristine.url, 'GET', `/api/v2/oauth/clients/${RETAIL.clientId}`, { token: t });
    expect(client.status).toBe(200);
    expect(client.body).toEqual({
      id: RETAIL.clientId,
      name: 'Seasonal provisioner',
      accessTokenValiditySeconds: 86_400,
      description: '',
      registeredRedirectUri: [],
      roleIds: [provisioner],
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      scope: [],
      roleDivisions: [{ roleId: provisioner, divisionId: '*' }],
      state: 'active',
      selfUri: `/api/v2/oauth/clients/${RETAIL.clientId}`,
    });
    expect(JSON.stringify(client.body)).not.toContain(RETAIL.secret);
    // Another org's client is as unknown as any other id from another org.
    expect((await call(pristine.url, 'GET', `/api/v2/oauth/clients/${OUTLET.clientId}`, { token: t })).status).toBe(
      404,
    );

    const role = await call<{
      name: string;
      permissions: string[];
      permissionPolicies: Array<{ domain: string; entityName: string; actionSet: string[] }>;
    }>(pristine.url, 'GET', `/api/v2/authorization/roles/${provisioner}`, { token: t });
    expect(role.status).toBe(200);
    expect(role.body.name).toBe('Seasonal Provisioner');
    expect([...role.body.permissions].sort()).toEqual(SEASONAL_PROVISIONER);
    expect(role.body.permissionPolicies).toContainEqual(
      expect.objectContaining({
        domain: 'directory',
        entityName: 'user',
        actionSet: ['add', 'edit', 'delete', 'view'],
      }),
    );
    const flattened = role.body.permissionPolicies.flatMap((p) =>
      p.actionSet.map((a) => `${p.domain}:${p.entityName}:${a}`),
    );
    expect(flattened.sort()).toEqual(SEASONAL_PROVISIONER);
    // The listing carries the same model.
    const listed = await call<{ entities: Array<{ id: string; permissions: string[] }> }>(
      pristine.url,
      'GET',
      `/api/v2/authorization/roles?id=${provisioner}`,
      { token: t },
    );
    expect(listed.body.entities[0]?.permissions).toEqual(role.body.permissions);
  });

  it('changes permissions over HTTP (/__emulator/orgs/:orgId/clients/:clientId/permissions)', async () => {
    const base = `${emulator.url}/__emulator/orgs/${RETAIL.orgId}/clients/${RETAIL.clientId}/permissions`;
    const put = await fetch(base, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: ['oauth:client:view'] }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ permissions: ['oauth:client:view'] });
    expect(await (await fetch(base)).json()).toEqual({ permissions: ['oauth:client:view'] });
    expect403(await call(emulator.url, 'GET', '/api/v2/routing/queues', { token }), ANY, 'routing:queue:view');
    const bad = await fetch(base, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ permissions: ['not a permission'] }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${emulator.url}/__emulator/orgs/${RETAIL.orgId}/clients/nobody/permissions`)).status).toBe(
      404,
    );
  });

  it('is read by the official SDK unpatched, and the SDK rejects with the 403 body', async () => {
    interface Sdk {
      ApiClient: {
        instance: {
          setGateway(g: { host: string; protocol: string; port: number }): void;
          loginClientCredentialsGrant(id: string, secret: string): Promise<unknown>;
        };
      };
      OAuthApi: new () => {
        getOauthClient(id: string): Promise<{
          id: string;
          roleDivisions: Array<{ roleId: string; divisionId: string }>;
          authorizedGrantType: string;
        }>;
      };
      AuthorizationApi: new () => {
        getAuthorizationRole(id: string): Promise<{ name: string; permissions: string[] }>;
      };
    }
    const sdk = platformClient as unknown as Sdk;
    const login = async (target: GenesysEmulator): Promise<void> => {
      sdk.ApiClient.instance.setGateway({ host: '127.0.0.1', protocol: 'http', port: target.port });
      await sdk.ApiClient.instance.loginClientCredentialsGrant(RETAIL.clientId, RETAIL.secret);
    };
    await login(pristine);
    const client = await new sdk.OAuthApi().getOauthClient(RETAIL.clientId);
    expect(client.authorizedGrantType).toBe('CLIENT-CREDENTIALS');
    expect(client.roleDivisions).toHaveLength(1);
    const role = await new sdk.AuthorizationApi().getAuthorizationRole(client.roleDivisions[0]?.roleId ?? '');
    expect(role.name).toBe('Seasonal Provisioner');
    expect([...role.permissions].sort()).toEqual(SEASONAL_PROVISIONER);

    await login(emulator);
    emulator.setClientPermissions(RETAIL.orgId, RETAIL.clientId, ['authorization:role:view']);
    // Without returnExtended the SDK rejects with the response body itself.
    await expect(new sdk.OAuthApi().getOauthClient(RETAIL.clientId)).rejects.toMatchObject({
      status: 403,
      code: ANY,
      message: expect.stringContaining('oauth:client:view'),
    });
  });

  it('gives the clients of an older state file (no client roles) the Seasonal Provisioner role', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'genesys-permissions-'));
    try {
      const stateFile = path.join(dir, 'state.json');
      const first = await startGenesysEmulator({ ...NO_LAGS, stateFile });
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        orgs: Array<{ roles: Array<{ name: string }>; clients: Array<{ roleDivisions?: unknown }> }>;
      };
      for (const org of saved.orgs) {
        org.roles = org.roles.filter((r) => r.name !== 'Seasonal Provisioner');
        for (const c of org.clients) delete c.roleDivisions;
      }
      writeFileSync(stateFile, JSON.stringify(saved));
      const second = await startGenesysEmulator({ ...NO_LAGS, stateFile });
      try {
        expect(second.clientPermissions(RETAIL.orgId, RETAIL.clientId)).toEqual(SEASONAL_PROVISIONER);
        const t = await getToken(second.url);
        expect((await call(second.url, 'GET', '/api/v2/authorization/roles', { token: t })).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
