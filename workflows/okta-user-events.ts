// One person's Okta events in one org, applied in order: the hook receiver signal-with-starts this workflow with
// each trigger and answers Okta at once; here an activity reads what Okta says NOW and starts, signals or
// offboards the person's agent workflow (workflows/seasonal-agent.ts). Triggers that arrive during a read are
// merged into the next one, so a burst costs one read per person, and reads of one person never overlap, so
// the last read wins.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import { NON_HEALING_FAILURES } from '../domain/failure-types';
import type { OktaUserEventActivities } from './okta-events/activities';
import { mergeTriggers, oktaTriggerSignal, type OktaTrigger, type OktaUserEventsInput } from './okta-events/contract';

const { followOktaUser } = proxyActivities<OktaUserEventActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    // Okta's rate limits and outages heal; a wrong or expired token does not (below).
    nonRetryableErrorTypes: [...NON_HEALING_FAILURES],
  },
});

/** After a failure a person must fix (an expired token): try again this often, or when a new trigger comes. */
const RETRY_AFTER_ATTENTION = '5 minutes';

export async function oktaUserEvents(input: OktaUserEventsInput): Promise<void> {
  const pending: OktaTrigger[] = [];
  setHandler(oktaTriggerSignal, (trigger) => {
    pending.push(trigger);
  });
  await condition(() => pending.length > 0);
  while (pending.length > 0) {
    const trigger = mergeTriggers(pending.splice(0));
    try {
      await followOktaUser({ ...input, trigger });
      setCurrentDetails('');
    } catch (err) {
      // Keep the trigger: nothing is dropped while the operator replaces the token (the reason says which).
      pending.unshift(trigger);
      setCurrentDetails(`**waiting**: ${reasonOf(err)}`);
      const before = pending.length;
      await condition(() => pending.length > before, RETRY_AFTER_ATTENTION);
    }
  }
}

function reasonOf(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
}
