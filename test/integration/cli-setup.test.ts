// `season setup` through the real CLI process: the Okta emulator's Event Hooks API, Okta's verification call to
// the real receiver (in this process, on a free port), and the dev server's namespace and search attributes.
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { HOOK_EVENT_TYPES, HOOK_NAME } from '../../domain/okta-hook';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { startOktaEmulator } from '../../emulators/okta';
import { OKTA_SCOPES, OKTA_SETUP_SCOPES } from '../../integrations/okta/oauth';
import { buildHookReceiver } from '../../receiver/server';
import { CliEnv, CliResult, expectNoStackTrace, ORG, startCliEnv } from './cli-harness';

const SECRET = 'setup-test-hook-secret-1';
const ROTATED = 'setup-test-hook-secret-2';

let env: CliEnv;
let receiver: FastifyInstance | undefined;
let port = 0;
let hookUrl: string;
/** The secret the running receiver checks: what setup is given unless a test says otherwise. */
let receiverSecret: string;
/** The receiver's answers to Okta's verification GETs (status codes), across restarts. */
const verifications: number[] = [];

/** The real receiver with this secret, on the same port each time (so the hook's URI stays the same). */
async function startReceiver(secret: string): Promise<void> {
  await receiver?.close();
  const app = buildHookReceiver({
    temporalClient: env.client,
    seasons: () => [],
    authHeader: { name: 'Authorization', value: secret },
    logger: false,
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' && request.url.startsWith('/okta/events')) verifications.push(reply.statusCode);
  });
  await app.listen({ host: '127.0.0.1', port });
  port = (app.server.address() as AddressInfo).port;
  hookUrl = `http://127.0.0.1:${port}/okta/events`;
  receiver = app;
  receiverSecret = secret;
}

function setup(args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}, json = false): Promise<CliResult> {
  return env.cli([...(json ? ['--json'] : []), 'setup', ORG, ...args], {
    OKTA_HOOK_URL: hookUrl,
    OKTA_HOOK_SECRET: receiverSecret,
    ...extraEnv,
  });
}

/** The exit code, with the output in the failure message when it is not the expected one. */
function expectExit(result: CliResult, code: number): void {
  if (result.code !== code)
    throw new Error(
      `exit ${result.code}, expected ${code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
}

/** Writes to the Event Hooks API (POST/PUT) since `since`, verification calls aside. */
function hookWritesSince(since: string, options: { verify?: boolean } = {}): string[] {
  return env.okta
    .inspect()
    .apiRequests.filter((r) => r.at >= since && r.path.startsWith('/api/v1/eventHooks'))
    .filter((r) => r.method === 'POST' || r.method === 'PUT')
    .filter((r) => options.verify === true || !r.path.endsWith('/lifecycle/verify'))
    .map((r) => `${r.method} ${r.path}`);
}

interface SetupJson {
  org: string;
  ok: boolean;
  changed: boolean;
  dryRun: boolean;
  steps: Array<{ area: string; outcome: string; subject: string; detail?: string; todo?: string[] }>;
}

beforeAll(async () => {
  env = await startCliEnv('cli-setup');
  await startReceiver(SECRET);
});
afterAll(async () => {
  await receiver?.close();
  await env?.close();
});

describe('season setup: the environment', () => {
  it('refuses a missing OKTA_HOOK_URL, a plain-http public URL and a missing secret with one clear line each', async () => {
    const since = new Date().toISOString();
    const noUrl = await setup([], { OKTA_HOOK_URL: '' });
    expectExit(noUrl, 1);
    expect(noUrl.stderr).toContain('error: environment variable OKTA_HOOK_URL is not set');
    expectNoStackTrace(noUrl.stderr);

    const http = await setup([], { OKTA_HOOK_URL: 'http://provisioner.example.com/okta/events' });
    expectExit(http, 1);
    expect(http.stderr).toContain('OKTA_HOOK_URL must be an https:// URL');
    expectNoStackTrace(http.stderr);

    const noSecret = await setup([], { OKTA_HOOK_SECRET: '' });
    expectExit(noSecret, 1);
    expect(noSecret.stderr).toContain('error: environment variable OKTA_HOOK_SECRET is not set');

    const unknownOrg = await env.cli(['setup', 'retail-usa'], { OKTA_HOOK_URL: hookUrl, OKTA_HOOK_SECRET: SECRET });
    expectExit(unknownOrg, 1);
    expect(unknownOrg.stderr).toContain('no org "retail-usa" in orgs.yaml — did you mean "retail-us"?');
    expect(
      env.okta.inspect().apiRequests.filter((r) => r.at >= since && r.path.startsWith('/api/v1/eventHooks')),
    ).toEqual([]);
  });
});

describe('season setup: the Okta event hook', () => {
  it('a dry run reads only, and says it would create and verify the hook', async () => {
    const since = new Date().toISOString();
    const result = await setup(['--dry-run']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(new RegExp(`would create\\s+Okta event hook ${HOOK_NAME}`));
    expect(result.stdout).toMatch(/would verify\s+Okta event hook/);
    expect(hookWritesSince(since, { verify: true })).toEqual([]);
  });

  it('the first run creates the hook and Okta verifies it against the running receiver', async () => {
    const answered = verifications.length;
    const result = await setup();
    expect(result.stderr).toBe('');
    expectExit(result, 0);
    expect(result.stdout).toMatch(
      new RegExp(`created\\s+Okta event hook ${HOOK_NAME} \\(\\S+\\): ${hookUrl}, 6 event types`),
    );
    expect(result.stdout).toMatch(/verified\s+Okta event hook .*: the receiver answered Okta's verification/);
    expect(result.stdout).not.toContain(SECRET);
    // The receiver answered Okta's verification GET.
    expect(verifications.slice(answered)).toContain(200);
  });

  it('a second run changes nothing and says so: no create, update or activate, only the verification', async () => {
    const since = new Date().toISOString();
    const human = await setup();
    expectExit(human, 0);
    expect(human.stdout).toMatch(new RegExp(`unchanged\\s+Okta event hook ${HOOK_NAME}`));
    expect(human.stdout).toMatch(/verified\s+Okta event hook/);
    expect(human.stdout).toContain(`setup ${ORG}: nothing changed`);

    const machine = await setup([], {}, true);
    expectExit(machine, 0);
    const report = JSON.parse(machine.stdout) as SetupJson;
    expect(report).toMatchObject({ org: ORG, ok: true, changed: false, dryRun: false });
    expect(report.steps.filter((s) => s.area === 'okta').map((s) => s.outcome)).toEqual(['unchanged', 'verified']);
    expect(machine.stdout).not.toContain(SECRET);

    expect(hookWritesSince(since)).toEqual([]);
    expect(hookWritesSince(since, { verify: true }).length).toBe(2);
  });

  it('a rotated secret heals: verification fails with the old one, setup writes the new one once and verifies', async () => {
    await startReceiver(ROTATED);
    const since = new Date().toISOString();
    const result = await setup();
    expectExit(result, 0);
    expect(result.stdout).toMatch(/updated\s+Okta event hook .*: verification failed with the secret Okta had/);
    expect(result.stdout).toMatch(/verified\s+Okta event hook/);
    expect(result.stdout).not.toContain(ROTATED);
    expect(hookWritesSince(since).filter((w) => w.startsWith('PUT '))).toHaveLength(1);
  });

  it('a secret the receiver does not have: verification fails, exit 1 with a clear line and no stack trace', async () => {
    // Okta holds ROTATED, the receiver now a third secret, and setup is given a fourth.
    await startReceiver('setup-test-hook-secret-3');
    const wrong = 'not-the-receivers-secret';
    const result = await setup([], { OKTA_HOOK_SECRET: wrong });
    expectExit(result, 1);
    expect(result.stdout).toMatch(
      new RegExp(`failed\\s+Okta event hook .*: the receiver did not answer Okta's verification at ${hookUrl}`),
    );
    expect(result.stdout).toContain('with the same OKTA_HOOK_SECRET');
    expect(result.stdout).toMatch(/setup retail-us: .*1 failed/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
    expectNoStackTrace(result.stdout);
    expectNoStackTrace(result.stderr);

    // The receiver and setup agree again: Okta holds the wrong secret now, and setup heals it.
    await startReceiver(ROTATED);
    expectExit(await setup(), 0);
  });

  it('a hook that lacks event types is brought in line', async () => {
    // The hook as an admin might leave it: fewer event types (Okta's API, as the Admin Console would).
    const hooks = await listHooks();
    const ours = hooks.find((h) => h.name === HOOK_NAME)!;
    await putHook(ours.id, {
      name: HOOK_NAME,
      events: { type: 'EVENT_TYPE', items: ['group.user_membership.add'] },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: { uri: hookUrl, authScheme: { type: 'HEADER', key: 'Authorization', value: receiverSecret } },
      },
    });
    const result = await setup();
    expectExit(result, 0);
    expect(result.stdout).toMatch(/updated\s+Okta event hook .*: event types lack user\.lifecycle\.create/);
    const after = (await listHooks()).find((h) => h.id === ours.id)!;
    expect([...after.events.items].sort()).toEqual([...HOOK_EVENT_TYPES].sort());
  });
});

describe('season setup: Temporal', () => {
  it("finds the harness's namespace and search attributes in place", async () => {
    const result = await setup();
    expectExit(result, 0);
    expect(result.stdout).toMatch(new RegExp(`unchanged\\s+Temporal namespace ${env.namespace}: exists`));
    expect(result.stdout).toMatch(/unchanged\s+Temporal search attributes OrgId, SeasonId/);
  });

  it('registers a namespace that does not exist, with the search attributes; the next run finds them', async () => {
    const namespace = `cli-setup-new-${Date.now().toString(36)}`;
    const first = await setup([], { TEMPORAL_NAMESPACE: namespace });
    expectExit(first, 0);
    expect(first.stdout).toMatch(new RegExp(`registered\\s+Temporal namespace ${namespace}: retention 7 days`));
    expect(first.stdout).toMatch(
      new RegExp(`registered\\s+Temporal search attributes ${SEARCH_ATTRIBUTES.map((s) => s.name).join(', ')}`),
    );
    const again = await setup([], { TEMPORAL_NAMESPACE: namespace });
    expectExit(again, 0);
    expect(again.stdout).toMatch(new RegExp(`unchanged\\s+Temporal namespace ${namespace}: exists, retention 7 days`));
    expect(again.stdout).toContain(`setup ${ORG}: nothing changed`);
  });

  it('on Temporal Cloud (an API key) it does not try, and prints the tcld command with every search attribute', async () => {
    const result = await setup(['--dry-run'], { TEMPORAL_API_KEY: 'test-cloud-key' });
    expectExit(result, 0);
    expect(result.stdout).toMatch(/left\s+Temporal search attributes: Temporal Cloud/);
    const flags = SEARCH_ATTRIBUTES.map((s) => `--search-attribute "${s.name}=${s.cliType}"`).join(' ');
    expect(result.stdout).toContain(`tcld namespace search-attributes add --namespace ${env.namespace} ${flags}`);
    expect(result.stdout).not.toContain('test-cloud-key');
  });
});

describe('season setup: an Okta service app', () => {
  const clientId = '0oasetupapp00001a7x';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  /** setup against an Okta org whose only credentials are a service app granted `scopes` (its SSWS token is dead). */
  async function withServiceApp(scopes: string[]): Promise<CliResult> {
    const okta = await startOktaEmulator({
      fixture: 'retail',
      serviceApps: [{ clientId, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), scopes }],
    });
    okta.admin.revokeApiToken();
    try {
      const dir = `oauth-${scopes.length}`;
      env.writeFile(
        `${dir}/orgs.yaml`,
        `orgs:
  - id: ${ORG}
    genesys:
      apiBaseUrl: http://127.0.0.1:9
      clientId: retail-us-provisioner
      clientSecretEnv: UNSET_GENESYS_SECRET_FOR_SETUP
    okta:
      orgUrl: ${okta.url}
      oauth: { clientId: ${clientId}, privateKeyEnv: TEST_SETUP_OKTA_KEY }
`,
      );
      env.writeFile(`${dir}/seasons/.keep`, '');
      // A later --config wins over the harness's own.
      return await env.cli(['--config', `${env.configDir}/${dir}`, 'setup', ORG], {
        OKTA_HOOK_URL: hookUrl,
        OKTA_HOOK_SECRET: receiverSecret,
        TEST_SETUP_OKTA_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      });
    } finally {
      await okta.close();
    }
  }

  it('asks for okta.eventHooks.manage alone: an app granted just that sets the hook up (no Genesys secret needed)', async () => {
    const result = await withServiceApp([...OKTA_SETUP_SCOPES]);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/created\s+Okta event hook/);
    expect(result.stdout).toMatch(/verified\s+Okta event hook/);
  });

  it("an app granted only the worker's scopes: one clear failed line naming the scope to grant", async () => {
    const result = await withServiceApp([...OKTA_SCOPES]);
    expectExit(result, 1);
    expect(result.stdout).toMatch(/failed\s+Okta event hook .*grant the app the scopes okta\.eventHooks\.manage/);
    expectNoStackTrace(result.stdout);
    expectNoStackTrace(result.stderr);
  });
});

// The Okta emulator's Event Hooks API, called as an admin would (to put the hook in a state setup must repair).
async function listHooks(): Promise<Array<{ id: string; name: string; events: { items: string[] } }>> {
  const response = await fetch(`${env.okta.url}/api/v1/eventHooks`, {
    headers: { authorization: `SSWS ${env.okta.apiToken}`, accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Array<{ id: string; name: string; events: { items: string[] } }>;
}

async function putHook(id: string, body: unknown): Promise<void> {
  const response = await fetch(`${env.okta.url}/api/v1/eventHooks/${id}`, {
    method: 'PUT',
    headers: { authorization: `SSWS ${env.okta.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}
