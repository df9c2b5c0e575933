// Recorded histories of real runs, replayed by test/unit/workflow-replay.test.ts so that a non-deterministic
// change to workflow code fails `npm test`. Record anew with
// `RECORD_HISTORIES=1 npx jest test/integration/lifecycle test/integration/routing-lifecycle`: into
// test/histories/plan<N>/, N being the Genesys call plan new runs follow (GENESYS_CALL_PLAN), so each plan's runs
// keep replaying after the next plan lands. test/histories/*.json are runs of the first plan (no genesysCalls);
// the v1 histories in test/histories/v1/ can no longer be recorded, only replayed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporalAddress } from './temporal';
import { GENESYS_CALL_PLAN } from '../../workflows/agent/contract';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
/** Histories of the per-season agentLifecycle (v1), recorded before the seasonalAgent workflow replaced it. */
export const V1_HISTORIES_DIR = path.join(HISTORIES_DIR, 'v1');
/** Histories of seasonalAgent runs of call plan 2 and later, one folder per plan (test/histories/plan2/, …). */
export const planHistoryDirs = (): string[] =>
  readdirSync(HISTORIES_DIR)
    .filter((name) => /^plan\d+$/.test(name))
    .map((name) => path.join(HISTORIES_DIR, name));

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
  const dir = path.join(HISTORIES_DIR, `plan${GENESYS_CALL_PLAN}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), json);
}
