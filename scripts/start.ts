// `npm start -- [--agents 300] [--rpm 600] [--season-minutes N] [--keep]`
// Plays a whole holiday season for a retail org on the embedded default: a real Temporal dev server (Web UI on,
// persisted under data/), the Genesys and Okta emulators, the worker and the Okta hook receiver. Ends with a report
// checked against the emulators' own state; the exit code is 0 only if every check holds. Ctrl-C stops everything.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { runMain } from '../platform/errors';
import { startDemoStack, type DemoStack } from './demo/stack';
import { runSeasonStep } from './demo/cli';
import { playSeason } from './demo/play';
import { buildReport, printReport } from './demo/report';
import { DEMO_CALLS_PER_AGENT } from './demo/season-config';

const ROOT = path.resolve(__dirname, '..');

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

interface Options {
  agents: number;
  rpm: number;
  seasonMinutes?: number;
  keep?: boolean;
  data: string;
}

/** The admin's own view of the season: `season report` (logins, licenses, billing) and its HTML page. */
async function seasonReports(stack: DemoStack, seasonId: string, runDir: string): Promise<void> {
  const html = path.join(runDir, 'season-report.html');
  const print = (text: string) => console.log(`\n${text}`);
  await runSeasonStep(stack, ['report', seasonId], print);
  await runSeasonStep(stack, ['report', seasonId, '--format', 'html', '--out', html], print);
}

async function main(): Promise<number> {
  const opts = new Command('npm start')
    .description('Play a holiday season of seasonal agents from Okta into Genesys Cloud, orchestrated by Temporal')
    .option('--agents <n>', 'seasonal agents HR hires', positive, 300)
    .option('--rpm <n>', "the Genesys org's request budget per minute", positive, 600)
    .option('--season-minutes <n>', 'season length (default: long enough to provision every agent first)', positive)
    .option('--keep', 'leave everything running after the report (Ctrl-C stops it)')
    .option('--data <dir>', 'where the Temporal database, logs and reports go', path.join(ROOT, 'data'))
    .parse()
    .opts<Options>();
  const agents = Math.floor(opts.agents);
  const startedAt = Date.now();

  // Long enough for the wave (the Genesys calls per agent at 95% of the budget), the fix and the early leavers.
  const provisionMinutes = (agents * DEMO_CALLS_PER_AGENT) / (opts.rpm * 0.95);
  // Three minutes more: the supervisors' fix and retry, the early leavers, and a loaded machine's slower wave.
  const seasonMinutes = opts.seasonMinutes ?? Math.ceil((provisionMinutes + 3) * 2) / 2;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const seasonId = `holiday-demo-${stamp.toLowerCase()}`;
  const runDir = path.join(opts.data, 'runs', seasonId);
  mkdirSync(runDir, { recursive: true });
  const startsAt = new Date(startedAt - 60_000).toISOString();
  const endsAt = new Date(startedAt + seasonMinutes * 60_000).toISOString();

  console.log(
    `Seasonal agent provisioner — demo season ${seasonId}: ${agents} agents, ${opts.rpm} Genesys requests/min, season ${seasonMinutes} min`,
  );
  const stack = await startDemoStack({
    dataDir: opts.data,
    runDir,
    seasonId,
    rpm: opts.rpm,
    startsAt,
    endsAt,
    log: (l) => console.log(l),
  });
  const ui = `${stack.server.uiUrl}/namespaces/${stack.server.namespace}/workflows?query=${encodeURIComponent(`SeasonIds = "${seasonId}"`)}`;
  console.log(`\nWatch it live in the Temporal Web UI:\n  ${ui}\nWorker metrics (Prometheus): ${stack.metricsUrl}`);
  console.log(`Payloads are encrypted with a key made for this run; the Web UI decodes them through ${stack.codecUrl}`);

  const facts = await playSeason(stack, { seasonId, agents, seasonEndsAt: endsAt, extendBySeconds: 40 });
  const report = await buildReport(stack, stack.client, seasonId, facts, startedAt);
  await seasonReports(stack, seasonId, runDir);
  printReport(report);
  const reportFile = path.join(runDir, 'report.json');
  writeFileSync(reportFile, JSON.stringify(report, null, 2));
  console.log(`Report written to ${path.relative(process.cwd(), reportFile)}\nWeb UI: ${ui}`);

  if (opts.keep) {
    console.log('\n--keep: everything stays up. Ctrl-C stops every process this started.');
    await new Promise<never>(() => {});
  }
  await stack.stop();
  return report.ok ? 0 : 1;
}

runMain(main);
