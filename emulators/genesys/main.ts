// CLI: npm run emulator:genesys -- --port 4010 [--state .tmp/genesys.json] [--orgs fixture.json] ...
// Runs until SIGINT/SIGTERM, then saves the state file (when given) and exits.
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_NEW_USER_NOT_FOUND_MS, DEFAULT_SEARCH_LAG_MS, startGenesysEmulator } from './index';

function integer(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('genesys-emulator')
    .description('Local Genesys Cloud emulator (OAuth, SCIM users, Authorization API) bound to 127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', integer('port'), 4010)
    .option('--state <file>', 'load state from this file if it exists, and save to it')
    .option('--orgs <fixture>', 'orgs fixture JSON (default: emulators/genesys/fixtures/orgs.json)')
    .option('--rate-limit <perMinute>', 'requests per OAuth client per window', integer('rate-limit'), 300)
    .option('--rate-window-ms <ms>', 'rolling rate-limit window', integer('rate-window-ms'), 60_000)
    .option('--token-ttl <seconds>', 'access token lifetime', integer('token-ttl'), 86_400)
    .option(
      '--new-user-404-ms <ms>',
      'authorization calls 404 for this long after a user is created',
      integer('new-user-404-ms'),
      DEFAULT_NEW_USER_NOT_FOUND_MS,
    )
    .option(
      '--search-lag-ms <ms>',
      'searches (SCIM filter/list, users search) see users as they were this long ago',
      integer('search-lag-ms'),
      DEFAULT_SEARCH_LAG_MS,
    )
    .option('--rehire <mode>', "a SCIM create with a deleted user's userName: revive, conflict or new-id", 'revive')
    .option('--deactivation-removes-grants <on|off>', 'active=false strips every grant', 'on')
    .option(
      '--version-mismatch-status <status>',
      '400 or 409 for a stale If-Match',
      integer('version-mismatch-status'),
      409,
    )
    .option('--latency-ms <ms>', 'added latency per API request', integer('latency-ms'), 0)
    .option('--error-rate <fraction>', 'fraction of API requests answered with a 5xx', fraction, 0)
    .option(
      '--drop-rate <fraction>',
      'fraction of successful writes whose connection is reset after the commit',
      fraction,
      0,
    )
    .option('--seed <n>', 'fault generator seed', integer('seed'), 1)
    .option('--log', 'log every request', false)
    .parse();

  const o = program.opts<{
    port: number;
    state?: string;
    orgs?: string;
    rateLimit: number;
    rateWindowMs: number;
    tokenTtl: number;
    newUser404Ms: number;
    searchLagMs: number;
    rehire: string;
    deactivationRemovesGrants: string;
    versionMismatchStatus: number;
    latencyMs: number;
    errorRate: number;
    dropRate: number;
    seed: number;
    log: boolean;
  }>();
  if (o.versionMismatchStatus !== 400 && o.versionMismatchStatus !== 409)
    program.error('--version-mismatch-status must be 400 or 409');
  if (o.rehire !== 'revive' && o.rehire !== 'conflict' && o.rehire !== 'new-id')
    program.error('--rehire must be revive, conflict or new-id');
  if (o.deactivationRemovesGrants !== 'on' && o.deactivationRemovesGrants !== 'off')
    program.error('--deactivation-removes-grants must be on or off');

  const emulator = await startGenesysEmulator({
    port: o.port,
    stateFile: o.state,
    orgs: o.orgs,
    rateLimitPerMinute: o.rateLimit,
    rateLimitWindowMs: o.rateWindowMs,
    tokenTtlSeconds: o.tokenTtl,
    newUserNotFoundMs: o.newUser404Ms,
    searchLagMs: o.searchLagMs,
    rehire: o.rehire as 'revive' | 'conflict' | 'new-id',
    deactivationRemovesGrants: o.deactivationRemovesGrants === 'on',
    versionMismatchStatus: o.versionMismatchStatus === 400 ? 400 : 409,
    faults: { latencyMs: o.latencyMs, errorRate: o.errorRate, dropRate: o.dropRate },
    seed: o.seed,
    logger: o.log,
  });
  process.stdout.write(
    `Genesys emulator listening on ${emulator.url} (orgs: ${emulator
      .orgs()
      .map((x) => x.id)
      .join(', ')})\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Genesys emulator${o.state ? ` and saving ${o.state}` : ''}\n`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
