// `npm test`: the Temporal CLI and the time-skipping test server (installed if missing), the type check, lint, then
// jest with a real dev server.
// Ends with one line CI reads: `tests: N passed, N failed` (the type check and lint count as one test each).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensureTemporalCli, temporalCliVersion } from '../platform/temporal-cli';
import { ensureTimeSkippingServer, javaVersion, TEST_SERVER_VERSION } from '../platform/time-skipping-server';
import { runMain } from '../platform/errors';
import { ensureChromium } from './ensure-chromium';

const ROOT = path.resolve(__dirname, '..');
// One folder per run: concurrent runs in one checkout never read each other's results or kill each other's server.
const TMP = path.join(ROOT, '.tmp', `test-run-${process.pid}`);
const PID_FILE = path.join(TMP, 'temporal.pid');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}

/** If jest died hard (SIGKILL, OOM), its global teardown never ran: stop the server it left. */
function killLeftoverServer(): void {
  if (!existsSync(PID_FILE)) return;
  const pid = Number(readFileSync(PID_FILE, 'utf8'));
  rmSync(PID_FILE, { force: true });
  try {
    process.kill(pid, 'SIGKILL');
    console.log(`tests: stopped a leftover Temporal dev server (pid ${pid})`);
  } catch {
    // Already gone: the normal case.
  }
}

const JestResults = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  numRuntimeErrorTestSuites: z.number(),
  numTotalTests: z.number(),
});

async function main(): Promise<number> {
  const started = Date.now();
  const cli = await ensureTemporalCli((line) => console.log(line));
  console.log(`temporal: ${temporalCliVersion(cli.path)} (${cli.source}: ${cli.path})`);
  // For unit tests in skipped time (test/support/time-skipping.ts): prepared once here, not by each jest worker.
  const testServer = await ensureTimeSkippingServer((line) => console.log(line));
  const which = testServer.source === 'env' ? 'given' : `${TEST_SERVER_VERSION} on Java ${javaVersion() ?? '?'}`;
  console.log(`temporal: time-skipping test server ${which} (${testServer.source}: ${testServer.path})`);
  ensureChromium(); // for test/integration/web-ui.test.ts: installs Debian's chromium as root, else says how
  const env = {
    ...process.env,
    TEMPORAL_CLI_PATH: cli.path,
    TEMPORAL_TEST_SERVER_PATH: testServer.path,
    TEST_RUN_DIR: TMP,
  };
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  const only = process.argv.slice(2); // `npm test -- test/unit` narrows jest; type check and lint still run

  let passed = 0;
  let failed = 0;
  console.log('\n── type check (tsc --noEmit)');
  if ((await run(bin('tsc'), ['--noEmit'], env)) === 0) passed++;
  else failed++;
  console.log('── lint (eslint)');
  if ((await run(bin('eslint'), ['.', '--max-warnings=0'], env)) === 0) passed++;
  else failed++;
  console.log('── format (prettier --check; `npm run format` fixes)');
  if ((await run(bin('prettier'), ['--check', '--log-level=warn', '.'], env)) === 0) passed++;
  else failed++;

  console.log('── jest');
  mkdirSync(TMP, { recursive: true });
  const resultsFile = path.join(TMP, 'jest-results.json');
  rmSync(resultsFile, { force: true });
  const jestCode = await run(bin('jest'), ['--json', `--outputFile=${resultsFile}`, ...only], env);
  killLeftoverServer();
  process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));
  if (existsSync(resultsFile)) {
    const results = JestResults.parse(JSON.parse(readFileSync(resultsFile, 'utf8')));
    passed += results.numPassedTests;
    failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    if (skipped > 0) {
      console.log(`tests: ${skipped} skipped test(s): skipping is not allowed here`);
      failed += skipped;
    }
    if (jestCode !== 0 && results.numFailedTests + results.numRuntimeErrorTestSuites === 0) failed++;
  } else {
    console.log(`tests: jest exited with code ${jestCode} before writing results`);
    failed++;
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

runMain(main);
