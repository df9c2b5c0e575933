// Test-only workflow for test/integration/platform.test.ts: one activity, proving the platform end to end
// (dev server, worker, workflow bundle) in seconds. Not part of the product's workflows.
import { proxyActivities } from '@temporalio/workflow';
import type { SmokeActivities } from '../smoke-activities';

const { describeWorker } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

export async function smokeWorkflow(name: string): Promise<string> {
  const where = await describeWorker();
  return `hello ${name} from ${where}`;
}
