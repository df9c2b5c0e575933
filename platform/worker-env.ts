// The worker's shipped environment (deploy/worker.env): one file that docker-compose.yml passes as `env_file` and
// every script that starts a worker process adds to its environment, so what is measured is what ships.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export const WORKER_ENV_FILE = 'deploy/worker.env';

export function shippedWorkerEnv(): Record<string, string> {
  const text = readFileSync(path.resolve(__dirname, '..', WORKER_ENV_FILE), 'utf8');
  return Object.fromEntries(Object.entries(parseEnv(text)).filter((e): e is [string, string] => e[1] !== undefined));
}
