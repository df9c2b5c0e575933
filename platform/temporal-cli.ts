// Finds (or builds) the Temporal CLI binary that runs the dev server.
// Order: $TEMPORAL_CLI_PATH → `temporal` on PATH → our cache outside the repo → `go install` of the official
// source into that cache. Without Go, callers may fall back to @temporalio/testing's own download.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UserError } from './errors';

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const MIN_GO = [1, 25] as const;

export type CliSource = 'env' | 'path' | 'cache' | 'built';
export interface TemporalCli {
  path: string;
  source: CliSource;
}

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'seasonal-agent-provisioner', `temporal-${TEMPORAL_CLI_VERSION}`);
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Where a binary is already present, without building anything. */
export function findTemporalCli(): TemporalCli | undefined {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutable(fromEnv)) {
      throw new UserError(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file; fix or unset it.`);
    }
    return { path: fromEnv, source: 'env' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'path' };
  const cached = path.join(cacheDir(), 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

export function goVersion(): [number, number] | undefined {
  const go = onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) return undefined;
  try {
    const out = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).trim(); // e.g. go1.26.8
    const m = /^go(\d+)\.(\d+)/.exec(out);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  } catch {
    return undefined;
  }
}

export function goBinary(): string {
  return onPath('go') ?? '/usr/local/go/bin/go';
}

/** Builds the official CLI from source into the cache. Takes minutes on a small machine, once. */
export async function buildTemporalCli(log: (line: string) => void = console.log): Promise<TemporalCli> {
  const version = goVersion();
  if (!version) {
    throw new UserError(
      `the Temporal CLI was not found and Go is not installed: install Go ${MIN_GO.join('.')}+ (or set TEMPORAL_CLI_PATH to a temporal ${TEMPORAL_CLI_VERSION} binary).`,
    );
  }
  if (version[0] < MIN_GO[0] || (version[0] === MIN_GO[0] && version[1] < MIN_GO[1])) {
    throw new UserError(
      `Go ${version.join('.')} is too old to build the Temporal CLI: install Go ${MIN_GO.join('.')}+.`,
    );
  }
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  log(
    `temporal: building the Temporal CLI ${TEMPORAL_CLI_VERSION} from source with Go into ${dir} (first run only; a few minutes)…`,
  );
  const args = [
    'install',
    '-trimpath',
    '-ldflags',
    `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
    `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
  ];
  const stderr: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(goBinary(), args, {
      env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c ?? -1));
  });
  const binary = path.join(dir, 'temporal');
  if (code !== 0 || !isExecutable(binary)) {
    const tail = stderr.join('').trim().split('\n').slice(-3).join(' | ');
    throw new UserError(`building the Temporal CLI with Go failed (exit ${code}): ${tail}`);
  }
  log(`temporal: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { path: binary, source: 'built' };
}

/** Finds the CLI or builds it. Throws a UserError naming what to install when neither works. */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<TemporalCli> {
  const found = findTemporalCli();
  if (found) return found;
  return buildTemporalCli(log);
}

export function temporalCliVersion(cliPath: string): string {
  return execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim();
}
