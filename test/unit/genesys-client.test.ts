// What the client puts on the wire and how it reads answers, against the unit fake over real HTTP.
import { GenesysClient, isGenesysApiError, type GenesysApiError } from '../../integrations/genesys';
import { fakeConnection, startFakeGenesys, type FakeGenesys } from './genesys-fake-api';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const EMAIL = 'jane.temp@example.com';

function scimUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    id: 'user-1',
    userName: EMAIL,
    displayName: 'Jane Temp',
    active: true,
    externalId: '00u1',
    [ENTERPRISE]: { division: 'Retail Stores' },
    meta: { resourceType: 'User', version: '1' },
    someFutureField: { nested: true },
    ...overrides,
  };
}

async function failure(p: Promise<unknown>): Promise<GenesysApiError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isGenesysApiError(err)) throw new Error(`expected a GenesysApiError, got ${String(err)}`);
  return err;
}

describe('GenesysClient requests', () => {
  let fake: FakeGenesys;
  let client: GenesysClient;

  beforeEach(async () => {
    fake = await startFakeGenesys();
    client = new GenesysClient(fakeConnection(fake), { timeoutMs: 500 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('creates a SCIM user with core + enterprise schemas, displayName, home division name, externalId and work email', async () => {
    fake.setHandler(() => ({ status: 201, body: scimUser() }));
    const user = await client.createUser({
      userName: EMAIL,
      givenName: 'Jane',
      familyName: 'Temp',
      email: 'jane@work.example.com',
      externalId: '00u1',
      homeDivisionName: 'Retail Stores',
      employeeNumber: 'E-42',
    });

    expect(user).toMatchObject({ id: 'user-1', userName: EMAIL, active: true, externalId: '00u1' });
    expect(user).not.toHaveProperty('someFutureField');
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/api/v2/scim/v2/users' });
    expect(req!.contentType).toMatch(/^application\/scim\+json/);
    expect(req!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: EMAIL,
      displayName: 'Jane Temp',
      active: true,
      externalId: '00u1',
      emails: [{ value: 'jane@work.example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { division: 'Retail Stores', employeeNumber: 'E-42' },
    });
  });

  it('leaves employeeNumber out when the agent has none', async () => {
    fake.setHandler(() => ({ status: 201, body: scimUser() }));
    await client.createUser({
      userName: EMAIL,
      givenName: 'J',
      familyName: 'T',
      email: EMAIL,
      externalId: '00u1',
      homeDivisionName: 'Home',
    });
    expect((fake.requests[0]!.body as Record<string, unknown>)[ENTERPRISE]).toEqual({ division: 'Home' });
  });

  it('looks a user up with a quoted, percent-encoded userName filter', async () => {
    fake.setHandler(() => ({
      status: 200,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        Resources: [scimUser()],
      },
    }));
    const users = await client.findUsersByUserName('o"brien+x@example.com');

    expect(users.map((u) => u.id)).toEqual(['user-1']);
    const [req] = fake.requests;
    expect(req!.path).toBe('/api/v2/scim/v2/users');
    expect(req!.query.get('filter')).toBe('userName eq "o\\"brien+x@example.com"');
    // %20 for spaces and %2B for '+': a '+' left raw would read back as a space.
    expect(req!.rawQuery).toBe('filter=userName%20eq%20%22o%5C%22brien%2Bx%40example.com%22');
  });

  it('reads an empty SCIM list without Resources as no users', async () => {
    fake.setHandler(() => ({ status: 200, body: { totalResults: 0, itemsPerPage: 0, startIndex: 1 } }));
    await expect(client.findUsersByUserName(EMAIL)).resolves.toEqual([]);
  });

  it('deactivates through a SCIM PatchOp on active', async () => {
    fake.setHandler(() => ({ status: 200, body: scimUser({ active: false }) }));
    await client.setUserActive('user-1', false);
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'PATCH', path: '/api/v2/scim/v2/users/user-1' });
    expect(req!.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
  });

  it('deletes through SCIM DELETE and accepts 204', async () => {
    fake.setHandler(() => ({ status: 204 }));
    await client.deleteUser('user-1');
    expect(fake.requests[0]).toMatchObject({ method: 'DELETE', path: '/api/v2/scim/v2/users/user-1' });
  });

  it('returns only direct grants: group-inherited ones are dropped, duplicates collapse', async () => {
    fake.setHandler(() => ({
      status: 200,
      body: {
        id: 'user-1',
        name: 'Jane Temp',
        grants: [
          {
            subjectId: 'user-1',
            role: { id: 'r1', name: 'Voice Agent' },
            division: { id: 'd1', name: 'Retail' },
            grantMadeAt: '2026-01-01T00:00:00Z',
          },
          { subjectId: 'group-9', role: { id: 'r2' }, division: { id: 'd1' } },
          { subjectId: 'group-9', role: { id: 'r1' }, division: { id: 'd1' } },
          { subjectId: 'user-1', role: { id: 'r1' }, division: { id: 'd1' } },
          { subjectId: 'user-1', role: { id: 'r3' }, division: { id: '*' } },
        ],
        version: 3,
      },
    }));
    await expect(client.getDirectGrants('user-1')).resolves.toEqual([
      { roleId: 'r1', divisionId: 'd1' },
      { roleId: 'r3', divisionId: '*' },
    ]);
    expect(fake.requests[0]!.path).toBe('/api/v2/authorization/subjects/user-1');
    expect(fake.requests[0]!.query.get('includeDuplicates')).toBe('true');
  });

  it('posts bulkadd and bulkremove with {grants:[{roleId, divisionId}]}', async () => {
    fake.setHandler(() => ({ status: 204 }));
    const grants = [
      { roleId: 'r1', divisionId: 'd1' },
      { roleId: 'r2', divisionId: 'd2' },
    ];
    await client.addGrants('user-1', grants);
    await client.removeGrants('user-1', grants.slice(0, 1));
    expect(fake.requests.map((r) => [r.method, r.path, r.query.get('subjectType'), r.body])).toEqual([
      ['POST', '/api/v2/authorization/subjects/user-1/bulkadd', 'PC_USER', { grants }],
      // The official SDK's bulkremove has no subjectType parameter: none is sent.
      ['POST', '/api/v2/authorization/subjects/user-1/bulkremove', null, { grants: grants.slice(0, 1) }],
    ]);
  });

  it('moves the home division with a bare JSON array of user ids', async () => {
    fake.setHandler(() => ({ status: 204 }));
    await client.moveUsersToDivision('d 1', ['user-1']);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/v2/authorization/divisions/d%201/objects/USER',
      body: ['user-1'],
    });
  });

  it('lists roles and divisions with pageSize, an optional name filter, and tells when more pages exist', async () => {
    fake.setHandler((req) =>
      req.path.endsWith('/roles')
        ? {
            status: 200,
            body: {
              entities: [{ id: 'r1', name: 'Voice Agent', permissions: [] }],
              pageSize: 100,
              pageNumber: 1,
              total: 1,
              pageCount: 1,
            },
          }
        : {
            status: 200,
            body: {
              entities: [{ id: 'd1', name: 'Returns & Exchanges', homeDivision: false }],
              pageSize: 1,
              pageNumber: 1,
              total: 6,
              pageCount: 6,
            },
          },
    );
    await expect(client.listRoles({ name: 'Voice Agent', pageSize: 100 })).resolves.toEqual({
      entities: [{ id: 'r1', name: 'Voice Agent' }],
      more: false,
    });
    await expect(client.listDivisions({ pageSize: 1 })).resolves.toEqual({
      entities: [{ id: 'd1', name: 'Returns & Exchanges' }],
      more: true,
    });
    expect(fake.requests[0]!.rawQuery).toBe('pageSize=100&pageNumber=1&name=Voice%20Agent');
    expect(fake.requests[1]!.rawQuery).toBe('pageSize=1&pageNumber=1');
  });
});

describe('GenesysClient errors', () => {
  let fake: FakeGenesys;
  let client: GenesysClient;

  beforeEach(async () => {
    fake = await startFakeGenesys();
    client = new GenesysClient(fakeConnection(fake), { timeoutMs: 300 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('429 → RateLimited with Retry-After seconds as milliseconds', async () => {
    fake.setHandler(() => ({
      status: 429,
      headers: { 'retry-after': '3', 'inin-correlation-id': 'corr-1' },
      body: {
        message: 'Rate limit exceeded the maximum. Retry the request in [3] seconds',
        code: 'too.many.requests.retry.after',
        status: 429,
      },
    }));
    const err = await failure(client.findUsersByUserName(EMAIL));
    expect(err).toMatchObject({
      kind: 'RateLimited',
      status: 429,
      retryAfterMs: 3000,
      code: 'too.many.requests.retry.after',
      correlationId: 'corr-1',
    });
  });

  it('429 without the header still finds the delay in the documented message', async () => {
    fake.setHandler(() => ({
      status: 429,
      body: { message: 'Rate limit exceeded the maximum. Retry the request in [5] seconds', status: 429 },
    }));
    expect((await failure(client.deleteUser('u1'))).retryAfterMs).toBe(5000);
  });

  it.each([
    [500, 'ServerError'],
    [503, 'ServerError'],
    [408, 'ServerError'],
    [404, 'NotFound'],
    [409, 'Conflict'],
    [400, 'BadRequest'],
    [403, 'Forbidden'],
    [415, 'BadRequest'],
  ])('%i → %s', async (status, kind) => {
    fake.setHandler(() => ({ status, body: { message: 'something', code: 'some.code', status } }));
    expect((await failure(client.deleteUser('u1'))).kind).toBe(kind);
  });

  it('reads SCIM error bodies (string status, scimType) and treats 400 invalidVers as a Conflict', async () => {
    fake.setHandler(() => ({
      status: 400,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidVers',
        detail: 'Version does not match current version.',
      },
    }));
    const err = await failure(client.setUserActive('u1', false));
    expect(err).toMatchObject({ kind: 'Conflict', status: 400, code: 'invalidVers' });
    expect(err.message).toBe(
      'Genesys PATCH /api/v2/scim/v2/users/{userId} → 400 (Conflict) invalidVers: Version does not match current version.',
    );
  });

  it('never echoes the SCIM filter (an email) or an email from the upstream message', async () => {
    fake.setHandler(() => ({
      status: 409,
      body: { status: '409', scimType: 'uniqueness', detail: `User name ${EMAIL} already in use by non-deleted user.` },
    }));
    const lookup = await failure(client.findUsersByUserName(EMAIL));
    expect(lookup.message).toBe(
      'Genesys GET /api/v2/scim/v2/users → 409 (Conflict) uniqueness: User name <redacted> already in use by non-deleted user.',
    );
    expect(JSON.stringify({ ...lookup, message: lookup.message })).not.toContain('example.com');
  });

  it('a dropped connection is a retryable ServerError (the write may have committed)', async () => {
    fake.setHandler(() => ({ drop: true }));
    const err = await failure(client.addGrants('u1', [{ roleId: 'r', divisionId: 'd' }]));
    expect(err.kind).toBe('ServerError');
    expect(err.status).toBeUndefined();
    expect(err.networkCode).toMatch(/ECONNRESET|ERR_NETWORK|EPIPE/);
    expect(err.message).toMatch(
      /^Genesys POST \/api\/v2\/authorization\/subjects\/\{subjectId\}\/bulkadd → network error /,
    );
  });

  it('a request slower than the timeout is a ServerError', async () => {
    fake.setHandler(() => ({ stallMs: 1000, then: { status: 204 } }));
    const started = Date.now();
    const err = await failure(client.deleteUser('u1'));
    expect(err.kind).toBe('ServerError');
    expect(err.networkCode).toMatch(/ECONNABORTED|ETIMEDOUT/);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('a 2xx body that does not match the schema is InvalidResponse, naming paths but not values', async () => {
    fake.setHandler(() => ({ status: 201, body: { userName: EMAIL, active: 'yes' } }));
    const err = await failure(
      client.createUser({
        userName: EMAIL,
        givenName: 'J',
        familyName: 'T',
        email: EMAIL,
        externalId: '00u1',
        homeDivisionName: 'Home',
      }),
    );
    expect(err.kind).toBe('InvalidResponse');
    expect(err.message).toContain('unexpected body at id, active');
    expect(err.message).not.toContain(EMAIL);
  });

  it('an aborted request is Cancelled', async () => {
    fake.setHandler(() => ({ stallMs: 200, then: { status: 204 } }));
    const controller = new AbortController();
    const pending = client.deleteUser('u1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).kind).toBe('Cancelled');
  });
});
