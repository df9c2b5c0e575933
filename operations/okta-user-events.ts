// Hands a person's Okta trigger to their Okta-events workflow (workflows/okta-user-events.ts): starts it, or
// signals the running one. One call, no Okta read: what the hook receiver does before it answers Okta.
import type { Client } from '@temporalio/client';
import {
  OKTA_EVENTS_TASK_QUEUE,
  OKTA_USER_EVENTS_WORKFLOW,
  oktaTriggerSignal,
  oktaUserEventsWorkflowId,
  type OktaTrigger,
  type OktaUserEventsInput,
} from '../workflows/okta-events/contract';
import type { oktaUserEvents } from '../workflows/okta-user-events';

export async function signalOktaTrigger(
  client: Client,
  orgId: string,
  oktaUserId: string,
  trigger: OktaTrigger,
): Promise<void> {
  await client.workflow.signalWithStart<typeof oktaUserEvents, [OktaTrigger]>(OKTA_USER_EVENTS_WORKFLOW, {
    taskQueue: OKTA_EVENTS_TASK_QUEUE,
    workflowId: oktaUserEventsWorkflowId(orgId, oktaUserId),
    args: [{ orgId, oktaUserId } satisfies OktaUserEventsInput],
    signal: oktaTriggerSignal,
    signalArgs: [trigger],
    // Ids only, as the agents' own summaries.
    staticSummary: `Okta events ${oktaUserId} · ${orgId}`,
    // A run ends when its triggers are applied; the next event starts another.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}
