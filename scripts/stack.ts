// `npm run stack -- [--workers 2] [--agents 300] [--rpm 600] [--season-minutes N] [--temporal-port 7233] [--keep]`
// The production topology on this machine without Docker (scripts/stack/topology.ts): PostgreSQL, the Temporal
// server built from source and started from docker-compose.yml's own files, N worker processes, the hook receiver
// and the emulators. Plays the same season as `npm start` against it and checks the same report; the exit code is
// 0 only if every check holds. Stops everything it started at the end or on Ctrl-C, unless --keep.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { runMain } from '../platform/errors';
import { positiveInteger } from './options';
import { playSeason } from './demo/play';
import { buildReport, printReport } from './demo/report';
import { DEMO_CALLS_PER_AGENT } from './demo/season-config';
import { prepareStack, startStack } from './stack/topology';
import { describeWave, waveMeter } from './stack/wave';

const ROOT = path.resolve(__dirname, '..');

interface Options {
  workers: number;
  agents: number;
  rpm: number;
  seasonMinutes?: number;
  temporalPort: number;
  keep?: boolean;
  data: string;
}

async function main(): Promise<number> {
  const opts = new Command('npm run stack')
    .description('Play a holiday season on the production topology: PostgreSQL, the Temporal server, N workers')
    .option('--workers <n>', 'worker processes', positiveInteger, 2)
    .option('--agents <n>', 'seasonal agents HR hires', positiveInteger, 300)
    .option('--rpm <n>', "the Genesys org's request budget per minute", positiveInteger, 600)
    .option(
      '--season-minutes <n>',
      'season length (default: long enough to provision every agent first)',
      positiveInteger,
    )
    .option(
      '--temporal-port <port>',
      "the Temporal frontend's gRPC port (as in docker-compose.yml)",
      positiveInteger,
      7233,
    )
    .option('--keep', 'leave everything running after the report (Ctrl-C stops it)')
    .option('--data <dir>', 'where logs and reports go', path.join(ROOT, 'data'))
    .parse()
    .opts<Options>();
  const log = (line: string) => console.log(line);
  const prepared = await prepareStack({ temporalPort: opts.temporalPort, log });

  const startedAt = Date.now();
  // Long enough for the wave (DEMO_CALLS_PER_AGENT at 95% of the budget), the fix and the early leavers,
  // plus a minute for the stack to start.
  const provisionMinutes = (opts.agents * DEMO_CALLS_PER_AGENT) / (opts.rpm * 0.95);
  const seasonMinutes = opts.seasonMinutes ?? Math.ceil((provisionMinutes + 3.5) * 2) / 2;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const seasonId = `holiday-stack-${stamp.toLowerCase()}`;
  const runDir = path.join(opts.data, 'runs', seasonId);
  mkdirSync(runDir, { recursive: true });
  const endsAt = new Date(startedAt + seasonMinutes * 60_000).toISOString();
  console.log(
    `Seasonal agent provisioner — season ${seasonId} on the production topology: ${opts.workers} worker process(es), ${opts.agents} agents, ${opts.rpm} Genesys requests/min, season ${seasonMinutes} min`,
  );
  const stack = await startStack(
    {
      workers: opts.workers,
      rpm: opts.rpm,
      seasonId,
      startsAt: new Date(startedAt - 60_000).toISOString(),
      endsAt,
      runDir,
      temporalPort: opts.temporalPort,
      log,
    },
    prepared,
  );
  console.log(`\nTemporal frontend: ${stack.address} (namespace ${stack.namespace}); no Web UI in this stack: use`);
  console.log(
    `  TEMPORAL_ADDRESS=${stack.address} npm run season -- status ${seasonId} --config ${path.relative(process.cwd(), stack.configDir)}`,
  );
  console.log(`Metrics (Prometheus): server ${stack.serverMetricsUrl}; workers ${stack.workerMetricsUrls.join(', ')}`);

  // Whatever ends the run (the report, a crashed child, an error), everything this started stops.
  try {
    const wave = waveMeter(stack.genesys, opts.rpm);
    const facts = await Promise.race([
      playSeason(stack, {
        seasonId,
        agents: opts.agents,
        seasonEndsAt: endsAt,
        extendBySeconds: 40,
        hooks: wave.hooks,
      }),
      stack.failure,
    ]);
    const report = await Promise.race([buildReport(stack, stack.client, seasonId, facts, startedAt), stack.failure]);
    printReport(report);
    const figures = wave.figures();
    if (figures) console.log(describeWave(figures, opts.workers));
    console.log(`Genesys 429 answers over the whole season: ${await wave.total429()}`);
    const reportFile = path.join(runDir, 'report.json');
    writeFileSync(reportFile, JSON.stringify({ ...report, workers: opts.workers, wave: figures }, null, 2));
    console.log(
      `Report written to ${path.relative(process.cwd(), reportFile)}; logs in ${path.relative(process.cwd(), stack.logDir)}`,
    );
    if (opts.keep) {
      console.log('\n--keep: everything stays up. Ctrl-C stops every process this started.');
      await stack.failure;
    }
    return report.ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

// After a failure the season's own loops may still wait on timers: leave once everything is stopped.
runMain(() => main().finally(() => setTimeout(() => process.exit(), 200).unref()));
