// The fault matrix beyond the worker kill (crash-safety.test.ts): a Temporal server restart, a 429 storm and a
// Genesys maintenance outage, each in the middle of a wave of 30 agents. Every case ends with 0 lost, 0 duplicated,
// 0 wrong grants and 0 failed workflows, checked against the emulator's own state (test/support/fault-checks.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { enrolAgent } from '../../operations/seasonal-agent';
import { startGenesysEmulator } from '../../emulators/genesys';
import type { GenesysEmulator } from '../../emulators/genesys';
import { freePort, startDevServer } from '../../platform/dev-server';
import type { DevServer } from '../../platform/dev-server';
import { seasonalAgentWorkflowId, type SeasonalAgentInput } from '../../workflows/agent/contract';
import { policyBackoffMs, retriedActivities, RetriedActivity } from '../support/activity-retries';
import { AGENTS_GROUP, CHAT_GROUP, RETAIL_ORG, agentInput, eventually } from '../support/agents';
import { countSeason, expectNoLossNoDuplicateNoWrongGrant, waitAllActive } from '../support/fault-checks';
import { LifecycleEnv, startLifecycleEnv } from '../support/lifecycle-env';
import { spawnWorker, WorkerProcess, writeWorkerConfig } from '../support/worker-process';

const AGENTS = 30;

function wave(seasonId: string): SeasonalAgentInput[] {
  return Array.from({ length: AGENTS }, (_, i) =>
    agentInput({ seasonId, groups: i % 3 === 0 ? [AGENTS_GROUP, CHAT_GROUP] : [AGENTS_GROUP] }),
  );
}

async function startWave(client: Client, inputs: SeasonalAgentInput[]): Promise<void> {
  const outcomes = await Promise.all(inputs.map((input) => enrolAgent(client, input)));
  expect(outcomes.filter((o) => o.outcome === 'started')).toHaveLength(inputs.length);
}

async function untilUsers(emulator: GenesysEmulator, atLeast: number): Promise<void> {
  const created = () => emulator.inspect(RETAIL_ORG).users.filter((u) => u.externalId?.startsWith('00u')).length;
  await eventually(async () => (created() >= atLeast ? true : undefined), `${atLeast} Genesys users created`, 60_000);
}

async function retriesOf(client: Client, inputs: SeasonalAgentInput[]): Promise<RetriedActivity[]> {
  const all: RetriedActivity[] = [];
  for (const input of inputs) {
    const history = await client.workflow
      .getHandle(seasonalAgentWorkflowId(input.orgId, input.agent.oktaUserId))
      .fetchHistory();
    all.push(...retriedActivities(history));
  }
  return all;
}

describe('Temporal server restart', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fault-restart-'));
  let server: DevServer | undefined;
  let emulator: GenesysEmulator | undefined;
  let worker: WorkerProcess | undefined;
  let connection: Connection | undefined;

  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await server?.stop();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // What the TS worker (SDK 1.24, as a real worker process) did when its server went away for ~5 s: it stayed up.
  // Polls failed and were retried quietly (nothing logged at WARN); the completions of workflow and activity tasks
  // it had in hand were retried by the SDK core (`respond_*_task_completed retried N times`, up to 7 times) and
  // delivered once the server was back, so no activity ran twice and no workflow task timed out. An outage longer
  // than the core's retry window would drop such a completion instead: the activity then times out
  // (startToClose 30 s) and runs again, which the idempotent activities absorb. The test asserts the survival.
  it('finishes a wave after the server stops mid-provisioning and comes back on the same port and database', async () => {
    const seasonId = 'fault-server-restart';
    // Its own server: stopping the shared one would break every other test file.
    const serverOptions = {
      port: await freePort(),
      uiPort: false as const,
      dbFilename: path.join(dir, 'temporal.db'),
      log: () => undefined,
    };
    server = await startDevServer(serverOptions);
    // The emulator takes anything; the worker's budget (1,200/min) stretches the wave to ~10 s so the server can
    // be stopped in the middle of it.
    emulator = await startGenesysEmulator({ port: 0, rateLimitPerMinute: 100_000, seed: 11 });
    writeWorkerConfig(path.join(dir, 'config'), { emulatorUrl: emulator.url, requestsPerMinute: 1_200 });
    worker = spawnWorker({
      configDir: path.join(dir, 'config'),
      address: server.address,
      namespace: server.namespace,
      logLevel: 'WARN',
    });
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });

    const inputs = wave(seasonId);
    await startWave(client, inputs);
    await untilUsers(emulator, 5);
    await server.stop();
    const createdBeforeRestart = emulator
      .inspect(RETAIL_ORG)
      .users.filter((u) => u.externalId?.startsWith('00u')).length;
    // Long enough for the worker to fail polls and completions several times over.
    await new Promise((r) => setTimeout(r, 2_000));
    server = await startDevServer(serverOptions);

    await waitAllActive(client, seasonId, AGENTS, 60_000);
    expect(createdBeforeRestart).toBeLessThan(AGENTS);
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();
    // It did see the server go: the SDK core logged retried calls to the missing server.
    expect(worker.output.some((line) => /retried \d+ times/.test(line))).toBe(true);
    await expectNoLossNoDuplicateNoWrongGrant({ client, emulator, seasonId, inputs });
  });
});

describe('Genesys faults during a wave', () => {
  let env: LifecycleEnv;

  beforeAll(async () => {
    // Every attempt during the outage fails on purpose: the SDK's WARN line per failed activity would bury the report.
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // A runtime is already installed in this jest worker (another file ran first); its logger stays.
    }
    // Its own namespace on the shared dev server. A budget of 1,200/min makes a wave of 30 agents last ~10 s, so
    // the faults land in the middle of it.
    env = await startLifecycleEnv({ requestsPerMinute: 1_200, namespacePrefix: 'faults' });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('429 storm: every agent Active, and the retries waited as long as Retry-After said', async () => {
    const seasonId = 'fault-429-storm';
    env.emulator.resetCounts();
    const inputs = wave(seasonId);
    await startWave(env.client, inputs);
    await untilUsers(env.emulator, 1);
    env.emulator.setFaults({ throttleNext: 200, throttleRetryAfterSeconds: 2 });

    await waitAllActive(env.client, seasonId, AGENTS, 90_000);
    await expectNoLossNoDuplicateNoWrongGrant({ client: env.client, emulator: env.emulator, seasonId, inputs });
    // Every forced 429 was spent: calls kept coming until the storm was over.
    expect(env.emulator.requestCounts().faults.forced429).toBe(200);

    const throttled = (await retriesOf(env.client, inputs)).filter((r) => r.lastFailureType === 'GenesysRateLimited');
    expect(throttled.length).toBeGreaterThan(0);
    for (const r of throttled) {
      // Retry-After reached Temporal as the failure's next retry delay…
      expect(r.askedDelayMs).toBe(2_000);
      // …and every retry waited at least that long (server timestamps; 100 ms for their rounding).
      expect(r.waitedMs).toBeGreaterThanOrEqual((r.attempt - 1) * 2_000 - 100);
    }
    // …instead of the retry policy's exponential backoff, which would have waited far longer by attempt 5.
    const longest = throttled.reduce((a, b) => (b.attempt > a.attempt ? b : a));
    expect(longest.attempt).toBeGreaterThanOrEqual(5);
    expect(longest.waitedMs).toBeLessThan(policyBackoffMs(longest.attempt));
  });

  it('maintenance outage: every agent Active afterwards, none in NeedsAttention', async () => {
    const seasonId = 'fault-outage';
    env.emulator.resetCounts();
    const inputs = wave(seasonId);
    await startWave(env.client, inputs);
    await untilUsers(env.emulator, 5);
    env.emulator.setFaults({ outageSeconds: 8 });

    await waitAllActive(env.client, seasonId, AGENTS, 90_000);
    expect(await countSeason(env.client, seasonId, 'NeedsAttention')).toBe(0);
    await expectNoLossNoDuplicateNoWrongGrant({ client: env.client, emulator: env.emulator, seasonId, inputs });
    expect(env.emulator.requestCounts().faults.outage503).toBeGreaterThan(0);
    // The outage reached the workflows: activities failed with 503 and were retried past it.
    const healed = (await retriesOf(env.client, inputs)).filter((r) => r.lastFailureType === 'GenesysServerError');
    expect(healed.length).toBeGreaterThan(0);
  });
});
