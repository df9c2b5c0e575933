// An OAuth 2.0 service app instead of an SSWS token (issue 12), from orgs.yaml to the emulator: the config is
// validated, the private key comes from the environment or a file (generated here at run time, never committed),
// every call carries a Bearer token got with private_key_jwt and the three scopes the provisioner needs, an
// access token Okta stops taking is renewed once, and what only a person can fix is one clear error.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOktaActivities } from '../../activities/okta';
import { orgConnection, parseOrgs } from '../../config/load';
import type { OrgConnection } from '../../config/orgs';
import { startOktaEmulator, type OktaEmulator } from '../../emulators/okta';
import { isOktaApiError, OKTA_SCOPES, OktaClient } from '../../integrations/okta';
import { UserError } from '../../platform/errors';

const CLIENT_ID = '0oaprovisioner001a7x';
const AVA = '00uretailagent0001a7';
const AGENTS = '00gholidayagents01a7';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const env = { GENESYS_SECRET: 'x', OKTA_KEY: PEM };

let dir: string;
let emulator: OktaEmulator | undefined;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'okta-oauth-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function orgsYaml(okta: string): string {
  return `orgs:
  - id: retail-us
    genesys:
      apiBaseUrl: http://127.0.0.1:9
      clientId: retail-us-provisioner
      clientSecretEnv: GENESYS_SECRET
${okta}`;
}

function connectionFrom(okta: string, e: NodeJS.ProcessEnv = env): OrgConnection {
  const { orgs, problems } = parseOrgs('orgs.yaml', orgsYaml(okta));
  expect(problems).toEqual([]);
  return orgConnection(orgs.get('retail-us')!, { env: e, requireOkta: true });
}

async function startWithApp(over: Record<string, unknown> = {}): Promise<OktaEmulator> {
  const e = await startOktaEmulator({
    fixture: 'retail',
    serviceApps: [
      {
        clientId: CLIENT_ID,
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        scopes: [...OKTA_SCOPES],
        ...over,
      },
    ],
  });
  // Nothing but the service app can work: the org's SSWS token is dead.
  e.admin.revokeApiToken();
  return e;
}

describe('orgs.yaml: okta credentials', () => {
  it('takes exactly one of apiTokenEnv and oauth, and exactly one place for the key', () => {
    const both = parseOrgs(
      'orgs.yaml',
      orgsYaml(`    okta:
      orgUrl: https://retail.okta.com
      apiTokenEnv: OKTA_TOKEN
      oauth: { clientId: ${CLIENT_ID}, privateKeyEnv: OKTA_KEY }`),
    );
    expect(both.problems.map((p) => p.message).join('\n')).toMatch(/either apiTokenEnv .* or oauth .*, not both/);
    const twoKeys = parseOrgs(
      'orgs.yaml',
      orgsYaml(`    okta:
      orgUrl: https://retail.okta.com
      oauth: { clientId: ${CLIENT_ID}, privateKeyEnv: OKTA_KEY, privateKeyFile: /k.pem }`),
    );
    expect(twoKeys.problems.map((p) => p.message).join('\n')).toMatch(
      /either privateKeyEnv or privateKeyFile, not both/,
    );
  });

  it('a key that is missing, unreadable or not a private key is one clear error that shows no key', () => {
    const okta = (key: string) => `    okta:
      orgUrl: https://retail.okta.com
      oauth: { clientId: ${CLIENT_ID}, ${key} }`;
    expect(() => connectionFrom(okta('privateKeyEnv: OKTA_KEY'), { GENESYS_SECRET: 'x' })).toThrow(UserError);
    expect(() => connectionFrom(okta(`privateKeyFile: ${path.join(dir, 'none.pem')}`))).toThrow(
      /cannot read the Okta service app's private key file .*none\.pem/,
    );
    const publicOnly = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    let error: unknown;
    try {
      connectionFrom(okta('privateKeyEnv: OKTA_KEY'), { GENESYS_SECRET: 'x', OKTA_KEY: publicOnly });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('(OKTA_KEY) is not a usable PEM private key');
    expect((error as Error).message).not.toContain(publicOnly.split('\n')[1]!);
  });
});

describe('a service app end to end against the emulator', () => {
  it('orgs.yaml (key in a file) → activities: reads and writes with Bearer tokens; a refused token is renewed once', async () => {
    emulator = await startWithApp();
    const file = path.join(dir, 'retail-us-okta.pem');
    writeFileSync(file, PEM, { mode: 0o600 });
    const connection = connectionFrom(`    okta:
      orgUrl: ${emulator.url}
      oauth:
        clientId: ${CLIENT_ID}
        privateKeyFile: ${file}`);
    expect(connection.okta).toMatchObject({
      oauth: { clientId: CLIENT_ID },
      credentialSource: expect.stringContaining(file),
    });

    const client = new OktaClient(connection.okta!);
    await client.verifyAccess();
    expect((await client.getUser(AVA)).id).toBe(AVA);
    emulator.admin.expireAccessTokens();
    expect((await client.listUserGroups(AVA)).map((g) => g.id)).toContain(AGENTS);

    const activities = createOktaActivities(new Map([['retail-us', connection]]));
    const run = new MockActivityEnvironment();
    await run.run(activities.removeFromOktaGroups, { orgId: 'retail-us', oktaUserId: AVA, groupIds: [AGENTS] });
    expect(emulator.inspect().memberships[AGENTS]).not.toContain(AVA);
    await run.run(activities.deactivateOktaUser, { orgId: 'retail-us', oktaUserId: AVA });
    expect(emulator.admin.getUser(AVA).status).toBe('DEPROVISIONED');
  });

  it('what only a person can fix is a clear, non-retryable error: DPoP required, a scope not granted, an unknown client', async () => {
    const okta = (url: string, clientId = CLIENT_ID) => `    okta:
      orgUrl: ${url}
      oauth: { clientId: ${clientId}, privateKeyEnv: OKTA_KEY }`;
    const refusal = async (connection: OrgConnection): Promise<string> => {
      const activities = createOktaActivities(new Map([['retail-us', connection]]));
      try {
        await new MockActivityEnvironment().run(activities.deactivateOktaUser, { orgId: 'retail-us', oktaUserId: AVA });
      } catch (err) {
        expect(err).toBeInstanceOf(ApplicationFailure);
        expect(err).toMatchObject({ type: 'ConfigError', nonRetryable: true });
        return (err as Error).message;
      }
      throw new Error('no refusal');
    };

    emulator = await startWithApp({ requireDpop: true });
    expect(await refusal(connectionFrom(okta(emulator.url)))).toMatch(
      /service app 0oaprovisioner001a7x of org retail-us \(key from OKTA_KEY\) was refused: the app requires DPoP/,
    );
    await emulator.close();

    emulator = await startWithApp({ scopes: ['okta.users.read'] });
    expect(await refusal(connectionFrom(okta(emulator.url)))).toContain(
      'grant the app the scopes okta.users.read, okta.groups.manage, okta.users.manage',
    );
    const unknown = await refusal(connectionFrom(okta(emulator.url, '0oaunknown0000000000')));
    expect(unknown).toContain('invalid_client');
    expect(unknown).not.toContain(PEM.split('\n')[1]!);

    const client = new OktaClient(connectionFrom(okta(emulator.url, '0oaunknown0000000000')).okta!);
    const err = await client.verifyAccess().catch((e: unknown) => e);
    expect(isOktaApiError(err, 'Unauthorized')).toBe(true);
  });
});
