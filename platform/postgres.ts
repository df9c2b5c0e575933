// A private PostgreSQL cluster for `npm run stack`: made with initdb and run with pg_ctl in a temporary folder on
// a port of its own, as the `postgres` user when we run as root (PostgreSQL refuses to run as root). Never the
// machine's own PostgreSQL service: nothing outside the temporary folder is touched, and it is removed at stop.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from './errors';
import { onShutdown } from './shutdown';
import { isExecutable, onPath } from './temporal-cli';

const HOW_TO_GET =
  'install PostgreSQL 15+ (Debian: `apt-get install postgresql`) or set PG_BINDIR to the folder holding initdb and pg_ctl';

/** The folder with initdb and pg_ctl: $PG_BINDIR, else `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
export function findPostgresBinDir(): string | undefined {
  const given = process.env.PG_BINDIR;
  if (given !== undefined && given !== '') {
    if (!isExecutable(path.join(given, 'initdb')))
      throw new UserError(`PG_BINDIR=${given} holds no initdb: ${HOW_TO_GET}.`);
    return given;
  }
  const candidates: string[] = [];
  const pgConfig = onPath('pg_config');
  if (pgConfig) {
    try {
      candidates.push(execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8' }).trim());
    } catch {
      // a broken pg_config: try the usual folders
    }
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(debian, v, 'bin')));
  }
  return candidates.find((dir) => isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'pg_ctl')));
}

/** Finds PostgreSQL, installing Debian's package when we may (root with apt-get); a UserError otherwise. */
export function ensurePostgres(log: (line: string) => void): string {
  const found = findPostgresBinDir();
  if (found) return found;
  const apt = onPath('apt-get');
  if (process.getuid?.() === 0 && apt && process.env.PG_NO_INSTALL === undefined) {
    log('postgres: initdb not found; installing PostgreSQL with apt-get (once)…');
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
      const res = spawnSync(apt, ['-q', ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (res.status !== 0) {
        const tail = String(res.stderr ?? '')
          .trim()
          .split('\n')
          .slice(-2)
          .join(' | ');
        throw new UserError(`apt-get ${args[0]} failed (${tail}): ${HOW_TO_GET}.`);
      }
    }
    const installed = findPostgresBinDir();
    if (installed) return installed;
  }
  throw new UserError(
    `PostgreSQL's initdb was not found (no pg_config on PATH, none under /usr/lib/postgresql): ${HOW_TO_GET}.`,
  );
}

/** The `postgres` account's ids when we are root (PostgreSQL will not run as root); undefined otherwise. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  try {
    const account = { uid: id('-u'), gid: id('-g') };
    if (Number.isInteger(account.uid) && Number.isInteger(account.gid)) return account;
  } catch {
    // no such user: said below
  }
  throw new UserError(
    "running as root, but there is no `postgres` user to run PostgreSQL as: install Debian's postgresql package (it creates one) or run as another user.",
  );
}

export interface PostgresCluster {
  host: string;
  port: number;
  user: string;
  /** The server's log, kept at `keepLogAs` after stop. */
  logFile: string;
  /** The postmaster's process id (it is pg_ctl's daemon, not our child). */
  pid(): number | undefined;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgresCluster(o: {
  binDir: string;
  port: number;
  user: string;
  password: string;
  /** Where the server's log is copied when the cluster is removed. */
  keepLogAs: string;
  log: (line: string) => void;
}): Promise<PostgresCluster> {
  const account = postgresAccount();
  const dir = mkdtempSync(path.join(tmpdir(), 'seasonal-stack-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const run = (tool: string, args: string[]) => {
    const res = spawnSync(path.join(o.binDir, tool), args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      ...(account ?? {}),
    });
    if (res.status !== 0) {
      const tail = `${res.stderr ?? ''}`.trim().split('\n').slice(-2).join(' | ');
      throw new UserError(`PostgreSQL's ${tool} failed (exit ${res.status}): ${tail}; its log: ${logFile}`);
    }
  };
  if (account) chownSync(dir, account.uid, account.gid);
  chmodSync(dir, 0o700);
  // The password exists only in this process and the children's environment; the file initdb reads is removed.
  const pwFile = path.join(dir, 'pw');
  writeFileSync(pwFile, `${o.password}\n`, { mode: 0o600 });
  if (account) chownSync(pwFile, account.uid, account.gid);
  try {
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      o.user,
      `--pwfile=${pwFile}`,
      '--auth=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
  } finally {
    rmSync(pwFile, { force: true });
  }
  // Loopback only, a socket folder of our own, room for the server's pools (default store 20, visibility 10).
  const serverOptions = `-p ${o.port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const started = Date.now();
  run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  o.log(`postgres: private cluster on 127.0.0.1:${o.port} in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const pid = (): number | undefined => {
    try {
      const n = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(n) && n > 0 ? n : undefined;
    } catch {
      return undefined;
    }
  };
  let removed = false;
  const remove = (mode: 'fast' | 'immediate') => {
    if (removed) return;
    removed = true;
    spawnSync(path.join(o.binDir, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop'], {
      cwd: dir,
      stdio: 'ignore',
      ...(account ?? {}),
    });
    try {
      copyFileSync(logFile, o.keepLogAs);
    } catch {
      // no log yet, or its folder is gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const stop = async () => {
    unregister();
    remove('fast');
  };
  // On Ctrl-C a fast stop; if this process dies without cleanup, an immediate one from the exit handler.
  const unregister = onShutdown(stop, () => remove('immediate'));
  return {
    host: '127.0.0.1',
    port: o.port,
    user: o.user,
    logFile: o.keepLogAs,
    pid,
    async restart() {
      run('pg_ctl', ['-D', dataDir, '-l', logFile, '-m', 'fast', '-w', '-t', '60', 'restart']);
    },
    stop,
  };
}
