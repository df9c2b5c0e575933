// Child processes of the demo (worker, hook receiver): logs to files, stopped gracefully on exit or Ctrl-C.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { appendChildOutput } from '../../platform/child-log';
import { onShutdown } from '../../platform/shutdown';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** Runs `tsx <script>` as a child; its output goes to `<logDir>/<name>.log`. */
export function startTsProcess(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
): ManagedProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  // `node --import tsx`: the tsx CLI would SIGKILL the child ~30 ms after passing SIGTERM on, cutting the
  // worker's graceful shutdown short.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  appendChildOutput(child, logFile);
  const stop = async () => {
    unregister();
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const unregister = onShutdown(stop, () => child.kill('SIGKILL'));
  return { name, child, logFile, stop };
}

/** Waits until `probe` succeeds, or fails naming the process and its log. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  proc?: ManagedProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null)
      throw new Error(
        `${proc.name} exited (code ${proc.child.exitCode}); see ${path.relative(process.cwd(), proc.logFile)}`,
      );
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${proc ? `; see ${path.relative(process.cwd(), proc.logFile)}` : ''}`);
}
