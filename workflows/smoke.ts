// A one-activity workflow that proves the platform end to end (server, worker, bundle) in seconds.
import { proxyActivities } from '@temporalio/workflow';
import type { SmokeActivities } from '../activities/smoke';

const { describeWorker } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

export async function smokeWorkflow(name: string): Promise<string> {
  const where = await describeWorker();
  return `hello ${name} from ${where}`;
}
