// A product entry point (worker/main.ts, receiver/main.ts, client/cli.ts) as a real child process whose whole
// stdout and stderr go to a log file, as an operator's log collector would keep them: the secrets/PII scan reads
// those files, so nothing the process prints may be lost or filtered on the way.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface LoggedProcess {
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnLogged(script: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): LoggedProcess {
  // The file descriptor is handed to the child: its writes land in the file even after it outlives a pipe reader.
  const fd = openSync(logFile, 'a');
  // `node --import tsx`, not the tsx CLI: SIGTERM must reach the program itself for its graceful shutdown.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    logFile,
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

/** Runs one command to its end (the season CLI); its output goes to `logFile`. */
export async function runLogged(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  timeoutMs = 60_000,
): Promise<number | null> {
  const proc = spawnLogged(script, args, env, logFile);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}
