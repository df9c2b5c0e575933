// `npm run bench -- --scenario sleepers [--agents 10000]`: the memory and visibility figure. Provisions N agents
// against the Genesys emulator with a budget too high to matter, lets them all sleep until a season end weeks away,
// then measures the worker — a separate `worker/main.ts` process, as deployed, so its RSS is its own — and times
// `season status` and the visibility counts behind it. The worker runs as shipped: deploy/worker.env's memory
// settings and its default workflow cache; flags change one setting at a time (V8 heap, workflow cache, malloc
// arenas, or `--node-defaults`) to show what each costs. Results: bench-results/sleepers.json.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { enrolAgent } from '../operations/seasonal-agent';
import { startGenesysEmulator } from '../emulators/genesys';
import { GenesysClient } from '../integrations/genesys';
import { startDevServer } from '../platform/dev-server';
import type { NameResolution } from '../workflows/messages';
import { RETAIL_ORG } from '../test/support/agents';
import { spawnWorker, WorkerProcess, writeWorkerConfig } from '../test/support/worker-process';
import { Memory, processMemory, timeCountsByPhase, timeStatusCommand } from './bench-probes';
import { seasonYaml, sleeperInput, SLEEPERS_SEASON } from './bench-sleepers-fixture';
import { reportSleepers } from './bench-sleepers-report';
import { shippedWorkerEnv, WORKER_ENV_FILE } from '../platform/worker-env';

/** orgs.yaml's ceiling: far above what one worker on two cores can spend, so the budget never paces the wave. */
const BUDGET_PER_MINUTE = 100_000;

interface Options {
  agents: number;
  maxOldSpaceSize?: number;
  maxSemiSpaceSize?: number;
  maxCachedWorkflows?: number;
  mallocArenaMax?: number;
  nodeDefaults?: boolean;
  timeoutMinutes: number;
}

type Cleanups = Array<() => Promise<void>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quietBundleLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

function parseOptions(argv: string[]): Options {
  const int = (v: string) => Number(v);
  return new Command('bench')
    .option('--scenario <name>', 'wave | sleepers', 'sleepers')
    .option('--agents <n>', 'sleeping agents', int, 10_000)
    .option(
      '--max-old-space-size <mb>',
      "the worker's V8 old-generation limit (node flag); default: node's, sized for the machine's RAM",
      int,
    )
    .option(
      '--max-semi-space-size <mb>',
      "the worker's V8 young-generation semi-space (node flag); default: node's",
      int,
    )
    .option('--max-cached-workflows <n>', "worker/main.ts --max-cached-workflows; default: the worker's", int)
    .option(
      '--malloc-arena-max <n>',
      "MALLOC_ARENA_MAX for the worker (glibc's per-thread arenas); default: glibc's",
      int,
    )
    .option(
      '--node-defaults',
      `without the shipped memory settings (${WORKER_ENV_FILE}): node's and glibc's defaults, to compare`,
    )
    .option('--timeout-minutes <n>', 'give up provisioning after this long', int, 30)
    .parse(argv)
    .opts<Options>();
}

/**
 * What the worker runs with: the shipped environment (deploy/worker.env) unless `--node-defaults`, then node flags
 * (which take precedence over NODE_OPTIONS), worker flags and more environment from the bench's flags.
 */
function workerTuning(opts: Options): { nodeArgs: string[]; workerArgs: string[]; env: Record<string, string> } {
  const shipped = opts.nodeDefaults ? {} : shippedWorkerEnv();
  return {
    nodeArgs: [
      ...(opts.maxOldSpaceSize ? [`--max-old-space-size=${opts.maxOldSpaceSize}`] : []),
      ...(opts.maxSemiSpaceSize ? [`--max-semi-space-size=${opts.maxSemiSpaceSize}`] : []),
    ],
    workerArgs:
      opts.maxCachedWorkflows !== undefined ? ['--max-cached-workflows', String(opts.maxCachedWorkflows)] : [],
    env: {
      ...shipped,
      ...(opts.mallocArenaMax !== undefined ? { MALLOC_ARENA_MAX: String(opts.mallocArenaMax) } : {}),
    },
  };
}

async function resolveNames(genesys: GenesysClient): Promise<NameResolution> {
  const roles = await genesys.listRoles({ pageSize: 100 });
  const divisions = await genesys.listDivisions({ pageSize: 100 });
  return {
    roles: Object.fromEntries(roles.entities.map((r) => [r.name, r.id])),
    divisions: Object.fromEntries(divisions.entities.map((d) => [d.name, d.id])),
  };
}

/** Idle means polling: the bundle loaded and the workers running, before any workflow exists. */
async function untilPolling(worker: WorkerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!worker.output.some((l) => l.startsWith('worker: polling'))) {
    if (worker.child.exitCode !== null)
      throw new Error(`the worker exited (${worker.child.exitCode}) before it polled`);
    if (Date.now() > deadline) throw new Error('the worker did not start polling within 60 s');
    await sleep(200);
  }
  await sleep(2_000);
}

async function untilAllActive(client: Client, worker: WorkerProcess, opts: Options, began: number): Promise<void> {
  const deadline = began + opts.timeoutMinutes * 60_000;
  for (;;) {
    const active = (await client.workflow.count(`SeasonIds = "${SLEEPERS_SEASON}" AND AgentPhase = "Active"`)).count;
    const rss = processMemory(worker.pid).rssMb;
    process.stdout.write(
      `\rbench: ${active}/${opts.agents} agents Active after ${((Date.now() - began) / 1000).toFixed(0)} s; worker RSS ${rss.toFixed(0)} MB   `,
    );
    if (active === opts.agents) break;
    if (worker.child.exitCode !== null)
      throw new Error(`the worker exited (${worker.child.exitCode}): ${worker.output.slice(-5).join(' | ')}`);
    if (Date.now() > deadline) throw new Error(`not every agent was Active within ${opts.timeoutMinutes} minutes`);
    await sleep(3_000);
  }
  process.stdout.write('\n');
}

async function run(opts: Options, work: string, cleanups: Cleanups): Promise<boolean> {
  const server = await startDevServer({ uiPort: false });
  cleanups.push(() => server.stop());
  const emulator = await startGenesysEmulator({ port: 0, rateLimitPerMinute: 1_000_000 });
  cleanups.push(() => emulator.close());
  const connection = await Connection.connect({ address: server.address });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace: server.namespace });

  // Prebuilt, as production runs it (Dockerfile): bundling at start would leave webpack's garbage in the RSS.
  const bundle = path.join(work, 'workflow-bundle.js');
  writeFileSync(
    bundle,
    (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietBundleLogger })).code,
  );
  const seasonEndsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const configDir = path.join(work, 'config');
  writeWorkerConfig(configDir, {
    emulatorUrl: emulator.url,
    requestsPerMinute: BUDGET_PER_MINUTE,
    seasons: { [SLEEPERS_SEASON]: seasonYaml(seasonEndsAt) },
  });
  const tuning = workerTuning(opts);
  const worker = spawnWorker({ configDir, address: server.address, namespace: server.namespace, bundle, ...tuning });
  cleanups.push(() => worker.stop());

  const genesys = GenesysClient.fromConnection({
    apiBaseUrl: emulator.url,
    loginBaseUrl: emulator.url,
    clientId: 'retail-us-provisioner',
    clientSecret: 'emulator-retail-us-secret',
    requestsPerMinute: BUDGET_PER_MINUTE,
  });
  const resolved = await resolveNames(genesys);
  await untilPolling(worker);
  const idle = processMemory(worker.pid);
  console.log(
    `bench: sleepers — ${opts.agents} agents; worker pid ${worker.pid}, ${idle.rssMb.toFixed(0)} MB idle; season ends ${seasonEndsAt}`,
  );

  const began = Date.now();
  const inputs = Array.from({ length: opts.agents }, (_, i) => sleeperInput(i, seasonEndsAt, resolved));
  for (let i = 0; i < inputs.length; i += 100)
    await Promise.all(inputs.slice(i, i + 100).map((input) => enrolAgent(client, input)));
  const startAllMs = Date.now() - began;
  await untilAllActive(client, worker, opts, began);
  const provisionAllMs = Date.now() - began;

  // Asleep, no task runs and memory settles. Sample for 30 s and keep the highest: the honest figure.
  const asleepSamples: Memory[] = [];
  for (let i = 0; i < 10; i++) {
    await sleep(3_000);
    asleepSamples.push(processMemory(worker.pid));
  }
  const target = { seasonId: SLEEPERS_SEASON, configDir, address: server.address, namespace: server.namespace };
  const statusRuns = [];
  for (let i = 0; i < 3; i++) statusRuns.push(await timeStatusCommand(target));
  const { requests: total, byStatus } = emulator.requestCounts().totals;

  return reportSleepers({
    agents: opts.agents,
    workerSettings: [
      ...tuning.nodeArgs,
      ...(tuning.workerArgs.length ? [tuning.workerArgs.join(' ')] : []),
      ...Object.entries(tuning.env).map(([k, v]) => `${k}=${v}`),
    ],
    startAllMs,
    provisionAllMs,
    idle,
    asleep: asleepSamples.reduce((a, b) => (b.rssMb > a.rssMb ? b : a)),
    asleepSamples,
    ...(server.pid ? { devServer: processMemory(server.pid) } : {}),
    statusRuns,
    counts: await timeCountsByPhase(client, { id: SLEEPERS_SEASON, orgId: RETAIL_ORG }),
    genesysRequests: { total, byStatus },
    failedWorkflows: (await client.workflow.count(`SeasonIds = "${SLEEPERS_SEASON}" AND ExecutionStatus != "Running"`))
      .count,
  });
}

export async function sleepersBench(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  const work = mkdtempSync(path.join(tmpdir(), 'bench-sleepers-'));
  // Whatever was started is stopped, last first, however the bench ends.
  const cleanups: Cleanups = [async () => rmSync(work, { recursive: true, force: true })];
  try {
    return (await run(opts, work, cleanups)) ? 0 : 1;
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((err: unknown) => console.error(`bench: cleanup failed: ${String(err)}`));
  }
}
