// Acceptance: the official, unpatched Genesys Cloud JavaScript SDK talks to the emulator. The SDK's gateway
// setting points both its login host and its API host at http://127.0.0.1:PORT.
import * as platformClient from 'purecloud-platform-client-v2';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { ENTERPRISE, GENESYS, NO_LAGS, PATCH_OP, RETAIL, uniqueUserName } from './genesys-emulator-helpers';

// The SDK's index.d.ts declares its API classes without exporting them, so the few members used here are
// typed locally. Runtime objects are the SDK's own.
interface SdkApiClient {
  setGateway(gateway: { host: string; protocol?: string; port?: number }): void;
  loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<{ accessToken: string }>;
}
interface SdkScimUser {
  id: string;
  userName: string;
  active: boolean;
  roles?: Array<{ value: string }>;
  meta: { version: string };
  [key: string]: unknown;
}
interface SdkScimApi {
  postScimV2Users(body: Record<string, unknown>): Promise<SdkScimUser>;
  getScimV2User(userId: string): Promise<SdkScimUser>;
  patchScimV2User(userId: string, body: Record<string, unknown>, opts?: { ifMatch?: string }): Promise<SdkScimUser>;
  deleteScimV2User(userId: string, opts?: { ifMatch?: string }): Promise<unknown>;
}
interface SdkAuthzGrant {
  subjectId: string;
  role: { id: string; name: string };
  division: { id: string; name: string };
}
interface SdkAuthorizationApi {
  getAuthorizationRoles(opts?: {
    name?: string;
    pageSize?: number;
  }): Promise<{ entities: Array<{ id: string; name: string }> }>;
  getAuthorizationDivisions(opts?: {
    pageSize?: number;
  }): Promise<{ entities: Array<{ id: string; name: string }>; total: number }>;
  postAuthorizationSubjectBulkadd(
    subjectId: string,
    body: { grants: Array<{ roleId: string; divisionId: string }> },
  ): Promise<void>;
  postAuthorizationSubjectBulkremove(
    subjectId: string,
    body: { grants: Array<{ roleId: string; divisionId: string }> },
  ): Promise<void>;
  getAuthorizationSubject(subjectId: string): Promise<{ id: string; grants: SdkAuthzGrant[] }>;
}
interface SdkListing<T> {
  entities: T[];
  total: number;
  pageCount: number;
}
interface SdkRoutingApi {
  getRoutingSkills(opts?: {
    name?: string;
    pageSize?: number;
    pageNumber?: number;
  }): Promise<SdkListing<{ id: string; name: string }>>;
  getRoutingLanguages(opts?: { name?: string; pageSize?: number }): Promise<SdkListing<{ id: string; name: string }>>;
  getRoutingQueues(opts?: {
    name?: string;
    pageSize?: number;
  }): Promise<SdkListing<{ id: string; name: string; memberCount: number }>>;
  postRoutingQueueMembers(queueId: string, body: Array<{ id: string }>, opts?: { _delete?: boolean }): Promise<unknown>;
  getRoutingQueueMembers(queueId: string, opts?: { pageSize?: number }): Promise<SdkListing<{ id: string }>>;
}
interface SdkUser {
  id: string;
  state: string;
  version: number;
  division?: { id: string; name: string };
}
interface SdkUsersApi {
  postUsersSearch(body: Record<string, unknown>): Promise<{ total: number; results?: SdkUser[] }>;
  patchUser(userId: string, body: { state?: string; version: number }): Promise<SdkUser>;
  getUserRoutingskills(userId: string): Promise<SdkListing<{ id: string; name: string; proficiency: number }>>;
  getUserRoutinglanguages(userId: string): Promise<SdkListing<{ id: string; name: string; proficiency: number }>>;
}
interface Sdk {
  ApiClient: { instance: SdkApiClient };
  SCIMApi: new () => SdkScimApi;
  AuthorizationApi: new () => SdkAuthorizationApi;
  RoutingApi: new () => SdkRoutingApi;
  UsersApi: new () => SdkUsersApi;
}
const sdk = platformClient as unknown as Sdk;

describe('Genesys emulator with the official Genesys Cloud SDK', () => {
  let emulator: GenesysEmulator;

  beforeAll(async () => {
    emulator = await startGenesysEmulator(NO_LAGS);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('logs in with client credentials, creates a user, grants a role in two divisions, reads grants back, deactivates and deletes', async () => {
    const client = sdk.ApiClient.instance;
    client.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port });
    const auth = await client.loginClientCredentialsGrant(RETAIL.clientId, RETAIL.secret);
    expect(auth.accessToken).toEqual(expect.any(String));

    const scim = new sdk.SCIMApi();
    const authz = new sdk.AuthorizationApi();
    const userName = uniqueUserName('sdk');
    const created = await scim.postScimV2Users({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, GENESYS],
      userName,
      displayName: 'SDK Agent',
      active: true,
      externalId: 'okta-00u-sdk',
      [ENTERPRISE]: { division: 'Holiday Overflow' },
      [GENESYS]: { routingSkills: [{ name: 'Returns', proficiency: 3 }] },
    });
    expect(created.userName).toBe(userName);
    expect(created[ENTERPRISE]).toEqual({ division: 'Holiday Overflow' });

    const [voiceAgent] = (await authz.getAuthorizationRoles({ name: 'Voice Agent' })).entities.filter(
      (r) => r.name === 'Voice Agent',
    );
    const divisions = (await authz.getAuthorizationDivisions({ pageSize: 25 })).entities;
    const retailStores = divisions.find((d) => d.name === 'Retail Stores');
    const eCommerce = divisions.find((d) => d.name === 'E-Commerce');
    if (!voiceAgent || !retailStores || !eCommerce) throw new Error('fixture roles/divisions missing');

    await authz.postAuthorizationSubjectBulkadd(created.id, {
      grants: [
        { roleId: voiceAgent.id, divisionId: retailStores.id },
        { roleId: voiceAgent.id, divisionId: eCommerce.id },
      ],
    });
    const subject = await authz.getAuthorizationSubject(created.id);
    const voiceGrants = subject.grants.filter((g) => g.role.id === voiceAgent.id);
    expect(voiceGrants.map((g) => g.division.name).sort()).toEqual(['E-Commerce', 'Retail Stores']);
    expect(voiceGrants.every((g) => g.subjectId === created.id && g.role.name === 'Voice Agent')).toBe(true);

    const current = await scim.getScimV2User(created.id);
    const deactivated = await scim.patchScimV2User(
      created.id,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
      { ifMatch: `"${current.meta.version}"` },
    );
    expect(deactivated.active).toBe(false);

    await scim.deleteScimV2User(created.id);
    await expect(scim.getScimV2User(created.id)).rejects.toMatchObject({ status: '404' });

    const after = emulator.inspect(RETAIL.orgId).users.find((u) => u.id === created.id);
    expect(after).toMatchObject({ deleted: true, grants: [], homeDivision: { name: 'Home' } });
  });

  it('lists the routing catalogue, sets skills and languages through SCIM, adds and removes queue members, and a deleted user leaves every queue', async () => {
    const client = sdk.ApiClient.instance;
    client.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port });
    await client.loginClientCredentialsGrant(RETAIL.clientId, RETAIL.secret);
    const scim = new sdk.SCIMApi();
    const routing = new sdk.RoutingApi();
    const users = new sdk.UsersApi();

    const skills = await routing.getRoutingSkills({ pageSize: 2, pageNumber: 1 });
    expect(skills.entities).toHaveLength(2);
    expect(skills.total).toBe(5);
    expect(skills.pageCount).toBe(3);
    expect((await routing.getRoutingSkills({ name: 'orders' })).entities.map((e) => e.name).sort()).toEqual([
      'Online Orders',
      'Store Orders',
    ]);
    expect((await routing.getRoutingLanguages({ pageSize: 25 })).entities.map((e) => e.name)).toEqual(
      expect.arrayContaining(['English', 'Spanish']),
    );
    const [voice] = (await routing.getRoutingQueues({ name: 'Holiday Voice' })).entities;
    const [chat] = (await routing.getRoutingQueues({ name: 'Holiday Chat' })).entities;
    if (!voice || !chat) throw new Error('fixture queues missing');
    expect((await routing.getRoutingQueues({ name: 'Holiday*' })).entities.map((q) => q.name).sort()).toEqual([
      'Holiday Chat',
      'Holiday Voice',
    ]);

    // Unknown skill names are refused, as unknown roles are.
    await expect(
      scim.postScimV2Users({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', GENESYS],
        userName: uniqueUserName('sdk-bad-skill'),
        displayName: 'SDK Agent',
        [GENESYS]: { routingSkills: [{ name: 'Store Order', proficiency: 2 }] },
      }),
    ).rejects.toMatchObject({ status: '400' });

    const created = await scim.postScimV2Users({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', GENESYS],
      userName: uniqueUserName('sdk-routing'),
      displayName: 'SDK Routing Agent',
      [GENESYS]: {
        routingSkills: [{ name: 'Returns', proficiency: 3 }],
        routingLanguages: [{ name: 'English', proficiency: 5 }],
      },
    });
    const patched = await scim.patchScimV2User(created.id, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: `${GENESYS}:routingSkills`, value: [{ name: 'Store Orders', proficiency: 2 }] },
        { op: 'replace', path: `${GENESYS}:routingLanguages`, value: [{ name: 'Spanish', proficiency: 4 }] },
      ],
    });
    expect(patched[GENESYS]).toMatchObject({
      routingSkills: [{ name: 'Store Orders', proficiency: 2 }],
      routingLanguages: [{ name: 'Spanish', proficiency: 4 }],
    });
    const userSkills = await users.getUserRoutingskills(created.id);
    expect(userSkills.entities.map((e) => [e.name, e.proficiency])).toEqual([['Store Orders', 2]]);
    const [storeOrders] = (await routing.getRoutingSkills({ name: 'Store Orders' })).entities;
    expect(userSkills.entities[0]!.id).toBe(storeOrders!.id);
    expect((await users.getUserRoutinglanguages(created.id)).entities.map((e) => [e.name, e.proficiency])).toEqual([
      ['Spanish', 4],
    ]);

    await routing.postRoutingQueueMembers(voice.id, [{ id: created.id }]);
    await routing.postRoutingQueueMembers(voice.id, [{ id: created.id }]); // already a member: no change
    await routing.postRoutingQueueMembers(chat.id, [{ id: created.id }]);
    expect((await routing.getRoutingQueueMembers(voice.id)).entities.map((m) => m.id)).toEqual([created.id]);
    await routing.postRoutingQueueMembers(chat.id, [{ id: created.id }], { _delete: true });
    expect((await routing.getRoutingQueueMembers(chat.id)).entities).toEqual([]);
    await expect(
      routing.postRoutingQueueMembers(
        voice.id,
        Array.from({ length: 101 }, () => ({ id: created.id })),
      ),
    ).rejects.toMatchObject({ status: 400 });

    await scim.deleteScimV2User(created.id);
    expect((await routing.getRoutingQueueMembers(voice.id)).entities).toEqual([]);
    expect(emulator.inspect(RETAIL.orgId).queues.every((q) => !q.memberIds.includes(created.id))).toBe(true);
  });
});

/** Polls until `probe` returns a value (the emulator's search lags 1 s and Authorization 404s 2 s by default). */
async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 60; i++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} (${JSON.stringify(last)})`);
}

describe('the official SDK rehires a deleted user against the emulator’s production-faithful defaults', () => {
  const body = (userName: string, division: string) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    userName,
    displayName: 'Returning Agent',
    active: true,
    [ENTERPRISE]: { division },
  });

  async function deletedUser(emulator: GenesysEmulator): Promise<{ id: string; userName: string }> {
    sdk.ApiClient.instance.setGateway({ host: '127.0.0.1', protocol: 'http', port: emulator.port });
    await sdk.ApiClient.instance.loginClientCredentialsGrant(RETAIL.clientId, RETAIL.secret);
    const scim = new sdk.SCIMApi();
    const authz = new sdk.AuthorizationApi();
    const userName = uniqueUserName('sdk-rehire');
    const created = await scim.postScimV2Users(body(userName, 'Retail Stores'));
    const state = emulator.inspect(RETAIL.orgId);
    const grant = {
      roleId: state.roles.find((r) => r.name === 'Voice Agent')!.id,
      divisionId: state.divisions.find((d) => d.name === 'Retail Stores')!.id,
    };
    // Right after the create the Authorization API does not know the user yet (404): retried, as Terraform does.
    await until(async () => {
      await authz.postAuthorizationSubjectBulkadd(created.id, { grants: [grant] });
      return true;
    }, 'bulkadd after the create');
    // The SDK's bulkremove sends no subjectType, and the emulator does not ask for one.
    await authz.postAuthorizationSubjectBulkremove(created.id, { grants: [grant] });
    await authz.postAuthorizationSubjectBulkadd(created.id, { grants: [grant] });
    await scim.deleteScimV2User(created.id);
    return { id: created.id, userName };
  }

  it('revive (default): a SCIM create with the deleted user’s userName brings back the same id, Active, in Home, with no role', async () => {
    const emulator = await startGenesysEmulator();
    try {
      const { id, userName } = await deletedUser(emulator);
      const again = await new sdk.SCIMApi().postScimV2Users(body(userName, 'E-Commerce'));
      expect(again).toMatchObject({ id, active: true, [ENTERPRISE]: { division: 'Home' } });
      expect(again.roles ?? []).toEqual([]);
      expect(emulator.inspect(RETAIL.orgId).users.find((u) => u.id === id)).toMatchObject({
        state: 'active',
        grants: [],
      });
    } finally {
      await emulator.close();
    }
  });

  it('conflict: create → 409 → users search (state deleted) → PATCH {state, version} restores the same user', async () => {
    const emulator = await startGenesysEmulator({ rehire: 'conflict' });
    try {
      const { id, userName } = await deletedUser(emulator);
      const scim = new sdk.SCIMApi();
      const users = new sdk.UsersApi();
      await expect(scim.postScimV2Users(body(userName, 'E-Commerce'))).rejects.toMatchObject({ status: '409' });
      const criteria = {
        query: [
          { type: 'EXACT', fields: ['email'], value: userName },
          { type: 'EXACT', fields: ['state'], values: ['deleted'] },
        ],
      };
      // Search lags behind the delete: polled until it shows the user deleted (as Terraform does).
      const [deleted] = await until(async () => {
        const found = await users.postUsersSearch(criteria);
        return found.total === 1 ? found.results : undefined;
      }, 'the deleted user in search');
      expect(deleted).toMatchObject({ id, state: 'deleted' });
      const restored = await users.patchUser(id, { state: 'active', version: deleted!.version });
      expect(restored).toMatchObject({ id, state: 'active', division: { name: 'Home' } });
      expect((await scim.getScimV2User(id)).active).toBe(true);
      expect(emulator.inspect(RETAIL.orgId).users.filter((u) => u.userName === userName)).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });
});
