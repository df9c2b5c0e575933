// The Temporal server 1.29.1 and its SQL tool, built from the official source with `go install` and cached outside
// the repo (like the CLI, platform/temporal-cli.ts), and the steps that run them with deploy/temporal/'s files —
// the same files docker-compose.yml mounts: setup-schema.sh, start-server.sh with server/seasonal.yaml and
// server/dynamicconfig.yaml, and create-search-attributes.sh.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { appendChildOutput } from './child-log';
import { UserError } from './errors';
import { cacheDir as cliCacheDir, goBinary, goVersion, isExecutable, MIN_GO } from './temporal-cli';

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';
const ROOT = path.resolve(__dirname, '..');

/** The files docker-compose.yml mounts, which the stack runs as they are (test/unit/stack-compose-parity.test.ts). */
export const DEPLOY_FILES = {
  serverConfigDir: 'deploy/temporal/server',
  serverConfigEnv: 'seasonal',
  serverConfig: 'deploy/temporal/server/seasonal.yaml',
  dynamicConfig: 'deploy/temporal/server/dynamicconfig.yaml',
  startServer: 'deploy/temporal/start-server.sh',
  setupSchema: 'deploy/temporal/setup-schema.sh',
  namespaceAndSearchAttributes: 'deploy/temporal/create-search-attributes.sh',
} as const;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** Holds postgresql/v12/{temporal,visibility}/versioned, copied from the module the binaries were built from. */
  schemaDir: string;
  built: boolean;
}

export function serverCacheDir(): string {
  return path.join(path.dirname(cliCacheDir()), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

function cached(dir: string): TemporalServerBinaries | undefined {
  const found = {
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    schemaDir: path.join(dir, 'schema'),
    built: false,
  };
  const schemaOk = (() => {
    try {
      return statSync(path.join(found.schemaDir, 'postgresql', 'v12', 'visibility', 'versioned')).isDirectory();
    } catch {
      return false;
    }
  })();
  return isExecutable(found.server) && isExecutable(found.sqlTool) && schemaOk ? found : undefined;
}

/** Module files are read-only in Go's cache: make our copy removable like any other cache. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else chmodSync(full, 0o644);
  }
}

/** Finds the cached server and SQL tool, or builds both from source (minutes, once). */
export async function ensureTemporalServer(log: (line: string) => void): Promise<TemporalServerBinaries> {
  const dir = serverCacheDir();
  const hit = cached(dir);
  if (hit) return hit;
  const version = goVersion();
  if (!version)
    throw new UserError(
      `the Temporal server ${TEMPORAL_SERVER_VERSION} is built from source and Go is not installed: install Go ${MIN_GO.join('.')}+ (https://go.dev/dl/).`,
    );
  if (version[0] < MIN_GO[0] || (version[0] === MIN_GO[0] && version[1] < MIN_GO[1]))
    throw new UserError(
      `Go ${version.join('.')} is too old to build the Temporal server ${TEMPORAL_SERVER_VERSION}: install Go ${MIN_GO.join('.')}+.`,
    );

  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(
    `temporal: building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool from source with Go into ${dir} (first run only; a few minutes)…`,
  );
  const args = [
    'install',
    '-trimpath',
    '-ldflags',
    '-s -w',
    `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
    `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
  ];
  const env = { ...process.env, GOBIN: staging, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
  const stderr: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(goBinary(), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk.toString());
      if (stderr.length > 40) stderr.shift();
    });
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c ?? -1));
  });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const tail = stderr.join('').trim().split('\n').slice(-3).join(' | ');
    throw new UserError(`building the Temporal server with Go failed (exit ${code}): ${tail}`);
  }
  // The schema files are not in the binaries: take them from the module the build just used.
  const modCache = execFileSync(goBinary(), ['env', 'GOMODCACHE'], { encoding: 'utf8', env }).trim();
  const moduleSchema = path.join(modCache, `${MODULE}@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  cpSync(moduleSchema, path.join(staging, 'schema', 'postgresql', 'v12'), { recursive: true });
  makeWritable(path.join(staging, 'schema'));
  renameSync(path.join(staging, 'server'), path.join(staging, 'temporal-server'));
  renameSync(path.join(staging, 'sql'), path.join(staging, 'temporal-sql-tool'));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  log(`temporal: server and SQL tool built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { ...cached(dir)!, built: true };
}

/** Runs one of deploy/temporal/'s shell scripts with `env`; its output goes to `logFile`. */
export async function runDeployScript(
  script: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  what: string,
): Promise<void> {
  const out = createWriteStream(logFile, { flags: 'a' });
  const code = await new Promise<number>((resolve) => {
    const child = spawn('sh', [path.join(ROOT, script)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c ?? -1));
  });
  await new Promise<void>((resolve) => out.end(resolve));
  if (code !== 0)
    throw new UserError(`${what} failed (${script}, exit ${code}); see ${path.relative(process.cwd(), logFile)}`);
}

/** The server process, started by deploy/temporal/start-server.sh (which execs it: same process id). */
export function spawnTemporalServer(env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const child = spawn('sh', [path.join(ROOT, DEPLOY_FILES.startServer)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  appendChildOutput(child, logFile);
  return child;
}

/** Waits until the frontend answers (and the process is still alive). */
export async function waitForFrontend(
  address: string,
  child: ChildProcess,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new UserError(
        `the Temporal server exited (${child.exitCode ?? child.signalCode}) while starting; see ${path.relative(process.cwd(), logFile)}`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new UserError(
    `the Temporal server did not answer on ${address} within ${timeoutMs / 1000} s (${String(lastError)}); see ${path.relative(process.cwd(), logFile)}`,
  );
}
