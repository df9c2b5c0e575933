// What usersLogins, licensesOfUsers and inferLicenses put on the wire (batched, never one read per user) and how
// they read lenient answers, against the unit fake over real HTTP.
import { GenesysClient, isGenesysApiError } from '../../integrations/genesys';
import { MAX_USERS_PER_BULK_READ } from '../../integrations/genesys/client';
import { permissionsOf } from '../../integrations/genesys/permissions';
import { fakeConnection, startFakeGenesys, type FakeGenesys } from './genesys-fake-api';

const ids = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('GenesysClient logins and licenses', () => {
  let fake: FakeGenesys;
  let client: GenesysClient;

  beforeEach(async () => {
    fake = await startFakeGenesys();
    client = new GenesysClient(fakeConnection(fake), { timeoutMs: 500 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('reads logins in chunks of 100 ids, comma-joined as the SDK sends them, with both expands and any state', async () => {
    fake.setHandler((req) => {
      const asked = (req.query.get('id') ?? '').split(',');
      return {
        status: 200,
        body: {
          entities: asked.map((id, i) =>
            i === 0
              ? {
                  id,
                  name: 'not read',
                  dateLastLogin: '2026-12-02T09:00:00.000Z',
                  lastTokenIssued: { dateIssued: 'x' },
                }
              : { id, dateLastLogin: null },
          ),
          pageCount: 1,
        },
      };
    });
    const users = await client.usersLogins([...ids(150), 'u0']);
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect(first).toMatchObject({ method: 'GET', path: '/api/v2/users' });
    expect(first!.query.get('id')!.split(',')).toEqual(ids(MAX_USERS_PER_BULK_READ));
    expect(Object.fromEntries(first!.query)).toMatchObject({
      expand: 'dateLastLogin,lasttokenissued',
      state: 'any',
      pageSize: '100',
      pageNumber: '1',
    });
    expect(second!.query.get('pageSize')).toBe('50');
    expect(users).toHaveLength(150);
    expect(users[0]).toEqual({ id: 'u0', dateLastLogin: '2026-12-02T09:00:00.000Z', lastTokenIssued: 'x' });
    expect(users[1]).toEqual({ id: 'u1' });
  });

  it('follows further pages when the server pages smaller than asked, and stops on an empty page', async () => {
    fake.setHandler((req) => {
      const page = Number(req.query.get('pageNumber'));
      return { status: 200, body: { entities: page === 1 ? [{ id: 'u0' }] : [], pageCount: 5 } };
    });
    expect(await client.usersLogins(ids(3))).toEqual([{ id: 'u0' }]);
    expect(fake.requests.map((r) => r.query.get('pageNumber'))).toEqual(['1', '2']);
  });

  it('batches license reads and keeps only the ids asked for, from definitions or bare ids', async () => {
    fake.setHandler((req) => {
      const body = req.body as string[];
      return {
        status: 200,
        body: {
          [body[0]!]: { id: body[0], licenses: [{ id: 'cloudCX1', description: 'Genesys Cloud CX 1' }, 'cloudCX1'] },
          [body[1]!]: { id: body[1], licenses: null },
          stranger: { licenses: ['cloudCX3'] },
        },
      };
    });
    const held = await client.licensesOfUsers(ids(101));
    expect(fake.requests.map((r) => [r.method, r.path, (r.body as string[]).length])).toEqual([
      ['POST', '/api/v2/license/users', 100],
      ['POST', '/api/v2/license/users', 1],
    ]);
    expect(held.get('u0')).toEqual(['cloudCX1']);
    expect(held.get('u1')).toEqual([]);
    expect(held.get('u100')).toEqual(['cloudCX1']);
    expect(held.has('stranger')).toBe(false);
    expect(held.has('u2')).toBe(false);
  });

  it('infers licenses from roles in one request, and makes none for no roles', async () => {
    expect(await client.inferLicenses([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
    fake.setHandler(() => ({ status: 200, body: ['cloudCX1', 'cloudCX2', 'cloudCX1'] }));
    expect(await client.inferLicenses(['r1', 'r2', 'r1'])).toEqual(['cloudCX1', 'cloudCX2']);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/api/v2/license/infer', body: ['r1', 'r2'] });
  });

  it('names the call and its permission when Genesys refuses a license read', async () => {
    fake.setHandler(() => ({ status: 403, body: { code: 'missing.any.permissions', status: 403, message: 'no' } }));
    const err: unknown = await client.licensesOfUsers(['u0']).catch((e: unknown) => e);
    expect(isGenesysApiError(err, 'Forbidden') && err.operation).toBe('POST /api/v2/license/users');
    expect(permissionsOf('POST /api/v2/license/users')).toEqual(['authorization:grant:add']);
    expect(permissionsOf('GET /api/v2/users')).toEqual([]);
  });
});
