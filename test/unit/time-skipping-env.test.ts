// The time-skipping test server works here without internet: a 30-day timer completes in seconds of wall time.
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../support/time-skipping';
import type { sleepThirtyDays } from '../support/workflows/sleep-thirty-days';

const DAY = 86_400_000;
let env: TestWorkflowEnvironment | undefined;

// Preparing the server on a fresh machine (Maven downloads ~40 MB of jars) may take longer than a unit test.
beforeAll(async () => {
  env = await createTimeSkippingEnv();
}, 180_000);

afterAll(async () => {
  await env?.teardown();
});

it('skips a 30-day workflow timer in a few seconds of wall time', async () => {
  const testEnv = env!;
  const taskQueue = `time-skipping-${process.pid}`;
  const worker = await Worker.create({
    connection: testEnv.nativeConnection,
    namespace: testEnv.namespace ?? 'default',
    taskQueue,
    workflowsPath: require.resolve('../support/workflows/sleep-thirty-days'),
  });
  const serverBefore = await testEnv.currentTimeMs();
  const wallStarted = Date.now();
  const result = await worker.runUntil(
    testEnv.client.workflow.execute<typeof sleepThirtyDays>('sleepThirtyDays', {
      taskQueue,
      workflowId: `sleep-30-days-${process.pid}`,
    }),
  );
  const wallMs = Date.now() - wallStarted;

  expect(result.sleptMs).toBeGreaterThanOrEqual(30 * DAY);
  expect((await testEnv.currentTimeMs()) - serverBefore).toBeGreaterThanOrEqual(30 * DAY);
  expect(wallMs).toBeLessThan(15_000);
}, 120_000);
