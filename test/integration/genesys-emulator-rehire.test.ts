// The Genesys emulator as production behaves around deleted users and fresh writes: a SCIM create with a deleted
// user's userName revives that user (or 409 in the Users API's way, or a new id), the Users API finds and
// restores deleted users, Authorization calls 404 for a while after a create, searches lag, and deactivation
// strips grants or not as configured.
import { setTimeout as sleep } from 'node:timers/promises';
import { startGenesysEmulator, type GenesysEmulator, type GenesysEmulatorOptions } from '../../emulators/genesys';
import {
  ENTERPRISE,
  GENESYS,
  NO_LAGS,
  PATCH_OP,
  RETAIL,
  call,
  getToken,
  newUserBody,
  uniqueUserName,
} from './genesys-emulator-helpers';

const USERS = '/api/v2/scim/v2/users';
const SUBJECTS = '/api/v2/authorization/subjects';
const SEARCH = '/api/v2/users/search';

type ScimUser = { id: string; userName: string; active: boolean; [ext: string]: unknown };
type PlatformUser = { id: string; state: string; version: number; division: { id: string; name: string } };
type SearchResponse = {
  total: number;
  pageCount: number;
  pageSize: number;
  pageNumber: number;
  results: PlatformUser[];
};

async function withEmulator(options: GenesysEmulatorOptions, run: (e: Env) => Promise<void>): Promise<void> {
  const emulator = await startGenesysEmulator(options);
  try {
    const token = await getToken(emulator.url);
    await run(new Env(emulator, token));
  } finally {
    await emulator.close();
  }
}

class Env {
  constructor(
    readonly emulator: GenesysEmulator,
    readonly token: string,
  ) {}
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
    return call<T>(this.emulator.url, method, path, { token: this.token, ...(body !== undefined ? { body } : {}) });
  }
  inspect(id: string) {
    return this.emulator.inspect(RETAIL.orgId).users.find((u) => u.id === id)!;
  }
  id(kind: 'role' | 'division', name: string): string {
    const state = this.emulator.inspect(RETAIL.orgId);
    const list = kind === 'role' ? state.roles : state.divisions;
    return list.find((x) => x.name === name)!.id;
  }
  /** A user in E-Commerce with a skill, a grant in Retail Stores, then deleted. */
  async deletedUser(): Promise<{ id: string; userName: string }> {
    const userName = uniqueUserName('rehire');
    const created = await this.api<ScimUser>(
      'POST',
      USERS,
      newUserBody(userName, {
        [ENTERPRISE]: { division: 'E-Commerce' },
        [GENESYS]: { routingSkills: [{ name: 'Returns', proficiency: 3 }] },
      }),
    );
    expect(created.status).toBe(201);
    const { id } = created.body;
    const grant = { roleId: this.id('role', 'Voice Agent'), divisionId: this.id('division', 'Retail Stores') };
    await eventually204(() => this.api('POST', `${SUBJECTS}/${id}/bulkadd`, { grants: [grant] }));
    expect((await this.api('DELETE', `${USERS}/${id}`)).status).toBe(204);
    return { id, userName };
  }
  search(query: unknown[], paging: Record<string, number> = {}) {
    return this.api<SearchResponse>('POST', SEARCH, { query, ...paging });
  }
}

async function eventually204(run: () => Promise<{ status: number }>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await run()).status === 204) return;
    await sleep(100);
  }
  throw new Error('never 204');
}

const byEmail = (value: string) => ({ type: 'EXACT', fields: ['email'], value });
const deletedState = { type: 'EXACT', fields: ['state'], values: ['deleted'] };

describe('Genesys emulator: a deleted user’s userName (rehire)', () => {
  it('revives the same user by default: Active, no role at all, in Home whatever the body says', async () => {
    await withEmulator({ ...NO_LAGS }, async (env) => {
      const { id, userName } = await env.deletedUser();
      const again = await env.api<ScimUser>(
        'POST',
        USERS,
        newUserBody(userName, {
          [ENTERPRISE]: { division: 'Holiday Overflow' },
          [GENESYS]: { routingSkills: [{ name: 'Gift Cards', proficiency: 2 }] },
        }),
      );
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ id, active: true });
      expect((again.body[ENTERPRISE] as { division: string }).division).toBe('Home');
      const user = env.inspect(id);
      expect(user).toMatchObject({ state: 'active', deleted: false, homeDivision: { name: 'Home' }, grants: [] });
      // The FAQ names no routing coming back with the user: the skills are as they were at the delete.
      expect(user.routingSkills).toEqual([{ name: 'Returns', proficiency: 3 }]);
      // And the name is taken again.
      expect((await env.api('POST', USERS, newUserBody(userName))).status).toBe(409);
    });
  });

  it('with rehire "conflict", answers 409 and the Users API finds and restores the deleted user (version checked)', async () => {
    await withEmulator({ ...NO_LAGS, rehire: 'conflict' }, async (env) => {
      const { id, userName } = await env.deletedUser();
      const again = await env.api('POST', USERS, newUserBody(userName));
      expect(again.status).toBe(409);
      expect(env.emulator.inspect(RETAIL.orgId).users.filter((u) => u.userName === userName)).toHaveLength(1);

      const found = await env.search([byEmail(userName.toUpperCase()), deletedState]);
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ total: 1, pageCount: 1, pageNumber: 1 });
      const [deleted] = found.body.results;
      expect(deleted).toMatchObject({ id, state: 'deleted', division: { name: 'Home' } });
      // Without a state criterion, deleted users are not searched.
      expect((await env.search([byEmail(userName)])).body.total).toBe(0);

      const stale = await env.api('PATCH', `/api/v2/users/${id}`, { state: 'active', version: deleted.version - 1 });
      expect(stale).toMatchObject({ status: 409, body: { code: 'general.conflict' } });
      const restored = await env.api<PlatformUser>('PATCH', `/api/v2/users/${id}`, {
        state: 'active',
        version: deleted.version,
      });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id, state: 'active', division: { name: 'Home' } });
      expect(restored.body.version).toBeGreaterThan(deleted.version);
      expect(env.inspect(id)).toMatchObject({ state: 'active', grants: [], homeDivision: { name: 'Home' } });
      expect((await env.api('GET', `${USERS}/${id}`)).status).toBe(200);
    });
  });

  it('refuses a restore while another live user holds the userName, and an unknown id is 404', async () => {
    await withEmulator({ ...NO_LAGS, rehire: 'new-id' }, async (env) => {
      const { id, userName } = await env.deletedUser();
      expect((await env.api('POST', USERS, newUserBody(userName))).status).toBe(201);
      const version = env.inspect(id).version;
      expect((await env.api('PATCH', `/api/v2/users/${id}`, { state: 'active', version })).status).toBe(409);
      expect(
        (await env.api('PATCH', '/api/v2/users/00000000-0000-4000-8000-000000000000', { state: 'active', version: 1 }))
          .status,
      ).toBe(404);
      expect((await env.api('PATCH', `/api/v2/users/${id}`, { state: 'active' })).status).toBe(400);
    });
  });

  it('users search: EXACT on email or username, a state criterion, paging; other criteria are 400', async () => {
    await withEmulator({ ...NO_LAGS }, async (env) => {
      const names = [uniqueUserName('page'), uniqueUserName('page'), uniqueUserName('page')];
      for (const n of names) expect((await env.api('POST', USERS, newUserBody(n))).status).toBe(201);
      const query = [{ type: 'EXACT', fields: ['email', 'username'], values: names }];
      const first = await env.search(query, { pageSize: 2, pageNumber: 1 });
      expect(first.body).toMatchObject({ total: 3, pageCount: 2, pageSize: 2, pageNumber: 1 });
      expect(first.body.results).toHaveLength(2);
      const second = await env.search(query, { pageSize: 2, pageNumber: 2 });
      expect(second.body.results).toHaveLength(1);
      const active = await env.search([
        { type: 'EXACT', fields: ['username'], value: names[0] },
        { type: 'EXACT', fields: ['state'], values: ['active'] },
      ]);
      expect(active.body.results.map((u) => u.state)).toEqual(['active']);
      expect((await env.search([{ type: 'CONTAINS', fields: ['email'], value: 'page' }])).status).toBe(400);
      expect((await env.search([{ type: 'EXACT', fields: ['department'], value: 'x' }])).status).toBe(400);
      expect((await env.search([], { pageSize: 101 })).status).toBe(400);
    });
  });
});

describe('Genesys emulator: lags after writes (production-faithful defaults)', () => {
  it('by default, Authorization calls 404 for 2 s after a create, with the same text as any other 404', async () => {
    await withEmulator({ searchLagMs: 0 }, async (env) => {
      const created = await env.api<ScimUser>('POST', USERS, newUserBody(uniqueUserName('lag')));
      const grant = { roleId: env.id('role', 'Voice Agent'), divisionId: env.id('division', 'Retail Stores') };
      const early = await env.api('POST', `${SUBJECTS}/${created.body.id}/bulkadd`, { grants: [grant] });
      expect(early.status).toBe(404);
      // Whatever is missing, the 404 reads the same: callers cannot (and must not) tell from the text.
      const unknownRole = await env.api('POST', `${SUBJECTS}/${created.body.id}/bulkadd`, {
        grants: [{ ...grant, roleId: '00000000-0000-4000-8000-000000000000' }],
      });
      expect(unknownRole.status).toBe(404);
      expect((unknownRole.body as { message: string }).message).toBe((early.body as { message: string }).message);
      await sleep(1_500);
      expect((await env.api('POST', `${SUBJECTS}/${created.body.id}/bulkadd`, { grants: [grant] })).status).toBe(404);
      await sleep(700);
      expect((await env.api('POST', `${SUBJECTS}/${created.body.id}/bulkadd`, { grants: [grant] })).status).toBe(204);
    });
  });

  it('a revived user is new again for the Authorization API', async () => {
    await withEmulator({ searchLagMs: 0, newUserNotFoundMs: 500 }, async (env) => {
      const { id, userName } = await env.deletedUser();
      await sleep(600);
      expect((await env.api('POST', USERS, newUserBody(userName))).body).toMatchObject({ id });
      expect((await env.api('GET', `${SUBJECTS}/${id}`)).status).toBe(404);
      await sleep(600);
      expect((await env.api('GET', `${SUBJECTS}/${id}`)).status).toBe(200);
    });
  });

  it('by default, searches see users as they were 1 s ago: after a create, a state change and a delete', async () => {
    await withEmulator({ newUserNotFoundMs: 0 }, async (env) => {
      const userName = uniqueUserName('search-lag');
      const filter = `${USERS}?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
      const listed = async () => (await env.api<{ totalResults: number; Resources?: ScimUser[] }>('GET', filter)).body;
      const { body } = await env.api<ScimUser>('POST', USERS, newUserBody(userName));
      expect((await listed()).totalResults).toBe(0);
      expect((await env.search([byEmail(userName)])).body.total).toBe(0);
      // A read by id is not a search: it sees the user at once.
      expect((await env.api('GET', `${USERS}/${body.id}`)).status).toBe(200);
      await sleep(1_100);
      expect((await listed()).totalResults).toBe(1);

      const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] };
      expect((await env.api('PATCH', `${USERS}/${body.id}`, patch)).status).toBe(200);
      expect((await listed()).Resources?.[0].active).toBe(true);
      await sleep(1_100);
      expect((await listed()).Resources?.[0].active).toBe(false);

      expect((await env.api('DELETE', `${USERS}/${body.id}`)).status).toBe(204);
      expect((await listed()).totalResults).toBe(1);
      expect((await env.search([byEmail(userName), deletedState])).body.total).toBe(0);
      await sleep(1_100);
      expect((await listed()).totalResults).toBe(0);
      expect((await env.search([byEmail(userName), deletedState])).body.total).toBe(1);
    });
  });
});

describe('Genesys emulator: deactivation and grants (deactivationRemovesGrants)', () => {
  for (const removes of [true, false]) {
    it(`${removes ? 'on' : 'off'}: active=false ${removes ? 'strips every grant' : 'keeps the grants'}; bulkremove works either way without subjectType`, async () => {
      await withEmulator({ ...NO_LAGS, deactivationRemovesGrants: removes }, async (env) => {
        const created = await env.api<ScimUser>('POST', USERS, newUserBody(uniqueUserName('deact')));
        const id = created.body.id;
        const grant = { roleId: env.id('role', 'Voice Agent'), divisionId: env.id('division', 'Retail Stores') };
        expect((await env.api('POST', `${SUBJECTS}/${id}/bulkadd`, { grants: [grant] })).status).toBe(204);
        const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] };
        expect((await env.api('PATCH', `${USERS}/${id}`, patch)).status).toBe(200);
        const names = env.inspect(id).grants.map((g) => g.roleName);
        expect(names.includes('Voice Agent')).toBe(!removes);
        // What the official SDK sends: no subjectType on bulkremove.
        expect((await env.api('POST', `${SUBJECTS}/${id}/bulkremove`, { grants: [grant] })).status).toBe(204);
        expect(env.inspect(id).grants.map((g) => g.roleName)).not.toContain('Voice Agent');
      });
    });
  }
});
