// Recorded histories of real runs, replayed by test/unit/workflow-replay.test.ts so that a non-deterministic
// change to workflow code fails `npm test`. Record anew with `RECORD_HISTORIES=1 npx jest test/integration/lifecycle`
// (into test/histories/; the v1 histories in test/histories/v1/ can no longer be recorded, only replayed).
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporalAddress } from './temporal';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
/** Histories of the per-season agentLifecycle (v1), recorded before the seasonalAgent workflow replaced it. */
export const V1_HISTORIES_DIR = path.join(HISTORIES_DIR, 'v1');

export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli) throw new Error('TEMPORAL_CLI_PATH is not set (the jest global setup sets it)');
  const namespace = handle.client.options.namespace;
  // The CLI writes the canonical proto3 JSON that historyFromJSON reads back (and that the Web UI downloads).
  const json = execFileSync(
    cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      handle.workflowId,
      '--namespace',
      namespace,
      '--address',
      temporalAddress(),
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
