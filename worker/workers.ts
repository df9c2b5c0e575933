// Builds the workers of one process: the lifecycle worker (workflows + Okta activities), the Okta-events worker
// (the hook receiver's triggers, read from Okta) and one Genesys worker per org. Each org's Genesys queue is rate-limited server-side for every worker polling it, so any number of
// worker processes together stay within the org's request budget.
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { GenesysActivities, OktaActivities } from '../activities/types';
import type { OktaUserEventActivities } from '../workflows/okta-events/activities';
import { OKTA_EVENTS_TASK_QUEUE } from '../workflows/okta-events/contract';
import { genesysTaskQueue, LIFECYCLE_TASK_QUEUE } from '../workflows/messages';
import { queueRequestsPerMinute } from '../domain/rate-budget';

/**
 * Workflows kept in memory between tasks. Small, so a worker holding thousands of sleeping agents stays small (a
 * timer firing replays a short history); a wave is paced by Genesys's budget, not by replays, so it is no slower
 * (README, Benchmark).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 20;

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
  /**
   * The Okta-events workflow's activity (activities/okta-user-events.ts): with it, the lifecycle role also polls
   * the okta-events queue, which the hook receiver feeds. Without it, hooks' triggers wait for another worker.
   */
  oktaEventActivities?: OktaUserEventActivities;
  /** Extra activities on the lifecycle queue (the catch-up's). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Prebuilt bundle path (tests, production); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  /** Sleeping agents need no cache: a timer firing replays a short history. Default DEFAULT_MAX_CACHED_WORKFLOWS. */
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
    const workflowSource = workflowSourceOf(opts.workflowBundlePath);
    workers.push(
      await Worker.create({
        connection,
        namespace,
        dataConverter: opts.dataConverter,
        taskQueue: LIFECYCLE_TASK_QUEUE,
        ...workflowSource,
        activities: { ...opts.oktaActivities, ...(opts.extraActivities ?? {}) },
        maxCachedWorkflows: opts.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
      }),
    );
    if (opts.oktaEventActivities)
      workers.push(await createOktaEventsWorker({ ...opts, oktaEventActivities: opts.oktaEventActivities }));
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

function workflowSourceOf(bundlePath: string | undefined): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../workflows') };
}

/** The worker of the okta-events queue alone (tests run it without the agents' worker, to see their signals). */
export async function createOktaEventsWorker(
  opts: Pick<WorkerSetOptions, 'connection' | 'namespace' | 'workflowBundlePath' | 'dataConverter'> & {
    oktaEventActivities: OktaUserEventActivities;
  },
): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    dataConverter: opts.dataConverter,
    taskQueue: OKTA_EVENTS_TASK_QUEUE,
    ...workflowSourceOf(opts.workflowBundlePath),
    activities: opts.oktaEventActivities,
    // Short runs: a person's triggers, one Okta read each.
    maxCachedWorkflows: 100,
  });
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
