// Everything `npm start` runs: the Temporal dev server (Web UI on, persisted under data/), the Genesys and Okta
// emulators, the worker and the hook receiver as separate processes, as they would run in production. Payloads
// are encrypted as in production too, with a key made for this run (kept in memory and the children's
// environment, never in a file), and the Web UI decodes them through a codec server in this process.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCodecServer } from '../../platform/codec-server';
import { payloadCodecFromEnv } from '../../platform/payload-codec';
import { startGenesysEmulator, GenesysEmulator } from '../../emulators/genesys';
import { startOktaEmulator, OktaEmulator } from '../../emulators/okta';
import { DevServer, freePort, startDevServer } from '../../platform/dev-server';
import { onShutdown } from '../../platform/shutdown';
import { DEMO_ENV, DEMO_ORG, writeDemoConfig } from './season-config';
import { indent, runCli } from './cli';
import { ManagedProcess, startTsProcess, waitFor } from './processes';
import { shippedWorkerEnv } from '../../platform/worker-env';

export interface DemoStack {
  server: DevServer;
  client: Client;
  /** The codec server the Web UI decodes payloads through. */
  codecUrl: string;
  genesys: GenesysEmulator;
  okta: OktaEmulator;
  worker: ManagedProcess;
  receiver: ManagedProcess;
  configDir: string;
  childEnv: NodeJS.ProcessEnv;
  metricsUrl: string;
  stop(): Promise<void>;
}

async function portOr(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

/**
 * The demo's database (data/temporal.db) is its own. Workflows still running in it were left by an interrupted
 * earlier run, whose payload key is gone with it: no worker could ever decode them again, so end them now.
 */
async function endLeftovers(client: Client, log: (line: string) => void): Promise<void> {
  let ended = 0;
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    await client.workflow
      .getHandle(wf.workflowId, wf.runId)
      .terminate('left running by an interrupted earlier npm start');
    ended++;
  }
  if (ended > 0) log(`demo: ended ${ended} workflow(s) that an interrupted earlier run left in the demo's database`);
}

/**
 * Goes live as an admin would: `season setup` registers the Okta event hook (verified by Okta against the running
 * receiver) and the search attributes; `season doctor` then checks every go-live step. Either failing ends the demo.
 */
async function goLive(configDir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  for (const command of ['setup', 'doctor']) {
    log(`\ngo live: season ${command} ${DEMO_ORG}`);
    const run = await runCli([command, DEMO_ORG, '--config', configDir], env);
    log(indent(run.out));
    if (run.code !== 0) throw new Error(`season ${command} ${DEMO_ORG} failed (exit ${run.code}): see above`);
  }
}

export async function startDemoStack(o: {
  dataDir: string;
  runDir: string;
  seasonId: string;
  rpm: number;
  startsAt: string;
  endsAt: string;
  log: (line: string) => void;
  /** Genesys's lags after a create and on searches; the emulator's production-faithful defaults when absent. */
  genesysLags?: { newUserNotFoundMs: number; searchLagMs: number };
}): Promise<DemoStack> {
  // The season id names the key: a workflow left running by an earlier run (another key) says whose it is.
  const encryptionEnv = {
    PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PAYLOAD_ENCRYPTION_KEY_ID: o.seasonId,
  };
  const codec = payloadCodecFromEnv(encryptionEnv)!;
  const uiPort = await portOr(8233);
  const codecServer = await startCodecServer({
    codec,
    origins: [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`],
    port: await portOr(8888),
  });
  onShutdown(() => codecServer.close());
  const server = await startDevServer({
    port: await portOr(7233),
    uiPort,
    dbFilename: path.join(o.dataDir, 'temporal.db'),
    codecEndpoint: codecServer.url,
    log: o.log,
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace, dataConverter: { payloadCodecs: [codec] } });
  await endLeftovers(client, o.log);

  const genesys = await startGenesysEmulator({ port: 0, rateLimitPerMinute: o.rpm, ...o.genesysLags });
  onShutdown(() => genesys.close());
  const hookPort = await freePort();
  // The hook secret exists only in this process's memory and its children's environment: never in a file.
  const hookSecret = randomBytes(24).toString('base64url');
  const okta = await startOktaEmulator({
    port: 0,
    fixture: 'retail',
    // A large Okta org's budget: the receiver reads each new agent's profile and groups.
    rateLimitPerMinute: 20_000,
  });
  onShutdown(() => okta.close());
  o.log(`emulators: Genesys Cloud ${genesys.url} (${o.rpm} requests/min), Okta ${okta.url}`);

  const configDir = path.join(o.runDir, 'config');
  writeDemoConfig(configDir, {
    seasonId: o.seasonId,
    genesysUrl: genesys.url,
    oktaUrl: okta.url,
    genesysAppId: okta.genesysAppId(),
    rpm: o.rpm,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
  });
  const childEnv: NodeJS.ProcessEnv = {
    ...DEMO_ENV,
    ...encryptionEnv,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: server.namespace,
    SEASONAL_CONFIG_DIR: configDir,
    OKTA_HOOK_SECRET: hookSecret,
    // Where Okta calls the receiver: `season setup` registers the event hook there (a real org needs https://).
    OKTA_HOOK_URL: `http://127.0.0.1:${hookPort}/okta/events`,
    HOOK_PORT: String(hookPort),
    HOOK_LOG_LEVEL: 'warn',
  };
  const logDir = path.join(o.runDir, 'logs');
  const metricsPort = await freePort();
  const worker = startTsProcess(
    'worker',
    'worker/main.ts',
    ['--config', configDir, '--metrics-port', String(metricsPort), '--log-level', 'WARN'],
    // The shipped memory settings, as docker-compose.yml passes them.
    { ...childEnv, ...shippedWorkerEnv() },
    logDir,
  );
  const receiver = startTsProcess('receiver', 'receiver/main.ts', [], childEnv, logDir);
  await waitFor(
    'the worker to poll',
    async () => readFileSync(worker.logFile, 'utf8').includes('worker: polling'),
    90_000,
    worker,
  );
  await waitFor(
    'the hook receiver to listen',
    async () => (await fetch(`http://127.0.0.1:${hookPort}/healthz`).catch(() => undefined))?.ok === true,
    60_000,
    receiver,
  );
  o.log(`worker and hook receiver running (logs in ${path.relative(process.cwd(), logDir)})`);
  await goLive(configDir, childEnv, o.log);

  return {
    server,
    client,
    codecUrl: codecServer.url,
    genesys,
    okta,
    worker,
    receiver,
    configDir,
    childEnv,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    async stop() {
      await receiver.stop();
      await worker.stop();
      await connection.close();
      await okta.close();
      await genesys.close();
      await server.stop();
      await codecServer.close();
    },
  };
}
