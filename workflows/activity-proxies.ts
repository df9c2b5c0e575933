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
    // One HTTP call (8 s client timeout; a token refresh first, once a day). Not longer: a crashed worker's call,
    // or one whose poll answer a restarting server lost, is retried only after this timeout, and until then its
    // agent waits while the rest of the wave moves on (test:stack measured the tail).
    startToCloseTimeout: '10 seconds',
    retry,
  });
}

export function oktaActivities(): OktaActivities {
  return proxyActivities<OktaActivities>({ startToCloseTimeout: '1 minute', retry });
}
