// Acceptance: the official, unpatched Genesys Cloud JavaScript SDK talks to the emulator. The SDK's gateway
// setting points both its login host and its API host at http://127.0.0.1:PORT.
import * as platformClient from 'purecloud-platform-client-v2';
import { startGenesysEmulator, type GenesysEmulator } from '../../emulators/genesys';
import { ENTERPRISE, GENESYS, PATCH_OP, RETAIL, uniqueUserName } from './genesys-emulator-helpers';

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
  getAuthorizationSubject(subjectId: string): Promise<{ id: string; grants: SdkAuthzGrant[] }>;
}
interface Sdk {
  ApiClient: { instance: SdkApiClient };
  SCIMApi: new () => SdkScimApi;
  AuthorizationApi: new () => SdkAuthorizationApi;
}
const sdk = platformClient as unknown as Sdk;

describe('Genesys emulator with the official Genesys Cloud SDK', () => {
  let emulator: GenesysEmulator;

  beforeAll(async () => {
    emulator = await startGenesysEmulator();
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
});
