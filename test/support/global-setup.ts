// Starts one real Temporal dev server for the whole run and bundles the workflows once.
// Integration tests read TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / WORKFLOW_BUNDLE_PATH from the environment, and
// TEMPORAL_UI_URL: the server runs its Web UI (on a free port), which test/integration/web-ui.test.ts drives.
import path from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer } from '../../platform/dev-server';

const ROOT = path.resolve(__dirname, '../..');
// `npm test` gives each run its own folder, so two runs in one checkout never share a pid file or a bundle.
const RUN_DIR = process.env.TEST_RUN_DIR ?? path.join(ROOT, '.tmp', `jest-${process.pid}`);

export default async function globalSetup(): Promise<void> {
  const server = await startDevServer({
    pidFile: path.join(RUN_DIR, 'temporal.pid'),
    log: (line) => process.stderr.write(`\n${line}\n`),
  });
  (globalThis as { __TEMPORAL_DEV_SERVER__?: typeof server }).__TEMPORAL_DEV_SERVER__ = server;
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  if (server.uiUrl) process.env.TEMPORAL_UI_URL = server.uiUrl;
  if (server.cli.source !== 'download') process.env.TEMPORAL_CLI_PATH = server.cli.path;

  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  const bundlePath = path.join(RUN_DIR, 'workflow-bundle.js');
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  writeFileSync(bundlePath, bundle.code);
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
}
