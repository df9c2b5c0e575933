// Starts and stops `temporal server start-dev` for tests, the demo and development.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli, goVersion, TemporalCli } from './temporal-cli';
import { UserError } from './errors';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { ensureSearchAttributes } from './search-attributes';
import { onShutdown } from './shutdown';

export interface DevServerOptions {
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; a free one when omitted. `false` runs headless. */
  uiPort?: number | false;
  /** SQLite file for persistence; in-memory when omitted. */
  dbFilename?: string;
  namespace?: string;
  /** Where to write the server's pid, so a parent can clean up after a hard crash. */
  pidFile?: string;
  /** Codec server the Web UI's browser calls to decode payloads (`--ui-codec-endpoint`); ignored when headless. */
  codecEndpoint?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  cli: TemporalCli | { path: 'downloaded by @temporalio/testing'; source: 'download' };
  pid?: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new UserError(`the Temporal dev server exited with code ${child.exitCode} while starting`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new UserError(
    `the Temporal dev server did not answer on ${address} within ${timeoutMs / 1000} s (${String(lastError)})`,
  );
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const namespace = opts.namespace ?? 'default';
  let cli: TemporalCli;
  try {
    cli = await ensureTemporalCli(log);
  } catch (err) {
    if (err instanceof UserError && !goVersion() && process.env.TEMPORAL_CLI_PATH === undefined) {
      return startDownloadedServer(opts, namespace, log);
    }
    throw err;
  }
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort === false ? undefined : (opts.uiPort ?? (await freePort()));
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (uiPort !== undefined && opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  if (opts.dbFilename) {
    mkdirSync(path.dirname(opts.dbFilename), { recursive: true });
    args.push('--db-filename', opts.dbFilename);
  }
  for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.cliType}`);
  args.push('--log-level', 'error', '--log-format', 'json');
  // Updates are on by default in server 1.29; these keep parity with what the SDK's test server passes.
  args.push('--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true');
  // One partition per task queue, as deploy/temporal/server/dynamicconfig.yaml sets for the production server: the
  // server splits a queue's rate limit (an org's Genesys budget) evenly across its partitions, so with the default
  // four a partition whose backlog ran dry wastes its share while the others hold work, and each partition's burst
  // token lets calls above the budget through. (The dev server's flag has no constraints: every queue gets one,
  // which a few hundred tasks a second do not need more than.)
  args.push('--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1');
  args.push('--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1');

  const started = Date.now();
  const child = spawn(cli.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.shift();
  });
  if (opts.pidFile && child.pid) {
    mkdirSync(path.dirname(opts.pidFile), { recursive: true });
    writeFileSync(opts.pidFile, String(child.pid));
  }
  const address = `127.0.0.1:${port}`;
  const killEarly = onShutdown(
    () => void child.kill('SIGKILL'),
    () => child.kill('SIGKILL'),
  );
  let connection: Connection;
  try {
    connection = await waitUntilServing(address, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    const detail = stderr.join('').trim().split('\n').slice(-2).join(' | ');
    throw new UserError(`${(err as Error).message}${detail ? `: ${detail}` : ''}`);
  }
  killEarly();
  // A persisted database ignores new --search-attribute flags, so ensure them through the operator API too.
  await ensureSearchAttributes(connection, namespace);
  await connection.close();
  log(
    `temporal: dev server up at ${address} in ${((Date.now() - started) / 1000).toFixed(1)} s (${cli.source}: ${cli.path})`,
  );

  const stop = async () => {
    unregister();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (opts.pidFile) rmSync(opts.pidFile, { force: true });
  };
  const unregister = onShutdown(stop, () => child.kill('SIGKILL'));

  return {
    address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    cli,
    pid: child.pid,
    stop,
  };
}

/** Laptop fallback without Go: let @temporalio/testing download the CLI (needs internet access). */
async function startDownloadedServer(
  opts: DevServerOptions,
  namespace: string,
  log: (line: string) => void,
): Promise<DevServer> {
  log(
    'temporal: no Temporal CLI and no Go toolchain; trying the download by @temporalio/testing (needs internet access)…',
  );
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { defineSearchAttributeKey } = await import('@temporalio/common');
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort === false ? undefined : (opts.uiPort ?? (await freePort()));
  let env: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        namespace,
        ip: '127.0.0.1',
        port,
        ...(uiPort !== undefined ? { ui: true, uiPort } : {}),
        ...(opts.dbFilename ? { dbFilename: opts.dbFilename } : {}),
        ...(uiPort !== undefined && opts.codecEndpoint
          ? { extraArgs: ['--ui-codec-endpoint', opts.codecEndpoint] }
          : {}),
        searchAttributes: SEARCH_ATTRIBUTES.map((sa) => defineSearchAttributeKey(sa.name, sa.type)),
      },
    });
  } catch (err) {
    throw new UserError(
      `could not download the Temporal CLI (${(err as Error).message.split('\n')[0]}): install Go 1.25+ or set TEMPORAL_CLI_PATH.`,
    );
  }
  return {
    address: `127.0.0.1:${port}`,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    cli: { path: 'downloaded by @temporalio/testing', source: 'download' },
    stop: () => env.teardown(),
  };
}
