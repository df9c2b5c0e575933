// Test-only workflow for test/unit/time-skipping-env.test.ts: a 30-day durable timer, nothing else.
// Workflow code: deterministic (Date.now() is the workflow clock, which the test server skips forward).
import { sleep } from '@temporalio/workflow';

export interface SleptResult {
  /** Workflow time that passed across the timer, in ms. */
  sleptMs: number;
}

export async function sleepThirtyDays(): Promise<SleptResult> {
  const before = Date.now();
  await sleep('30 days');
  return { sleptMs: Date.now() - before };
}
