// Builds the workers of one process: the lifecycle worker (workflows + Okta activities) and one Genesys worker
// per org. Each org's Genesys queue is rate-limited server-side for every worker polling it, so any number of
// worker processes together stay within the org's request budget.
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { GenesysActivities, OktaActivities } from '../activities/types';
import { genesysTaskQueue, LIFECYCLE_TASK_QUEUE } from '../workflows/messages';
import { queueRequestsPerMinute } from '../domain/rate-budget';

export interface OrgBudget {
  orgId: string;
  requestsPerMinute: number;
}

export interface WorkerSetOptions {
  connection: NativeConnection;
  namespace: string;
  orgs: OrgBudget[];
  genesysActivities: GenesysActivities;
  oktaActivities: OktaActivities;
  /** Extra activities on the lifecycle queue (the catch-up's). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Prebuilt bundle path (tests, production); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  /** Sleeping agents need no cache: a timer firing replays a short history. Default 200. */
  maxCachedWorkflows?: number;
  /** Which queues this process polls (default: all). */
  roles?: { lifecycle?: boolean; genesys?: boolean };
  buildId?: string;
  /** Payload encryption (platform/payload-codec.ts); every worker of the process uses it, activities included. */
  dataConverter?: DataConverter;
}

/** Activities per second the whole org may run: one Genesys call per activity makes this exact. */
export function activitiesPerSecond(requestsPerMinute: number): number {
  return queueRequestsPerMinute(requestsPerMinute) / 60;
}

export async function createWorkers(opts: WorkerSetOptions): Promise<Worker[]> {
  const workers: Worker[] = [];
  const { connection, namespace } = opts;
  if (opts.roles?.lifecycle !== false) {
    const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') };
    workers.push(
      await Worker.create({
        connection,
        namespace,
        dataConverter: opts.dataConverter,
        taskQueue: LIFECYCLE_TASK_QUEUE,
        ...workflowSource,
        activities: { ...opts.oktaActivities, ...(opts.extraActivities ?? {}) },
        maxCachedWorkflows: opts.maxCachedWorkflows ?? 200,
      }),
    );
  }
  if (opts.roles?.genesys !== false) {
    for (const org of opts.orgs) {
      workers.push(
        await Worker.create({
          connection,
          namespace,
          dataConverter: opts.dataConverter,
          taskQueue: genesysTaskQueue(org.orgId),
          activities: opts.genesysActivities,
          maxTaskQueueActivitiesPerSecond: activitiesPerSecond(org.requestsPerMinute),
          // Enough slots to keep the budget busy while calls wait on the network.
          maxConcurrentActivityTaskExecutions: 50,
        }),
      );
    }
  }
  return workers;
}

/** Runs all workers until one fails or all are shut down (SIGTERM/SIGINT shut them down gracefully). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const shutdown = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    process.off('SIGTERM', shutdown);
    process.off('SIGINT', shutdown);
  }
}
