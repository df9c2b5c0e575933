// The platform: a real dev server (started by the global setup), a real worker, one (test-only) workflow end to end,
// and the search attributes registered on the namespace.
import { connectClient, createTestWorker, uniqueQueue } from '../support/temporal';
import { smokeActivities } from '../support/smoke-activities';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes';

describe('platform', () => {
  it('runs a workflow through a real worker on the dev server', async () => {
    const taskQueue = uniqueQueue('smoke');
    const { client, connection } = await connectClient();
    const { worker, connection: workerConnection } = await createTestWorker({
      taskQueue,
      activities: smokeActivities,
      workflowsPath: require.resolve('../support/workflows/smoke'),
    });
    try {
      const result = await worker.runUntil(
        client.workflow.execute('smokeWorkflow', { taskQueue, workflowId: `smoke-${taskQueue}`, args: ['season'] }),
      );
      expect(result).toBe(`hello season from task queue ${taskQueue}`);
    } finally {
      await workerConnection.close();
      await connection.close();
    }
  });

  it('has the custom search attributes registered', async () => {
    const { connection } = await connectClient();
    try {
      const res = await connection.operatorService.listSearchAttributes({
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      });
      for (const sa of SEARCH_ATTRIBUTES) expect(Object.keys(res.customAttributes ?? {})).toContain(sa.name);
    } finally {
      await connection.close();
    }
  });
});
