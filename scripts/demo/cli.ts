// The season CLI as the demo's admin runs it: a child process, its output kept to print indented.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the season CLI as an admin would. Asynchronous: the emulators it calls live in this process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['client/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let out = '';
    let stdout = '';
    // A run that ends early (a crashed child in npm run stack) must not leave the command behind; SIGTERM, which
    // the tsx CLI passes on to the command's own process.
    const stop = () => child.kill('SIGTERM');
    process.once('exit', stop);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      process.off('exit', stop);
      resolve({ code: code ?? 1, out: out.trim(), stdout });
    });
  });
}

/**
 * Runs `season <args>` on the stack's config as the admin would, prints the command with its output (indented), and
 * fails the run when the command fails.
 */
export async function runSeasonStep(
  stack: { configDir: string; childEnv: NodeJS.ProcessEnv },
  args: string[],
  print: (text: string) => void,
): Promise<{ code: number; out: string; stdout: string }> {
  const run = await runCli([...args, '--config', stack.configDir], stack.childEnv);
  print(indent(`$ season ${args.join(' ')}\n${run.out}`));
  if (run.code !== 0) throw new Error(`season ${args.join(' ')} failed (exit ${run.code}): see above`);
  return run;
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
