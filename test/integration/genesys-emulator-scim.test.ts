// SCIM users on the Genesys emulator: every status the service can meet, the Genesys-specific shape, and bad
// input answered with SCIM/platform error bodies while the emulator keeps serving.
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import {
  CORE,
  ENTERPRISE,
  GENESYS,
  NO_LAGS,
  PATCH_OP,
  RETAIL,
  call,
  createUser,
  getToken,
  newUserBody,
  uniqueUserName,
} from './genesys-emulator-helpers';

const USERS = '/api/v2/scim/v2/users';
const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

type ScimUser = {
  id: string;
  userName: string;
  active: boolean;
  externalId?: string;
  emails: Array<{ value: string; type: string }>;
  roles: Array<{ value: string }>;
  meta: { version: string; location: string; resourceType: string };
  [ext: string]: unknown;
};
type ListResponse = {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimUser[];
};

describe('Genesys emulator: SCIM users', () => {
  let emulator: GenesysEmulator;
  let token: string;
  const api = <T = Record<string, unknown>>(method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
    call<T>(emulator.url, method, path, { token, ...options });

  beforeAll(async () => {
    emulator = await startGenesysEmulator(NO_LAGS);
    token = await getToken(emulator.url);
  });
  afterAll(async () => {
    await emulator.close();
  });

  describe('create', () => {
    it('answers 201 with the Genesys user shape, an ETag and a Location', async () => {
      const userName = uniqueUserName();
      const res = await api<ScimUser>('POST', USERS, {
        contentType: 'application/scim+json',
        body: newUserBody(userName, {
          externalId: '00u-okta-1',
          title: 'Seasonal Agent',
          emails: [{ value: 'work@retail-us.example', type: 'work', primary: false }],
          [ENTERPRISE]: { division: 'Returns & Exchanges', employeeNumber: 'S-1' },
          [GENESYS]: {
            routingSkills: [{ name: 'Returns', proficiency: 3 }],
            routingLanguages: [{ name: 'English', proficiency: 5 }],
          },
        }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.headers.get('location')).toBe(`${emulator.url}${USERS}/${res.body.id}`);
      expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({
        schemas: [CORE, ENTERPRISE, GENESYS],
        userName,
        active: true,
        externalId: '00u-okta-1',
        emails: [
          { value: userName, type: 'other', primary: true },
          { value: 'work@retail-us.example', type: 'work' },
        ],
        roles: [{ value: 'employee' }],
        [ENTERPRISE]: { division: 'Returns & Exchanges', employeeNumber: 'S-1' },
        [GENESYS]: {
          routingSkills: [{ name: 'Returns', proficiency: 3 }],
          externalIds: [{ authority: 'x-pc:scimv2:v1', value: '00u-okta-1' }],
        },
        meta: { resourceType: 'User', version: '1', location: `${emulator.url}${USERS}/${res.body.id}` },
      });
      // The default role is a real grant in the Home division.
      const inspected = emulator.inspect(RETAIL.orgId).users.find((u) => u.id === res.body.id);
      expect(inspected?.grants).toEqual([expect.objectContaining({ roleName: 'employee', divisionName: 'Home' })]);
      expect(inspected?.homeDivision.name).toBe('Returns & Exchanges');
    });

    it('grants SCIM roles by name in the Home division, and rejects unknown roles and divisions', async () => {
      const ok = await api<ScimUser>('POST', USERS, {
        body: newUserBody(uniqueUserName(), { roles: [{ value: 'Chat Agent' }] }),
      });
      expect(ok.status).toBe(201);
      const grants = emulator
        .inspect(RETAIL.orgId)
        .users.find((u) => u.id === ok.body.id)
        ?.grants.map((g) => `${g.roleName}@${g.divisionName}`);
      expect(grants).toEqual(['employee@Home', 'Chat Agent@Home']);

      const badRole = await api('POST', USERS, {
        body: newUserBody(uniqueUserName(), { roles: [{ value: 'Chat agent' }] }),
      });
      expect(badRole).toMatchObject({
        status: 400,
        body: { schemas: [SCIM_ERROR], status: '400', scimType: 'invalidValue' },
      });
      const badDivision = await api('POST', USERS, {
        body: newUserBody(uniqueUserName(), { [ENTERPRISE]: { division: 'Nowhere' } }),
      });
      expect(badDivision).toMatchObject({
        status: 400,
        body: { scimType: 'invalidValue', detail: expect.stringContaining('Nowhere') },
      });
    });

    it('answers 409 uniqueness when the userName belongs to a non-deleted (even inactive) user, case-insensitively', async () => {
      const { id, userName } = await createUser(emulator.url, token);
      const dup = await api('POST', USERS, { body: newUserBody(userName.toUpperCase()) });
      expect(dup).toMatchObject({
        status: 409,
        body: { schemas: [SCIM_ERROR], status: '409', scimType: 'uniqueness' },
      });

      await api('PATCH', `${USERS}/${id}`, {
        body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
      });
      expect((await api('POST', USERS, { body: newUserBody(userName) })).status).toBe(409);
    });

    it('with rehire "new-id", lets a deleted user’s userName be used again, as a new user', async () => {
      const newIds = await startGenesysEmulator({ ...NO_LAGS, rehire: 'new-id' });
      try {
        const newIdsToken = await getToken(newIds.url);
        const { id, userName } = await createUser(newIds.url, newIdsToken);
        expect((await call(newIds.url, 'DELETE', `${USERS}/${id}`, { token: newIdsToken })).status).toBe(204);
        const again = await call<ScimUser>(newIds.url, 'POST', USERS, {
          token: newIdsToken,
          body: newUserBody(userName),
        });
        expect(again.status).toBe(201);
        expect(again.body.id).not.toBe(id);
      } finally {
        await newIds.close();
      }
    });
  });

  describe('read and list', () => {
    it('answers 404 for an unknown id and 304 for a current If-None-Match', async () => {
      expect(await api('GET', `${USERS}/00000000-0000-4000-8000-000000000000`)).toMatchObject({
        status: 404,
        body: { schemas: [SCIM_ERROR], status: '404' },
      });
      const { id } = await createUser(emulator.url, token);
      const res = await api('GET', `${USERS}/${id}`, { headers: { 'if-none-match': '"1"' } });
      expect(res.status).toBe(304);
      expect((await api('GET', `${USERS}/${id}`, { headers: { 'if-none-match': '"0"' } })).status).toBe(200);
    });

    it('filters with eq on userName (quoted or not), externalId, active, division, email and employeeNumber', async () => {
      const userName = uniqueUserName('filter');
      const created = await api<ScimUser>('POST', USERS, {
        body: newUserBody(userName, {
          externalId: 'ext-filter-1',
          [ENTERPRISE]: { division: 'E-Commerce', employeeNumber: 'EMP-77' },
        }),
      });
      const find = async (filter: string) =>
        (await api<ListResponse>('GET', `${USERS}?filter=${encodeURIComponent(filter)}`)).body;
      const ids = async (filter: string) => (await find(filter)).Resources.map((u) => u.id);

      expect(await ids(`userName eq "${userName}"`)).toEqual([created.body.id]);
      expect(await ids(`userName eq ${userName}`)).toEqual([created.body.id]);
      expect(await ids('externalId eq "ext-filter-1"')).toEqual([created.body.id]);
      expect(await ids(`email eq "${userName}"`)).toEqual([created.body.id]);
      expect(await ids('employeeNumber eq "EMP-77"')).toEqual([created.body.id]);
      expect(await ids('division eq "E-Commerce"')).toContain(created.body.id);
      expect(await ids('division eq E-Commerce')).toContain(created.body.id);
      expect(
        await ids(
          `urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:externalIds[authority eq "x-pc:scimv2:v1" and value eq "ext-filter-1"]`,
        ),
      ).toEqual([created.body.id]);
      const page = await find(`userName eq "${userName}"`);
      expect(page).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
      });

      await api('PATCH', `${USERS}/${created.body.id}`, {
        body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
      });
      expect(await ids('active eq false')).toContain(created.body.id);
      expect(await ids('active eq true')).not.toContain(created.body.id);
      // A filter without `active` still finds the inactive user; no filter lists active users only.
      expect(await ids(`userName eq "${userName}"`)).toEqual([created.body.id]);
      const all = await api<ListResponse>('GET', `${USERS}?count=25`);
      expect(all.body.Resources.every((u) => u.active)).toBe(true);
    });

    it('rejects unsupported filters with 400 invalidFilter', async () => {
      for (const filter of [
        'userName co "x"',
        'userName sw "x"',
        'title eq "x"',
        'userName eq "a" or userName eq "b"',
        'userName eq "a" and active eq true',
        'userName pr',
        'userName eq "unterminated',
      ]) {
        const res = await api('GET', `${USERS}?filter=${encodeURIComponent(filter)}`);
        expect({ filter, status: res.status, scimType: res.body.scimType, schemas: res.body.schemas }).toEqual({
          filter,
          status: 400,
          scimType: 'invalidFilter',
          schemas: [SCIM_ERROR],
        });
      }
    });

    it('pages with startIndex and count, count=0 returns only totalResults, and count > 25 with rich attributes is 429', async () => {
      const externalId = `page-${Date.now()}`;
      for (let i = 0; i < 3; i += 1)
        await createUser(emulator.url, token, {
          [ENTERPRISE]: { division: 'Quality Assurance', employeeNumber: externalId },
        });
      const q = `filter=${encodeURIComponent(`employeeNumber eq "${externalId}"`)}`;
      const first = await api<ListResponse>('GET', `${USERS}?${q}&startIndex=1&count=2`);
      const second = await api<ListResponse>('GET', `${USERS}?${q}&startIndex=3&count=2`);
      expect(first.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
      expect(second.body).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
      expect(new Set([...first.body.Resources, ...second.body.Resources].map((u) => u.id)).size).toBe(3);
      const none = await api<ListResponse>('GET', `${USERS}?${q}&count=0`);
      expect(none.body).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });

      const big = await api('GET', `${USERS}?count=100`);
      expect(big.status).toBe(429);
      expect(big.headers.get('retry-after')).toBe('1');
      expect(big.body).toMatchObject({ status: 429, code: 'too.many.requests' });
      const trimmed = await api<ListResponse>(
        'GET',
        `${USERS}?count=100&excludedAttributes=externalId,roles,${GENESYS}`,
      );
      expect(trimmed.status).toBe(200);
      expect(trimmed.body.Resources[0]).not.toHaveProperty('roles');
      expect(trimmed.body.Resources[0]).toHaveProperty('userName');
      expect((await api('GET', `${USERS}?count=abc`)).status).toBe(400);
    });
  });

  describe('PATCH and PUT', () => {
    it('PATCH applies Operations (Entra-style capitalised op, extension paths, filtered paths) and bumps the version', async () => {
      const { id } = await createUser(emulator.url, token);
      const res = await api<ScimUser>('PATCH', `${USERS}/${id}`, {
        headers: { 'if-match': '"1"' },
        body: {
          schemas: [PATCH_OP],
          Operations: [
            { op: 'Replace', path: 'title', value: 'Returns Specialist' },
            { op: 'replace', path: `${ENTERPRISE}:division`, value: 'Holiday Overflow' },
            { op: 'add', path: 'emails[type eq "work"].value', value: 'desk@retail-us.example' },
            { op: 'add', path: `${GENESYS}:routingSkills`, value: [{ name: 'Gift Cards', proficiency: 2 }] },
          ],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body[GENESYS]).toMatchObject({ routingSkills: [{ name: 'Gift Cards', proficiency: 2 }] });
      // A skill the org does not have is refused, as an unknown role is; nothing is written.
      const unknown = await api<ScimUser>('PATCH', `${USERS}/${id}`, {
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: `${GENESYS}:routingSkills`, value: [{ name: 'Billing', proficiency: 2 }] }],
        },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ scimType: 'invalidValue' });
      expect(emulator.inspect('retail-us').users.find((u) => u.id === id)?.routingSkills).toEqual([
        { name: 'Gift Cards', proficiency: 2 },
      ]);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(res.body).toMatchObject({
        title: 'Returns Specialist',
        [ENTERPRISE]: { division: 'Holiday Overflow' },
        meta: { version: '2' },
      });
      expect(res.body.emails).toContainEqual({ value: 'desk@retail-us.example', type: 'work' });
    });

    it('deactivation strips grants and reactivation does not restore them', async () => {
      const { id } = await createUser(emulator.url, token, { roles: [{ value: 'Voice Agent' }] });
      const off = await api<ScimUser>('PATCH', `${USERS}/${id}`, {
        body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
      });
      expect(off.body).toMatchObject({ active: false, roles: [] });
      const on = await api<ScimUser>('PATCH', `${USERS}/${id}`, {
        body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] },
      });
      expect(on.body).toMatchObject({ active: true, roles: [] });
    });

    it('PATCH rejects bad bodies and read-only changes with SCIM errors', async () => {
      const { id } = await createUser(emulator.url, token);
      const patch = (body: unknown) => api('PATCH', `${USERS}/${id}`, { body });
      expect((await patch({ Operations: [{ op: 'replace', path: 'active', value: false }] })).body).toMatchObject({
        status: '400',
        scimType: 'invalidValue',
      });
      expect(
        (
          await patch({
            schemas: ['urn:example:not-patch'],
            Operations: [{ op: 'replace', path: 'active', value: false }],
          })
        ).body,
      ).toMatchObject({ status: '400' });
      expect((await patch({ schemas: [PATCH_OP], Operations: [] })).status).toBe(400);
      expect(
        (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'move', path: 'title', value: 'x' }] })).body,
      ).toMatchObject({ scimType: 'invalidSyntax' });
      expect((await patch({ schemas: [PATCH_OP], Operations: [{ op: 'remove' }] })).body).toMatchObject({
        scimType: 'noTarget',
      });
      expect(
        (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: 'other' }] })).body,
      ).toMatchObject({ scimType: 'mutability' });
      expect(
        (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'x' }] })).body,
      ).toMatchObject({ scimType: 'invalidSyntax' });
      expect(
        (await patch({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'no' }] })).status,
      ).toBe(400);
      expect((await api('GET', `${USERS}/${id}`)).body).toMatchObject({ active: true, meta: { version: '1' } });
    });

    it('PUT replaces the user; an absent roles list removes every role in every division', async () => {
      const { id, userName } = await createUser(emulator.url, token);
      const roleId = emulator.inspect(RETAIL.orgId).roles.find((r) => r.name === 'Supervisor')?.id ?? '';
      const division = emulator.inspect(RETAIL.orgId).divisions.find((d) => d.name === 'Retail Stores')?.id ?? '';
      emulator.addGrantByHand(RETAIL.orgId, id, roleId, division);

      const keep = await api<ScimUser>('PUT', `${USERS}/${id}`, {
        body: newUserBody(userName, {
          displayName: 'Renamed',
          roles: [{ value: 'employee' }, { value: 'Supervisor' }],
        }),
      });
      expect(keep.status).toBe(200);
      expect(
        emulator
          .inspect(RETAIL.orgId)
          .users.find((u) => u.id === id)
          ?.grants.map((g) => `${g.roleName}@${g.divisionName}`),
      ).toEqual(['employee@Home', 'Supervisor@Retail Stores']);
      const strip = await api<ScimUser>('PUT', `${USERS}/${id}`, { body: newUserBody(userName) });
      expect(strip.body).toMatchObject({
        displayName: `Agent ${userName.split('@')[0]}`,
        roles: [],
        [ENTERPRISE]: { division: 'Home' },
      });
    });

    it('PUT to a taken userName is 409, to an unknown id 404', async () => {
      const a = await createUser(emulator.url, token);
      const b = await createUser(emulator.url, token);
      expect((await api('PUT', `${USERS}/${b.id}`, { body: newUserBody(a.userName) })).body).toMatchObject({
        status: '409',
        scimType: 'uniqueness',
      });
      expect(
        (await api('PUT', `${USERS}/00000000-0000-4000-8000-000000000000`, { body: newUserBody(uniqueUserName()) }))
          .status,
      ).toBe(404);
    });

    it('a stale If-Match is 409 invalidVers by default (configurable to 400); a current one or * passes', async () => {
      const { id } = await createUser(emulator.url, token);
      const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'T' }] };
      const stale = await api('PATCH', `${USERS}/${id}`, { headers: { 'if-match': '"7"' }, body: deactivate });
      expect(stale).toMatchObject({
        status: 409,
        body: { schemas: [SCIM_ERROR], status: '409', scimType: 'invalidVers' },
      });
      expect((await api('DELETE', `${USERS}/${id}`, { headers: { 'if-match': '"7"' } })).status).toBe(409);
      expect((await api('PATCH', `${USERS}/${id}`, { headers: { 'if-match': '"1"' }, body: deactivate })).status).toBe(
        200,
      );
      expect((await api('PATCH', `${USERS}/${id}`, { headers: { 'if-match': '*' }, body: deactivate })).status).toBe(
        200,
      );

      const strict400 = await startGenesysEmulator({ ...NO_LAGS, versionMismatchStatus: 400 });
      try {
        const t = await getToken(strict400.url);
        const u = await createUser(strict400.url, t);
        const res = await call(strict400.url, 'PUT', `${USERS}/${u.id}`, {
          token: t,
          headers: { 'if-match': '"3"' },
          body: newUserBody(u.userName),
        });
        expect(res).toMatchObject({ status: 400, body: { status: '400', scimType: 'invalidVers' } });
      } finally {
        await strict400.close();
      }
    });
  });

  describe('delete', () => {
    it('is a soft delete: 204, then 404, gone from lists, grants removed, moved to Home', async () => {
      const { id, userName } = await createUser(emulator.url, token, {
        [ENTERPRISE]: { division: 'E-Commerce' },
        roles: [{ value: 'Trainer' }],
      });
      expect((await api('DELETE', `${USERS}/${id}`)).status).toBe(204);
      expect((await api('GET', `${USERS}/${id}`)).status).toBe(404);
      expect((await api('DELETE', `${USERS}/${id}`)).status).toBe(404);
      expect(
        (
          await api('PATCH', `${USERS}/${id}`, {
            body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] },
          })
        ).status,
      ).toBe(404);
      const list = await api<ListResponse>('GET', `${USERS}?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
      expect(list.body.totalResults).toBe(0);
      expect(
        (await api<ListResponse>('GET', `${USERS}?filter=active eq false&count=25`)).body.Resources.map((u) => u.id),
      ).not.toContain(id);
      const inspected = emulator.inspect(RETAIL.orgId).users.find((u) => u.id === id);
      expect(inspected).toMatchObject({ deleted: true, active: false, grants: [], homeDivision: { name: 'Home' } });
    });
  });

  describe('bad input', () => {
    it('answers with SCIM or platform error bodies and keeps serving', async () => {
      const malformed = await api('POST', USERS, {
        rawBody: '{"userName": "x@y.z",',
        contentType: 'application/scim+json',
      });
      expect(malformed).toMatchObject({
        status: 400,
        body: { schemas: [SCIM_ERROR], status: '400', scimType: 'invalidSyntax' },
      });

      const unknownUrn = await api('POST', USERS, {
        body: {
          ...newUserBody(uniqueUserName()),
          schemas: [CORE, 'urn:example:params:scim:schemas:extension:acme:2.0:User'],
        },
      });
      expect(unknownUrn).toMatchObject({
        status: 400,
        body: { scimType: 'invalidValue', detail: expect.stringContaining('urn:example') },
      });
      const unknownExtension = await api('POST', USERS, {
        body: { ...newUserBody(uniqueUserName()), 'urn:example:acme:User': { x: 1 } },
      });
      expect(unknownExtension).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });

      const noUserName = await api('POST', USERS, { body: { schemas: [CORE], displayName: 'No Name' } });
      expect(noUserName).toMatchObject({
        status: 400,
        body: { status: '400', scimType: 'invalidValue', detail: expect.stringContaining('userName') },
      });
      expect((await api('POST', USERS, { body: ['not', 'an', 'object'] })).status).toBe(400);
      expect((await api('POST', USERS, { rawBody: '', contentType: 'application/json' })).status).toBe(400);

      const huge = await api('POST', USERS, { body: newUserBody(uniqueUserName(), { title: 'x'.repeat(512_001) }) });
      expect(huge).toMatchObject({ status: 413, body: { status: 413, message: 'Maximum bytes: 512000' } });

      const textPlain = await api('POST', USERS, { rawBody: 'userName=x', contentType: 'text/plain' });
      expect(textPlain).toMatchObject({ status: 415, body: { status: 415 } });
      expect(
        (await api('POST', USERS, { rawBody: 'userName=x', contentType: 'application/x-www-form-urlencoded' })).status,
      ).toBe(415);

      const stillServing = await createUser(emulator.url, token);
      expect((await api('GET', `${USERS}/${stillServing.id}`)).status).toBe(200);
    });
  });
});
