// Activity stubs with deliberate retry policies. Genesys calls go to the org's own task queue, which the worker
// rate-limits for the whole org (maxTaskQueueActivitiesPerSecond); Okta calls run on the lifecycle queue.
import { proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { GenesysActivities, OktaActivities } from '../activities/types';
import { NON_HEALING_FAILURES } from '../domain/failure-types';
import { genesysTaskQueue } from './messages';

const retry: ActivityOptions['retry'] = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  // Transient faults (5xx, 429, dropped responses) heal within these; past them an operator should look.
  maximumAttempts: 25,
  nonRetryableErrorTypes: [...NON_HEALING_FAILURES],
};

export function genesysActivitiesFor(orgId: string): GenesysActivities {
  return proxyActivities<GenesysActivities>({
    taskQueue: genesysTaskQueue(orgId),
    // One HTTP call (10 s client timeout) and at most a token refresh. Not much longer: a crashed worker's call
    // is retried only after this timeout, and until then its agent waits while the rest of the wave moves on.
    startToCloseTimeout: '15 seconds',
    retry,
  });
}

export function oktaActivities(): OktaActivities {
  return proxyActivities<OktaActivities>({ startToCloseTimeout: '1 minute', retry });
}
