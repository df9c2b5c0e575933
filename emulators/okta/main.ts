// `npm run emulator:okta -- --fixture retail --port 8081 --hook-url http://127.0.0.1:8088/okta/events`
// Runs the emulator until SIGINT/SIGTERM. The hook's secret comes from an environment variable (never a flag,
// so it stays out of `ps` and shell history), named by --hook-secret-env.
import { Command, InvalidArgumentError } from 'commander';
import { runMain, UserError } from '../../platform/errors';
import { startOktaEmulator } from './server';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

async function main(): Promise<void> {
  const program = new Command('emulator:okta')
    .description('Okta emulator: Users/Groups API, System Log, Event Hooks API, and real event-hook deliveries')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', integer, 8081)
    .option('--fixture <name|file>', 'fixture name in emulators/okta/fixtures or a JSON file', 'retail')
    .option('--state <file>', 'load state from this JSON file when it exists, save to it after every change')
    .option(
      '--rate-limit <n>',
      "API requests per minute in every bucket before 429 (default: each bucket's own)",
      integer,
    )
    .option('--concurrency <n>', 'API requests in flight at once before 429', integer, 75)
    .option('--latency <ms>', 'added to every API answer', integer, 0)
    .option('--hook-url <url>', 'the pre-registered event hook: its receiver URL')
    .option('--hook-auth-header <name>', 'auth header name Okta sends', 'Authorization')
    .option('--hook-secret-env <VAR>', 'environment variable holding the auth header value', 'OKTA_HOOK_SECRET')
    .option('--batch-size <n>', 'events per delivery', integer, 20)
    .option(
      '--auto-deliver <ms>',
      'deliver the outbox every <ms> milliseconds (0 = only via POST /__emulator/deliveries)',
      integer,
      0,
    )
    .parse();
  const o = program.opts<{
    port: number;
    fixture: string;
    state?: string;
    rateLimit?: number;
    concurrency: number;
    latency: number;
    hookUrl?: string;
    hookAuthHeader: string;
    hookSecretEnv: string;
    batchSize: number;
    autoDeliver: number;
  }>();

  let hook;
  if (o.hookUrl) {
    const secret = process.env[o.hookSecretEnv];
    if (!secret) throw new UserError(`--hook-url needs the hook secret in the environment variable ${o.hookSecretEnv}`);
    hook = { url: o.hookUrl, authHeaderName: o.hookAuthHeader, authHeaderValue: secret };
  }
  const emulator = await startOktaEmulator({
    port: o.port,
    fixture: o.fixture,
    statePath: o.state,
    ...(o.rateLimit !== undefined ? { rateLimitPerMinute: o.rateLimit } : {}),
    concurrencyLimit: o.concurrency,
    latencyMs: o.latency,
    hook,
    batchSize: o.batchSize,
    autoDeliverMs: o.autoDeliver,
  });
  console.log(
    `okta emulator listening on ${emulator.url} (token: ${emulator.apiToken}; controls: ${emulator.url}/__emulator/state)`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
}

runMain(main);
