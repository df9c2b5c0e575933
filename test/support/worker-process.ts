// The real worker (`worker/main.ts`) as a child process against a Genesys emulator: for faults that must hit a
// whole process (server restarts, kills) and for measuring the worker's memory on its own (the sleepers bench).
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RETAIL_ORG } from './agents';

const ROOT = path.resolve(__dirname, '../..');
/** The emulator's fixture secret for the retail org's OAuth client (a fake that grants nothing elsewhere). */
const RETAIL_SECRET_ENV = 'GENESYS_RETAIL_US_CLIENT_SECRET';
const RETAIL_SECRET = 'emulator-retail-us-secret';

/** A config dir the worker accepts: orgs.yaml with the retail org on the emulator, and seasons/ (may stay empty). */
export function writeWorkerConfig(
  dir: string,
  opts: { emulatorUrl: string; requestsPerMinute: number; seasons?: Record<string, string> },
): void {
  mkdirSync(path.join(dir, 'seasons'), { recursive: true });
  writeFileSync(
    path.join(dir, 'orgs.yaml'),
    [
      'orgs:',
      `  - id: ${RETAIL_ORG}`,
      '    genesys:',
      `      apiBaseUrl: ${opts.emulatorUrl}`,
      '      clientId: retail-us-provisioner',
      `      clientSecretEnv: ${RETAIL_SECRET_ENV}`,
      `      requestsPerMinute: ${opts.requestsPerMinute}`,
      '',
    ].join('\n'),
  );
  for (const [id, yaml] of Object.entries(opts.seasons ?? {}))
    writeFileSync(path.join(dir, 'seasons', `${id}.yaml`), yaml);
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** The worker's stdout (JSON log lines and its own messages), kept for diagnosis. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (graceful: in-flight activities finish), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnWorker(opts: {
  configDir: string;
  address: string;
  namespace: string;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Flags for node itself, e.g. `--max-old-space-size=256`. */
  nodeArgs?: string[];
  /** Echo the worker's stderr (errors) into ours. */
  inheritStderr?: boolean;
  /** Prebuilt workflow bundle; default the one the jest global setup built. Without one the worker bundles at start. */
  bundle?: string;
  /** More flags for worker/main.ts, e.g. `--max-cached-workflows 20`. */
  workerArgs?: string[];
  /** More environment for the worker, e.g. MALLOC_ARENA_MAX. */
  env?: Record<string, string>;
}): WorkerProcess {
  const bundle = opts.bundle ?? process.env.WORKFLOW_BUNDLE_PATH;
  // `node --import tsx`, not the tsx CLI: signals and /proc/<pid> must reach the worker itself, not a wrapper.
  const child = spawn(
    process.execPath,
    [
      ...(opts.nodeArgs ?? []),
      '--import',
      'tsx',
      'worker/main.ts',
      '--config',
      opts.configDir,
      '--log-level',
      opts.logLevel ?? 'ERROR',
      ...(bundle ? ['--bundle', bundle] : []),
      ...(opts.workerArgs ?? []),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...opts.env,
        TEMPORAL_ADDRESS: opts.address,
        TEMPORAL_NAMESPACE: opts.namespace,
        [RETAIL_SECRET_ENV]: RETAIL_SECRET,
      },
      stdio: ['ignore', 'pipe', opts.inheritStderr === false ? 'ignore' : 'inherit'],
    },
  );
  if (child.pid === undefined) throw new Error('the worker process did not start');
  const output: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    // A chunk may end mid-line: keep the tail until its newline arrives.
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    output.push(...lines.filter((l) => l.length > 0));
    // Bounded: a long bench must not grow the parent's memory with the child's logs.
    if (output.length > 2_000) output.splice(0, output.length - 2_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    pid: child.pid,
    output,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
