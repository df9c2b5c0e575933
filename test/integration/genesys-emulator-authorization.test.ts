// OAuth and the Authorization API on the Genesys emulator: tokens and org isolation, roles and divisions,
// grants in Genesys's AuthzSubject shape, bulk changes, the `*` division, home-division moves and the
// eventual-consistency 404 right after creation.
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { NO_LAGS, OUTLET, RETAIL, call, createUser, getToken } from './genesys-emulator-helpers';

type Listing<T> = {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  nextUri?: string;
};
type Named = { id: string; name: string };
type Subject = {
  id: string;
  grants: Array<{ subjectId: string; role: Named; division: Named & { homeDivision?: boolean } }>;
};

const SUBJECTS = '/api/v2/authorization/subjects';

describe('Genesys emulator: OAuth', () => {
  let emulator: GenesysEmulator;
  beforeAll(async () => {
    emulator = await startGenesysEmulator({ ...NO_LAGS, tokenTtlSeconds: 1 });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const tokenRequest = (auth: string | undefined, body = 'grant_type=client_credentials', base = emulator.url) =>
    fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('issues bearer tokens for client credentials and refuses bad credentials or grant types', async () => {
    const ok = await tokenRequest(basic(RETAIL.clientId, RETAIL.secret));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 1 });
    expect((await tokenRequest(basic(RETAIL.clientId, 'wrong'))).status).toBe(401);
    expect((await tokenRequest(undefined)).status).toBe(401);
    const wrongGrant = await tokenRequest(basic(RETAIL.clientId, RETAIL.secret), 'grant_type=password');
    expect(wrongGrant.status).toBe(400);
    expect(await wrongGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const json = await fetch(`${emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(RETAIL.clientId, RETAIL.secret), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(415);
  });

  it('answers 401 for a missing, unknown or expired token', async () => {
    const missing = await call(emulator.url, 'GET', '/api/v2/authorization/roles');
    expect(missing).toMatchObject({ status: 401, body: { status: 401, code: 'authentication.required' } });
    expect((await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token: 'not-a-token' })).status).toBe(401);
    const token = await getToken(emulator.url);
    expect((await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await call(emulator.url, 'GET', '/api/v2/authorization/roles', { token })).toMatchObject({
      status: 401,
      body: { code: 'bad.credentials' },
    });
  });

  it('keeps orgs apart: each token sees its own org, and an org-pinned URL refuses other orgs’ tokens and clients', async () => {
    const retail = await getToken(emulator.url, RETAIL);
    const outlet = await getToken(emulator.url, OUTLET);
    const names = async (token: string, base = emulator.url) =>
      (await call<Listing<Named>>(base, 'GET', '/api/v2/authorization/divisions', { token })).body.entities.map(
        (d) => d.name,
      );
    expect(await names(outlet)).toEqual(['Home', 'Outlet Stores', 'Customer Care']);
    expect(await names(retail)).toHaveLength(6);

    const retailBase = emulator.orgUrl(RETAIL.orgId);
    expect(await names(retail, retailBase)).toHaveLength(6);
    expect((await call(retailBase, 'GET', '/api/v2/authorization/divisions', { token: outlet })).status).toBe(401);
    expect((await tokenRequest(basic(OUTLET.clientId, OUTLET.secret), undefined, retailBase)).status).toBe(401);
    expect((await tokenRequest(basic(RETAIL.clientId, RETAIL.secret), undefined, retailBase)).status).toBe(200);
    // A retail user id is unknown to the outlet org.
    const user = await createUser(emulator.url, retail);
    expect((await call(emulator.url, 'GET', `${SUBJECTS}/${user.id}`, { token: outlet })).status).toBe(404);
  });
});

describe('Genesys emulator: Authorization API', () => {
  let emulator: GenesysEmulator;
  let token: string;
  let roles: Record<string, string>;
  let divisions: Record<string, string>;
  const api = <T = Record<string, unknown>>(method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call<T>(emulator.url, method, path, { token, ...options });
  const grantsOf = async (userId: string) =>
    (await api<Subject>('GET', `${SUBJECTS}/${userId}`)).body.grants
      .map((g) => `${g.role.name}@${g.division.name}`)
      .sort();

  beforeAll(async () => {
    emulator = await startGenesysEmulator(NO_LAGS);
    token = await getToken(emulator.url);
    const state = emulator.inspect(RETAIL.orgId);
    roles = Object.fromEntries(state.roles.map((r) => [r.name, r.id]));
    divisions = Object.fromEntries(state.divisions.map((d) => [d.name, d.id]));
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('lists roles with paging and a case-insensitive name search', async () => {
    const page1 = await api<Listing<Named & { default: boolean }>>(
      'GET',
      '/api/v2/authorization/roles?pageSize=4&pageNumber=1',
    );
    expect(page1.body).toMatchObject({
      total: 11,
      pageSize: 4,
      pageNumber: 1,
      pageCount: 3,
      nextUri: expect.stringContaining('pageNumber=2'),
    });
    expect(page1.body.entities).toHaveLength(4);
    const page3 = await api<Listing<Named>>('GET', '/api/v2/authorization/roles?pageSize=4&pageNumber=3');
    expect(page3.body.entities).toHaveLength(3);
    const agents = await api<Listing<Named>>('GET', '/api/v2/authorization/roles?name=agent');
    expect(agents.body.entities.map((r) => r.name).sort()).toEqual([
      'Chat Agent',
      'Email Agent',
      'Seasonal Agents',
      'Voice Agent',
    ]);
    expect((await api('GET', '/api/v2/authorization/roles?pageSize=1000')).status).toBe(400);
    expect((await api<Named>('GET', `/api/v2/authorization/roles/${roles.Trainer}`)).body.name).toBe('Trainer');
  });

  it('lists divisions with paging, id filters and the home division', async () => {
    const all = await api<Listing<Named & { homeDivision: boolean }>>(
      'GET',
      '/api/v2/authorization/divisions?pageSize=25',
    );
    expect(all.body.entities.map((d) => d.name)).toEqual([
      'Home',
      'Retail Stores',
      'E-Commerce',
      'Returns & Exchanges',
      'Holiday Overflow',
      'Quality Assurance',
    ]);
    expect(all.body.entities.filter((d) => d.homeDivision).map((d) => d.name)).toEqual(['Home']);
    const paged = await api<Listing<Named>>('GET', '/api/v2/authorization/divisions?pageSize=5&pageNumber=2');
    expect(paged.body).toMatchObject({ total: 6, pageCount: 2 });
    expect(paged.body.entities.map((d) => d.name)).toEqual(['Quality Assurance']);
    const byId = await api<Listing<Named>>(
      'GET',
      `/api/v2/authorization/divisions?id=${divisions['E-Commerce']}&id=${divisions.Home}`,
    );
    expect(byId.body.entities.map((d) => d.name).sort()).toEqual(['E-Commerce', 'Home']);
    expect((await api<Named>('GET', '/api/v2/authorization/divisions/home')).body.name).toBe('Home');
  });

  it('bulkadd grants a role per division (204), is a no-op for existing grants and reads back in AuthzSubject shape', async () => {
    const { id } = await createUser(emulator.url, token);
    const body = {
      grants: [
        { roleId: roles['Voice Agent'], divisionId: divisions['Retail Stores'] },
        { roleId: roles['Voice Agent'], divisionId: divisions['Holiday Overflow'] },
      ],
    };
    const added = await api('POST', `${SUBJECTS}/${id}/bulkadd`, { body });
    expect(added.status).toBe(204);
    expect((await api('POST', `${SUBJECTS}/${id}/bulkadd`, { body })).status).toBe(204);
    const subject = await api<Subject>('GET', `${SUBJECTS}/${id}`);
    expect(subject.body.grants).toContainEqual(
      expect.objectContaining({
        subjectId: id,
        role: expect.objectContaining({ id: roles['Voice Agent'], name: 'Voice Agent' }),
        division: expect.objectContaining({ id: divisions['Retail Stores'], name: 'Retail Stores' }),
        grantMadeAt: expect.any(String),
      }),
    );
    expect(await grantsOf(id)).toEqual(['Voice Agent@Holiday Overflow', 'Voice Agent@Retail Stores', 'employee@Home']);
  });

  it('stores `*` as one all-divisions grant and returns it as division id "*"', async () => {
    const { id } = await createUser(emulator.url, token);
    expect(
      (
        await api('POST', `${SUBJECTS}/${id}/bulkadd`, {
          body: { grants: [{ roleId: roles['Reporting Viewer'], divisionId: '*' }] },
        })
      ).status,
    ).toBe(204);
    const grant = (await api<Subject>('GET', `${SUBJECTS}/${id}`)).body.grants.find(
      (g) => g.role.name === 'Reporting Viewer',
    );
    expect(grant?.division).toMatchObject({ id: '*', name: 'All Divisions' });
    // Removing the role in one named division does not touch the `*` grant.
    await api('POST', `${SUBJECTS}/${id}/bulkremove`, {
      body: { grants: [{ roleId: roles['Reporting Viewer'], divisionId: divisions.Home }] },
    });
    expect(await grantsOf(id)).toContain('Reporting Viewer@All Divisions');
  });

  it('answers 404 for an unknown user, role or division and applies nothing', async () => {
    const { id } = await createUser(emulator.url, token);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const good = { roleId: roles.Supervisor, divisionId: divisions['Retail Stores'] };
    expect(await api('POST', `${SUBJECTS}/${unknown}/bulkadd`, { body: { grants: [good] } })).toMatchObject({
      status: 404,
      body: { status: 404, code: 'not.found' },
    });
    expect(
      (
        await api('POST', `${SUBJECTS}/${id}/bulkadd`, {
          body: { grants: [good, { roleId: unknown, divisionId: divisions.Home }] },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api('POST', `${SUBJECTS}/${id}/bulkadd`, {
          body: { grants: [good, { roleId: roles.Supervisor, divisionId: unknown }] },
        })
      ).status,
    ).toBe(404);
    expect((await api('GET', `${SUBJECTS}/${unknown}`)).status).toBe(404);
    expect(await grantsOf(id)).toEqual(['employee@Home']);
  });

  it('rejects malformed grant bodies with platform 400s', async () => {
    const { id } = await createUser(emulator.url, token);
    expect(
      await api('POST', `${SUBJECTS}/${id}/bulkadd`, { body: { grants: [{ roleId: roles.Supervisor }] } }),
    ).toMatchObject({ status: 400, body: { status: 400, code: 'bad.request' } });
    expect((await api('POST', `${SUBJECTS}/${id}/bulkadd`, { body: {} })).status).toBe(400);
    expect(
      (await api('POST', `${SUBJECTS}/${id}/bulkadd`, { rawBody: '{"grants":[', contentType: 'application/json' }))
        .body,
    ).toMatchObject({ status: 400, code: 'bad.request' });
    expect((await api('POST', `${SUBJECTS}/${id}/bulkadd?subjectType=PC_GROUP`, { body: { grants: [] } })).status).toBe(
      400,
    );
  });

  it('bulkremove removes only the named pairs; bulkreplace sets exactly the given grants', async () => {
    const { id } = await createUser(emulator.url, token);
    await api('POST', `${SUBJECTS}/${id}/bulkadd`, {
      body: {
        grants: [
          { roleId: roles['Chat Agent'], divisionId: divisions['E-Commerce'] },
          { roleId: roles['Chat Agent'], divisionId: divisions['Returns & Exchanges'] },
          { roleId: roles['Email Agent'], divisionId: divisions['E-Commerce'] },
        ],
      },
    });
    const removed = await api('POST', `${SUBJECTS}/${id}/bulkremove`, {
      body: { grants: [{ roleId: roles['Chat Agent'], divisionId: divisions['E-Commerce'] }] },
    });
    expect(removed.status).toBe(204);
    expect(await grantsOf(id)).toEqual(['Chat Agent@Returns & Exchanges', 'Email Agent@E-Commerce', 'employee@Home']);
    // Removing a grant the user does not hold is a no-op, like adding one it already holds.
    expect(
      (
        await api('POST', `${SUBJECTS}/${id}/bulkremove`, {
          body: { grants: [{ roleId: roles.Trainer, divisionId: divisions.Home }] },
        })
      ).status,
    ).toBe(204);

    const replaced = await api('POST', `${SUBJECTS}/${id}/bulkreplace`, {
      body: { grants: [{ roleId: roles.Supervisor, divisionId: divisions['Quality Assurance'] }] },
    });
    expect(replaced.status).toBe(204);
    expect(await grantsOf(id)).toEqual(['Supervisor@Quality Assurance']);
  });

  it('grants and revokes single pairs through the subject/division/role endpoints', async () => {
    const { id } = await createUser(emulator.url, token);
    const path = `${SUBJECTS}/${id}/divisions/${divisions['Holiday Overflow']}/roles/${roles['Seasonal Agents']}`;
    expect((await api('POST', path)).status).toBe(204);
    expect(await grantsOf(id)).toContain('Seasonal Agents@Holiday Overflow');
    expect((await api('DELETE', path)).status).toBe(204);
    expect(await grantsOf(id)).not.toContain('Seasonal Agents@Holiday Overflow');
  });

  it('moves users to a home division with POST /divisions/{id}/objects/USER', async () => {
    const a = await createUser(emulator.url, token);
    const b = await createUser(emulator.url, token);
    const moved = await api('POST', `/api/v2/authorization/divisions/${divisions['Holiday Overflow']}/objects/USER`, {
      body: [a.id, b.id],
    });
    expect(moved.status).toBe(204);
    const users = emulator.inspect(RETAIL.orgId).users.filter((u) => u.id === a.id || u.id === b.id);
    expect(users.map((u) => u.homeDivision.name)).toEqual(['Holiday Overflow', 'Holiday Overflow']);
    expect(
      (
        await api('POST', `/api/v2/authorization/divisions/00000000-0000-4000-8000-000000000000/objects/USER`, {
          body: [a.id],
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api('POST', `/api/v2/authorization/divisions/${divisions.Home}/objects/USER`, {
          body: ['00000000-0000-4000-8000-000000000000'],
        })
      ).status,
    ).toBe(404);
    expect(
      (await api('POST', `/api/v2/authorization/divisions/${divisions.Home}/objects/QUEUE`, { body: [a.id] })).status,
    ).toBe(400);
    expect(
      (await api('POST', `/api/v2/authorization/divisions/${divisions.Home}/objects/USER`, { body: { id: a.id } }))
        .status,
    ).toBe(400);
  });

  it('a deleted user is 404 on the Authorization API', async () => {
    const { id } = await createUser(emulator.url, token);
    await api('DELETE', `/api/v2/scim/v2/users/${id}`);
    expect((await api('GET', `${SUBJECTS}/${id}`)).status).toBe(404);
    expect(
      (
        await api('POST', `${SUBJECTS}/${id}/bulkadd`, {
          body: { grants: [{ roleId: roles.Trainer, divisionId: divisions.Home }] },
        })
      ).status,
    ).toBe(404);
  });

  it('shows an admin’s hand-made grant and a role added or removed by the control API', async () => {
    const { id } = await createUser(emulator.url, token);
    emulator.addGrantByHand(RETAIL.orgId, id, roles['Workforce Viewer'], divisions['Retail Stores']);
    expect(await grantsOf(id)).toContain('Workforce Viewer@Retail Stores');
    const newRoleId = emulator.addRole(RETAIL.orgId, 'Holiday Greeter');
    expect(
      (await api<Listing<Named>>('GET', '/api/v2/authorization/roles?name=Holiday Greeter')).body.entities,
    ).toEqual([expect.objectContaining({ id: newRoleId })]);
    emulator.removeRole(RETAIL.orgId, 'Workforce Viewer');
    expect(await grantsOf(id)).not.toContain('Workforce Viewer@Retail Stores');
    emulator.removeRole(RETAIL.orgId, 'Holiday Greeter');
    emulator.addRole(RETAIL.orgId, 'Workforce Viewer');
  });
});

describe('Genesys emulator: the 404 window right after creation', () => {
  it('answers 404 on authorization calls for a just-created user, then succeeds', async () => {
    const emulator = await startGenesysEmulator({ newUserNotFoundMs: 300 });
    try {
      const token = await getToken(emulator.url);
      const { id } = await createUser(emulator.url, token);
      const state = emulator.inspect(RETAIL.orgId);
      const grant = {
        roleId: state.roles.find((r) => r.name === 'Voice Agent')?.id,
        divisionId: state.divisions.find((d) => d.name === 'E-Commerce')?.id,
      };
      const bulkadd = () =>
        call(emulator.url, 'POST', `${SUBJECTS}/${id}/bulkadd`, { token, body: { grants: [grant] } });
      expect((await bulkadd()).status).toBe(404);
      expect((await call(emulator.url, 'GET', `/api/v2/scim/v2/users/${id}`, { token })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await bulkadd()).status).toBe(204);
    } finally {
      await emulator.close();
    }
  });
});
