// Secrets and PII, proven absent (issue 16). A small season plays with payload encryption on: the real worker and
// hook receiver run as processes with their real JSON loggers, hires arrive as real Okta event-hook deliveries, one
// agent moves, one leaves, one hits NeedsAttention on an activity failure, a hire whose events Okta dropped is found
// by a catch-up run, the catch-up schedule is installed, the season ends and everyone is torn down (season CLI). Then every log, everything Temporal keeps (read
// without the codec) and the worker's metrics are scanned for the secrets and every agent's login, email and names,
// each a random token made for this run: zero hits. A value planted on purpose proves the scanner finds leaks.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { startGenesysEmulator, DEFAULT_FIXTURE_PATH, type GenesysEmulator } from '../../emulators/genesys';
import type { OrgsFixture } from '../../emulators/genesys';
import { startOktaEmulator, type OktaEmulator, type OktaFixture } from '../../emulators/okta';
import { AgentPhaseKey } from '../../domain/search-attributes';
import { startCodecServer } from '../../platform/codec-server';
import { freePort } from '../../platform/dev-server';
import { dataConverterFromEnv, ENCRYPTED_ENCODING, payloadCodecFromEnv } from '../../platform/payload-codec';
import { seasonalAgentWorkflowId } from '../../workflows/agent/contract';
import { CATCH_UP_WORKFLOW, catchUpScheduleId, type CatchUpResult } from '../../workflows/catch-up-contract';
import { LIFECYCLE_TASK_QUEUE } from '../../workflows/messages';
import { eventually } from '../support/agents';
import { captureOwnOutput, scan, totalBytes, type Needle, type Source } from '../support/leak-scan';
import { runLogged, spawnLogged, type LoggedProcess } from '../support/logged-process';
import { failuresIn, readNamespaceRaw, type RawNamespace } from '../support/raw-temporal';
import { createTestNamespace, temporalAddress } from '../support/temporal';

const ORG = 'retail-us';
const SEASON = `scan-${randomBytes(3).toString('hex')}`;
const LEAD_ROLE = 'Scan Lead';
const OKTA_FIXTURE = path.resolve(__dirname, '../../emulators/okta/fixtures/retail.json');
/** 16 hex characters made for this run: cannot occur anywhere by chance, so any hit is a leak. */
const token = () => randomBytes(8).toString('hex');
const SECRETS = { genesys: `gs${token()}${token()}`, okta: `ot${token()}${token()}`, hook: `hk${token()}${token()}` };
const KEYS = { PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PAYLOAD_ENCRYPTION_KEY_ID: 'scan' };
const PLANTED = { log: `planted-log-${token()}`, payload: `planted-payload-${token()}` };
const agents = [1, 2, 3, 4, 5].map((n) => ({
  n,
  login: `lg${token()}@retail-scan.example`,
  email: `em${token()}@mail-scan.example`,
  givenName: `Gn${token()}`,
  familyName: `Fn${token()}`,
  oktaUserId: '',
}));
type Agent = (typeof agents)[number];
const [stayer, mover, leaver, stuck, missed] = agents as [Agent, Agent, Agent, Agent, Agent];

/** The season: agents, chat (the mover's new group) and leads, whose role the test removes from the org. */
const seasonYaml = () => `id: ${SEASON}
org: ${ORG}
start: ${new Date(Date.now() - 3_600_000).toISOString()}
end: "${new Date(Date.now() + 86_400_000).toISOString()}"
timeZone: America/New_York
deprovision: { deactivate: true, removeGrants: true, deleteAfterDays: 0, removeFromOktaGroups: true, deactivateOktaUser: false }
mapping:
  - group: Retail-Holiday-Agents
    homeDivision: Retail Stores
    priority: 10
    roles: [{ role: Seasonal Agents, divisions: [Retail Stores] }]
  - group: Retail-Holiday-Chat
    homeDivision: E-Commerce
    priority: 20
    roles: [{ role: Chat Agent, divisions: [E-Commerce] }]
  - group: Retail-Holiday-Supervisors
    homeDivision: Retail Stores
    priority: 30
    roles: [{ role: ${LEAD_ROLE}, divisions: [Retail Stores] }]
`;

const needles: Needle[] = [
  { name: 'Genesys client secret', value: SECRETS.genesys },
  // The OAuth client-credentials header carries the secret base64-encoded: a logged header would show only that.
  {
    name: 'Genesys Basic credentials',
    value: Buffer.from(`retail-us-provisioner:${SECRETS.genesys}`).toString('base64'),
  },
  { name: 'Okta API token', value: SECRETS.okta },
  { name: 'hook secret', value: SECRETS.hook },
  // The key in each form it could be printed in: base64 (the variable), hex, and a Buffer's JSON (its byte list).
  { name: 'payload encryption key', value: KEYS.PAYLOAD_ENCRYPTION_KEY },
  { name: 'payload encryption key (hex)', value: Buffer.from(KEYS.PAYLOAD_ENCRYPTION_KEY, 'base64').toString('hex') },
  {
    name: 'payload encryption key (byte list)',
    value: [...Buffer.from(KEYS.PAYLOAD_ENCRYPTION_KEY, 'base64')].join(','),
  },
  ...agents.flatMap((a) =>
    (['login', 'email', 'givenName', 'familyName'] as const).map((field) => ({
      name: `agent ${a.n} ${field}`,
      value: a[field],
    })),
  ),
];

const dataConverter = dataConverterFromEnv(KEYS) as DataConverter;
let namespace: string;
let connection: Connection;
/** With the key: to wait for phases and read queries as an operator would. */
let client: Client;
/** Without any codec: what the server stores. */
let plain: Client;
let genesys: GenesysEmulator;
let okta: OktaEmulator;
let worker: LoggedProcess;
let receiver: LoggedProcess;
let logDir: string;
const sources: Source[] = [];
/** The raw answers to the Web UI's queries of the lead while it waited in NeedsAttention. */
const queryAnswers: Array<{ queryType: string; payloads: Payload[] }> = [];
let raw: RawNamespace;

const describeAgent = (a: { oktaUserId: string }) =>
  client.workflow.getHandle(seasonalAgentWorkflowId(ORG, a.oktaUserId)).describe();
const phaseIs = async (a: { oktaUserId: string }, phase: string) =>
  (await describeAgent(a)).typedSearchAttributes.get(AgentPhaseKey) === phase ? true : undefined;
const closed = async (a: { oktaUserId: string }) =>
  (await describeAgent(a)).status.name === 'COMPLETED' ? true : undefined;

/** HR adds the person to Okta and to a season group. */
function hire(a: Agent, group: string): void {
  const profile = { login: a.login, email: a.email, firstName: a.givenName, lastName: a.familyName };
  a.oktaUserId = okta.admin.createUser({ profile: { ...profile, employeeNumber: `E-${a.n}` } }).id;
  okta.admin.addUserToGroup(a.oktaUserId, group);
}

async function cli(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const code = await runLogged(
    'client/cli.ts',
    ['--config', env.SEASONAL_CONFIG_DIR!, ...args],
    env,
    path.join(logDir, `cli-${name}.log`),
  );
  expect({ cli: args.join(' '), code }).toEqual({ cli: args.join(' '), code: 0 });
}

beforeAll(async () => {
  const ownOutput = captureOwnOutput();
  try {
    namespace = await createTestNamespace('secrets-scan');
    connection = await Connection.connect({ address: temporalAddress() });
    client = new Client({ connection, namespace, dataConverter });
    plain = new Client({ connection, namespace });

    // The emulators know the run's secrets: the Genesys org's OAuth client, the Okta token, the hook's header.
    const fixture = JSON.parse(readFileSync(DEFAULT_FIXTURE_PATH, 'utf8')) as OrgsFixture;
    for (const org of fixture.orgs) for (const c of org.clients) if (org.id === ORG) c.clientSecret = SECRETS.genesys;
    genesys = await startGenesysEmulator({ port: 0, orgs: fixture, rateLimitPerMinute: 6000 });
    genesys.addRole(ORG, LEAD_ROLE);
    // The retail org without its fixture people in the season's groups: the catch-up run meets only this run's agents.
    const oktaFixture = JSON.parse(readFileSync(OKTA_FIXTURE, 'utf8')) as OktaFixture;
    for (const u of oktaFixture.users ?? []) u.groups = u.groups?.filter((g) => !g.startsWith('Retail-Holiday-'));
    okta = await startOktaEmulator({
      port: 0,
      fixture: oktaFixture,
      apiToken: SECRETS.okta,
      rateLimitPerMinute: 20_000,
    });
    const hookPort = await freePort();
    const hookUrl = `http://127.0.0.1:${hookPort}/okta/events`;
    okta.admin.setHook({ url: hookUrl, authHeaderName: 'Authorization', authHeaderValue: SECRETS.hook });

    const configDir = mkdtempSync(path.join(tmpdir(), 'secrets-scan-'));
    logDir = path.join(configDir, 'logs');
    mkdirSync(path.join(configDir, 'seasons'), { recursive: true });
    mkdirSync(logDir);
    writeFileSync(
      path.join(configDir, 'orgs.yaml'),
      `orgs:\n  - id: ${ORG}\n    genesys:\n      apiBaseUrl: ${genesys.url}\n      clientId: retail-us-provisioner\n` +
        `      clientSecretEnv: SCAN_GENESYS_SECRET\n      requestsPerMinute: 6000\n` +
        `    okta:\n      orgUrl: ${okta.url}\n      apiTokenEnv: SCAN_OKTA_TOKEN\n`,
    );
    writeFileSync(path.join(configDir, 'seasons', `${SEASON}.yaml`), seasonYaml());
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...KEYS,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: namespace,
      SEASONAL_CONFIG_DIR: configDir,
      SCAN_GENESYS_SECRET: SECRETS.genesys,
      SCAN_OKTA_TOKEN: SECRETS.okta,
      OKTA_HOOK_SECRET: SECRETS.hook,
      HOOK_PORT: String(hookPort),
      // The most the receiver can say: its request logs included.
      HOOK_LOG_LEVEL: 'trace',
    };

    const metricsPort = await freePort();
    const bundle = process.env.WORKFLOW_BUNDLE_PATH;
    worker = spawnLogged(
      'worker/main.ts',
      [
        '--config',
        configDir,
        '--metrics-port',
        String(metricsPort),
        '--log-level',
        'DEBUG',
        ...(bundle ? ['--bundle', bundle] : []),
      ],
      env,
      path.join(logDir, 'worker.log'),
    );
    receiver = spawnLogged('receiver/main.ts', [], env, path.join(logDir, 'receiver.log'));
    await eventually(
      async () => (readFileSync(worker.logFile, 'utf8').includes('worker: polling') ? true : undefined),
      'the worker to poll',
      60_000,
    );
    await eventually(
      async () => ((await okta.verifyHook()).verified ? true : undefined),
      'the receiver to answer Okta',
      60_000,
    );
    // The receiver resolved the lead role's id at start; without the role, granting it fails in an activity with a
    // 404 that retrying cannot heal: the lead waits in NeedsAttention, and a failure is recorded in the history.
    genesys.removeRole(ORG, LEAD_ROLE);

    // Hires: three agents and a lead, by real event-hook deliveries.
    for (const a of [stayer, mover, leaver, stuck])
      hire(a, a === stuck ? 'Retail-Holiday-Supervisors' : 'Retail-Holiday-Agents');
    await okta.deliverPending();
    for (const a of [stayer, mover, leaver]) await eventually(() => phaseIs(a, 'Active'), `agent ${a.n} Active`);
    await eventually(() => phaseIs(stuck, 'NeedsAttention'), 'the lead in NeedsAttention');

    // A mover (joins chat) and a leaver (deactivated in Okta).
    okta.admin.addUserToGroup(mover.oktaUserId, 'Retail-Holiday-Chat');
    okta.admin.deactivateUser(leaver.oktaUserId);
    await okta.deliverPending();
    const chatGranted = async () =>
      genesys
        .inspect(ORG)
        .users.some((u) => u.externalId === mover.oktaUserId && u.grants.some((g) => g.roleName === 'Chat Agent'))
        ? true
        : undefined;
    await eventually(chatGranted, 'the mover granted Chat Agent');
    await eventually(() => closed(leaver), 'the leaver torn down');

    // A hire whose events Okta dropped: the catch-up run (the schedule's workflow, run once here) finds and starts it.
    hire(missed, 'Retail-Holiday-Agents');
    okta.admin.clearOutbox();
    const caughtUp = (await client.workflow.execute(CATCH_UP_WORKFLOW, {
      taskQueue: LIFECYCLE_TASK_QUEUE,
      workflowId: `${catchUpScheduleId(ORG, SEASON)}/scan`,
      args: [{ seasonId: SEASON, orgId: ORG }],
    })) as CatchUpResult;
    expect(caughtUp.started).toEqual([missed.oktaUserId]);
    await eventually(() => phaseIs(missed, 'Active'), 'the missed hire Active');

    // What the Web UI reads from a running agent: its current details (the NeedsAttention reason) and state.
    for (const queryType of ['__temporal_workflow_metadata', 'getState']) {
      const answer = await connection.workflowService.queryWorkflow({
        namespace,
        execution: { workflowId: seasonalAgentWorkflowId(ORG, stuck.oktaUserId) },
        query: { queryType },
      });
      queryAnswers.push({ queryType, payloads: answer.queryResult?.payloads ?? [] });
      sources.push({
        name: `query ${queryType} of the lead`,
        bytes: Buffer.from(temporal.api.workflowservice.v1.QueryWorkflowResponse.encode(answer).finish()),
      });
    }

    await cli('status', ['status', SEASON], env);
    await cli('catch-up', ['catch-up', SEASON, '--install'], env);
    await cli('end-now', ['end-now', SEASON, '--all', '--yes'], env);
    await okta.deliverPending();
    for (const a of [stayer, mover, stuck, missed]) await eventually(() => closed(a), `agent ${a.n} torn down`);
    await cli('report', ['report', SEASON], env);

    // Planted on purpose, each through a real path: a request URL the receiver logs, and a payload written by a
    // client without the codec (a workflow nobody runs, terminated at once).
    expect((await fetch(`${hookUrl}?note=${PLANTED.log}`)).status).toBe(401);
    const planted = await plain.workflow.start('plantedNobodyRuns', {
      taskQueue: 'planted-nobody-polls',
      workflowId: `planted-${token()}`,
      args: [{ note: PLANTED.payload }],
    });
    await planted.terminate('planted by the secrets scan');

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    sources.push({ name: 'worker metrics endpoint', bytes: Buffer.from(metrics) });
  } finally {
    await receiver?.stop();
    await worker?.stop();
    sources.push({ name: 'test process output (in-process emulators)', bytes: Buffer.from(ownOutput()) });
  }
  for (const file of readdirSync(logDir))
    sources.push({ name: `log ${file}`, bytes: readFileSync(path.join(logDir, file)) });
  raw = await readNamespaceRaw(connection, namespace);
  sources.push(...raw.sources);
}, 150_000);

afterAll(async () => {
  await receiver?.stop();
  await worker?.stop();
  await connection?.close();
  await okta?.close();
  await genesys?.close();
  // The logs hold nothing secret (the scan says so), but they are this run's only: do not pile them up in /tmp.
  if (logDir) rmSync(path.dirname(logDir), { recursive: true, force: true });
});

const encodingOf = (p: Payload | null | undefined) => Buffer.from(p?.metadata?.encoding ?? new Uint8Array()).toString();

describe('secrets and PII, proven absent (payload encryption on)', () => {
  it('played the season through the real processes, and every kind of source was read', () => {
    const names = sources.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'log worker.log',
        'log receiver.log',
        'log cli-status.log',
        'log cli-catch-up.log',
        'log cli-end-now.log',
        'log cli-report.log',
        'worker metrics endpoint',
        'visibility list (ids, search attributes, memo)',
        `schedule catch-up/${ORG}/${SEASON}`,
        ...agents.map((a) => `history of ${seasonalAgentWorkflowId(ORG, a.oktaUserId)}`),
        `history of ${catchUpScheduleId(ORG, SEASON)}/scan`,
        ...agents.map((a) => `description of ${seasonalAgentWorkflowId(ORG, a.oktaUserId)}`),
      ]),
    );
    const text = (name: string) => sources.find((s) => s.name === name)!.bytes.toString('utf8');
    // The real loggers ran: the worker's JSON lines, the receiver's request and hook logs, Prometheus metrics.
    expect(text('log worker.log')).toMatch(/^\{"time":"[^"]+","level":"(DEBUG|INFO|WARN)"/m);
    expect(text('log worker.log')).toContain('payloads encrypted (key id scan)');
    expect(text('log receiver.log')).toContain('"msg":"trigger queued"');
    expect(text('worker metrics endpoint')).toMatch(/^temporal_\w+/m);
  });

  it('finds the values planted on purpose, exactly where they were planted', () => {
    const hits = scan(sources, [
      { name: 'planted log', value: PLANTED.log },
      { name: 'planted payload', value: PLANTED.payload },
    ]);
    expect(hits.map((h) => `${h.needle} in ${h.source}`).sort()).toEqual([
      'planted log in log receiver.log',
      expect.stringMatching(/^planted payload in history of planted-[0-9a-f]+$/),
    ]);
  });

  it('finds no secret, login, email or name in any log, history, id, search attribute, memo, schedule or metric', () => {
    const hits = scan(sources, needles);
    process.stdout.write(
      `secrets scan: ${sources.length} sources, ${needles.length} needles, ${totalBytes(sources)} bytes, ${hits.length} hits\n`,
    );
    expect(hits).toEqual([]);
  });

  it("answers the Web UI's queries (current details with the NeedsAttention reason, state) encrypted", async () => {
    expect(queryAnswers.map((a) => ({ query: a.queryType, encodings: a.payloads.map(encodingOf) }))).toEqual([
      { query: '__temporal_workflow_metadata', encodings: [ENCRYPTED_ENCODING] },
      { query: 'getState', encodings: [ENCRYPTED_ENCODING] },
    ]);
    // Decrypted, the details hold the reason: the scan above read it as ciphertext, not as something absent.
    const [details] = await payloadCodecFromEnv(KEYS)!.decode(queryAnswers[0]!.payloads);
    expect(Buffer.from(details!.data ?? new Uint8Array()).toString('utf8')).toContain('needs attention: addGrants');
  });

  it('stores failure messages and stack traces encrypted; the codec server decodes them for the Web UI', async () => {
    const ours = raw.histories.flatMap((h) =>
      failuresIn(h.history)
        .filter((f) => f.source === 'TypeScriptSDK')
        .map((f) => ({ workflowId: h.workflowId, failure: f })),
    );
    const lead = ours.filter((f) => f.workflowId === seasonalAgentWorkflowId(ORG, stuck.oktaUserId));
    expect(lead.length).toBeGreaterThan(0);
    expect(
      ours.map(({ failure: f }) => ({
        message: f.message,
        stack: f.stackTrace ?? '',
        encoding: encodingOf(f.encodedAttributes),
      })),
    ).toEqual(ours.map(() => ({ message: 'Encoded failure', stack: '', encoding: ENCRYPTED_ENCODING })));

    const codecServer = await startCodecServer({
      codec: payloadCodecFromEnv(KEYS)!,
      origins: ['http://localhost:8233'],
    });
    try {
      // The final failure (non-retryable): earlier attempts' failures are in the history too (an attempt's
      // lastFailure), since a 404 within 30 s of the create is retried as the API's lag.
      const final = lead.find((f) => f.failure.applicationFailureInfo?.nonRetryable === true);
      expect(final).toBeDefined();
      const p = final!.failure.encodedAttributes!;
      const body = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
          },
        ],
      };
      const response = await fetch(`${codecServer.url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': namespace },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const [decoded] = (
        (await response.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> }
      ).payloads;
      const attributes = defaultPayloadConverter.fromPayload<{ message: string; stack_trace: string }>({
        metadata: Object.fromEntries(Object.entries(decoded!.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        data: Buffer.from(decoded!.data, 'base64'),
      });
      // The reason an operator reads: the 404 with the role and division ids asked for (Genesys' own 404 text names
      // nothing), never a login or a name.
      expect(attributes.message).toMatch(/roles \[[0-9a-f-]{36}\]; divisions \[[0-9a-f-]{36}\]/);
      // Where the stack trace went: beside the message, inside the encrypted payload (empty for this ApplicationFailure).
      expect(typeof attributes.stack_trace).toBe('string');
    } finally {
      await codecServer.close();
    }
  });
});
