// The production topology on one machine, without Docker, from real parts: a private PostgreSQL cluster, the
// Temporal server 1.29.1 built from source and started from the same files docker-compose.yml mounts (schema set
// up by the same script, namespace and search attributes by the same job), N worker processes, the hook receiver
// and both emulators, each a process of its own with its log under <runDir>/logs/.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { UserError } from '../../platform/errors';
import { payloadCodecFromEnv } from '../../platform/payload-codec';
import { ensurePostgres, startPostgresCluster, type PostgresCluster } from '../../platform/postgres';
import { ensureTemporalCli } from '../../platform/temporal-cli';
import {
  DEPLOY_FILES,
  ensureTemporalServer,
  runDeployScript,
  spawnTemporalServer,
  waitForFrontend,
} from '../../platform/temporal-server';
import { onShutdown } from '../../platform/shutdown';
import { DEMO_ENV, writeDemoConfig } from '../demo/season-config';
import { ManagedProcess, startTsProcess, waitFor } from '../demo/processes';
import type { SeasonStack } from '../demo/season-stack';
import { remoteGenesys, remoteOkta, type RemoteGenesys } from './emulators';
import { assertPortFree, distinctFreePorts, distinctFreeServerPorts } from './ports';
import { serverEnvironment, schemaEnvironment, type ServerPorts } from './server-env';
import { shippedWorkerEnv } from '../../platform/worker-env';

const ROOT = path.resolve(__dirname, '..', '..');
const rel = (file: string) => path.relative(process.cwd(), file);

export interface StackOptions {
  workers: number;
  rpm: number;
  seasonId: string;
  startsAt: string;
  endsAt: string;
  runDir: string;
  /** The frontend's gRPC port; a free one when omitted. A given port that is taken is an error. */
  temporalPort?: number;
  log: (line: string) => void;
}

export interface Stack extends SeasonStack {
  genesys: RemoteGenesys;
  address: string;
  namespace: string;
  logDir: string;
  serverMetricsUrl: string;
  workerMetricsUrls: string[];
  /** Rejects with a line naming the process and its log when a child exits that nobody stopped. */
  failure: Promise<never>;
  /** SIGKILL worker `index` (0-based), then start it again as an orchestrator would. */
  killWorker(index: number, downMs: number): Promise<void>;
  /** SIGKILL the Temporal server, then start it again from the same files. */
  killServer(downMs: number): Promise<void>;
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

export type Prepared = Awaited<ReturnType<typeof prepareStack>>;

/**
 * Everything is found or built before anything starts, so a missing tool or a taken port leaves nothing running.
 * The first time this builds the server (minutes): callers set the season's clock after it.
 */
export async function prepareStack(o: Pick<StackOptions, 'temporalPort' | 'log'>) {
  if (o.temporalPort !== undefined) await assertPortFree(o.temporalPort, 'the Temporal frontend (--temporal-port)');
  const pgBinDir = ensurePostgres(o.log);
  const binaries = await ensureTemporalServer(o.log);
  const cli = await ensureTemporalCli(o.log);
  return { pgBinDir, binaries, cli };
}

export async function startStack(o: StackOptions, prepared: Prepared): Promise<Stack> {
  const { pgBinDir, binaries, cli } = prepared;
  const logDir = path.join(o.runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  let rejectFailure: (err: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => (rejectFailure = reject));
  failure.catch(() => {}); // observed by whoever races it; never an unhandled rejection
  const expected = new Set<unknown>();
  // On Ctrl-C every child stops at once (platform/shutdown.ts): those exits are no failure.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => (stopping = true));
  const watch = (
    name: string,
    proc: { on(e: 'exit', f: (c: number | null, s: string | null) => void): void },
    log: string,
  ) =>
    proc.on('exit', (code, signal) => {
      if (expected.has(proc) || stopping) return;
      rejectFailure(new UserError(`${name} exited unexpectedly (${code ?? signal}); see ${rel(log)}`));
    });

  const [pgPort, ...rest] = await distinctFreeServerPorts(11);
  const ports: ServerPorts = {
    frontendGrpc: o.temporalPort ?? rest[0]!,
    frontendHttp: rest[1]!,
    frontendMembership: rest[2]!,
    historyGrpc: rest[3]!,
    historyMembership: rest[4]!,
    matchingGrpc: rest[5]!,
    matchingMembership: rest[6]!,
    workerGrpc: rest[7]!,
    workerMembership: rest[8]!,
    prometheus: rest[9]!,
  };

  // PostgreSQL: a password made for this run, known only to this process and the server's environment.
  const db = { user: 'temporal', password: randomBytes(24).toString('base64url') };
  const pg: PostgresCluster = await startPostgresCluster({
    binDir: pgBinDir,
    port: pgPort!,
    ...db,
    keepLogAs: path.join(logDir, 'postgres.log'),
    log: o.log,
  });
  let pgExpectedDown = false;
  const pgWatch = setInterval(() => {
    const pid = pg.pid();
    const alive =
      pid !== undefined &&
      (() => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      })();
    if (!alive && !pgExpectedDown && !stopping)
      rejectFailure(new UserError(`PostgreSQL stopped unexpectedly; see ${rel(pg.logFile)} (copied there at stop)`));
  }, 2_000);
  pgWatch.unref();

  const schemaLog = path.join(logDir, 'temporal-schema.log');
  await runDeployScript(
    DEPLOY_FILES.setupSchema,
    schemaEnvironment({ pg, password: db.password, binaries }),
    schemaLog,
    'setting up the Temporal schema',
  );
  o.log(`temporal: schema for the default store and visibility set up (${rel(schemaLog)})`);

  const serverLog = path.join(logDir, 'temporal-server.log');
  const serverEnv = serverEnvironment({ pg, password: db.password, binaries, ports, root: ROOT });
  const address = `127.0.0.1:${ports.frontendGrpc}`;
  let server = spawnTemporalServer(serverEnv, serverLog);
  watch('the Temporal server', server, serverLog);
  const killServerNow = () => void server.kill('SIGKILL');
  const unregisterServer = onShutdown(async () => stopServer(), killServerNow);
  const stopServer = async () => {
    expected.add(server);
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGTERM');
    const timer = setTimeout(killServerNow, 15_000);
    await exited;
    clearTimeout(timer);
  };
  const started = Date.now();
  await waitForFrontend(address, server, 90_000, serverLog);
  o.log(
    `temporal: server ${binaries.server} up at ${address} in ${((Date.now() - started) / 1000).toFixed(1)} s (config ${DEPLOY_FILES.serverConfig}, dynamic config ${DEPLOY_FILES.dynamicConfig})`,
  );
  const namespace = 'default';
  await runDeployScript(
    DEPLOY_FILES.namespaceAndSearchAttributes,
    {
      ...process.env,
      PATH: `${path.dirname(cli.path)}${path.delimiter}${process.env.PATH ?? ''}`,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_RETENTION: '2160h',
    },
    path.join(logDir, 'temporal-namespace.log'),
    'registering the namespace and search attributes',
  );
  o.log(
    `temporal: namespace ${namespace} and the search attributes registered (${DEPLOY_FILES.namespaceAndSearchAttributes})`,
  );

  // The emulators, each in a process of its own; the Okta emulator delivers its hooks to the receiver.
  const [genesysPort, oktaPort, hookPort, ...metricsPorts] = await distinctFreePorts(3 + o.workers);
  const hookSecret = randomBytes(24).toString('base64url');
  const emulatorEnv = { OKTA_HOOK_SECRET: hookSecret };
  const genesysProc = startTsProcess(
    'genesys-emulator',
    'emulators/genesys/main.ts',
    ['--port', String(genesysPort), '--rate-limit', String(o.rpm)],
    emulatorEnv,
    logDir,
  );
  watch('the Genesys emulator', genesysProc.child, genesysProc.logFile);
  const oktaProc = startTsProcess(
    'okta-emulator',
    'emulators/okta/main.ts',
    ['--port', String(oktaPort), '--fixture', 'retail', '--rate-limit', '20000'],
    emulatorEnv,
    logDir,
  );
  watch('the Okta emulator', oktaProc.child, oktaProc.logFile);
  const genesys = remoteGenesys(`http://127.0.0.1:${genesysPort}`);
  const okta = remoteOkta(`http://127.0.0.1:${oktaPort}`);
  await waitFor(
    'the Genesys emulator',
    async () => (await fetch(`${genesys.url}/__emulator/health`)).ok,
    60_000,
    genesysProc,
  );
  await waitFor('the Okta emulator', async () => (await fetch(`${okta.url}/__emulator/state`)).ok, 60_000, oktaProc);
  // The hook is set over the controls: the secret stays out of the emulator's command line.
  await fetch(`${okta.url}/__emulator/hook`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url: `http://127.0.0.1:${hookPort}/okta/events`,
      authHeaderName: 'Authorization',
      authHeaderValue: hookSecret,
    }),
  });
  o.log(`emulators: Genesys Cloud ${genesys.url} (${o.rpm} requests/min), Okta ${okta.url} (separate processes)`);

  const configDir = path.join(o.runDir, 'config');
  writeDemoConfig(configDir, {
    seasonId: o.seasonId,
    genesysUrl: genesys.url,
    oktaUrl: okta.url,
    genesysAppId: await okta.genesysAppId(),
    rpm: o.rpm,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
  });
  // Payloads encrypted as in production, with a key made for this run (memory and the children's environment only).
  const encryptionEnv = {
    PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PAYLOAD_ENCRYPTION_KEY_ID: o.seasonId,
  };
  const childEnv: NodeJS.ProcessEnv = {
    ...DEMO_ENV,
    ...encryptionEnv,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    SEASONAL_CONFIG_DIR: configDir,
    OKTA_HOOK_SECRET: hookSecret,
    HOOK_PORT: String(hookPort),
    HOOK_LOG_LEVEL: 'warn',
  };

  // One workflow bundle for every worker, as the image does: byte-identical workflow code, webpack run once.
  const bundle = path.join(o.runDir, 'workflow-bundle.js');
  const bundler = startTsProcess('workflow-bundle', 'scripts/build-workflow-bundle.ts', ['--out', bundle], {}, logDir);
  expected.add(bundler.child);
  const bundled = await new Promise<number | null>((resolve) => bundler.child.once('exit', (code) => resolve(code)));
  if (bundled !== 0) throw new UserError(`building the workflow bundle failed; see ${rel(bundler.logFile)}`);

  const workers: ManagedProcess[] = [];
  const startWorker = async (i: number) => {
    const name = `worker-${i + 1}`;
    const logFile = path.join(logDir, `${name}.log`);
    const from = (() => {
      try {
        return statSync(logFile).size;
      } catch {
        return 0;
      }
    })();
    const proc = startTsProcess(
      name,
      'worker/main.ts',
      ['--config', configDir, '--bundle', bundle, '--metrics-port', String(metricsPorts[i]), '--log-level', 'WARN'],
      // The shipped memory settings, as docker-compose.yml passes them.
      { ...childEnv, ...shippedWorkerEnv() },
      logDir,
    );
    watch(name, proc.child, proc.logFile);
    workers[i] = proc;
    await waitFor(
      `${name} to poll`,
      async () => readFileSync(proc.logFile, 'utf8').slice(from).includes('worker: polling'),
      90_000,
      proc,
    );
  };
  await Promise.all(Array.from({ length: o.workers }, (_, i) => startWorker(i)));
  const receiver = startTsProcess('receiver', 'receiver/main.ts', [], childEnv, logDir);
  watch('the hook receiver', receiver.child, receiver.logFile);
  await waitFor('the hook receiver to listen', async () => (await okta.verifyHook()).verified, 60_000, receiver);
  o.log(
    `${o.workers} worker process(es) and the hook receiver running (logs in ${rel(logDir)}); Okta verified the event hook`,
  );

  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace,
    dataConverter: { payloadCodecs: [payloadCodecFromEnv(encryptionEnv)!] },
  });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  return {
    client,
    configDir,
    childEnv,
    genesys,
    okta,
    address,
    namespace,
    logDir,
    serverMetricsUrl: `http://127.0.0.1:${ports.prometheus}/metrics`,
    workerMetricsUrls: metricsPorts.slice(0, o.workers).map((p) => `http://127.0.0.1:${p}/metrics`),
    failure,
    async killWorker(index, downMs) {
      const proc = workers[index]!;
      expected.add(proc.child);
      const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
      proc.child.kill('SIGKILL');
      await exited;
      await proc.stop(); // unregisters its cleanup; the process is already gone
      await pause(downMs);
      await startWorker(index);
    },
    async killServer(downMs) {
      expected.add(server);
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGKILL');
      await exited;
      await pause(downMs);
      server = spawnTemporalServer(serverEnv, serverLog);
      watch('the Temporal server', server, serverLog);
      await waitForFrontend(address, server, 90_000, serverLog);
    },
    async restartPostgres() {
      pgExpectedDown = true;
      try {
        await pg.restart();
      } finally {
        pgExpectedDown = false;
      }
    },
    async stop() {
      stopping = true;
      clearInterval(pgWatch);
      pgExpectedDown = true;
      for (const p of [receiver, ...workers, oktaProc, genesysProc]) expected.add(p.child);
      await receiver.stop();
      await Promise.all(workers.map((w) => w.stop()));
      await connection.close();
      await oktaProc.stop();
      await genesysProc.stop();
      await stopServer();
      unregisterServer();
      await pg.stop();
    },
  };
}
