// Tests' view of the Okta-events workflows (workflows/okta-user-events.ts): wait until a person's triggers are
// applied, and read what each read of Okta came to (the activity results in its history).
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { OktaTriggerAction } from '../../workflows/okta-events/activities';
import { oktaUserEventsWorkflowId } from '../../workflows/okta-events/contract';

/** Waits until the person's latest Okta-events run has applied every trigger it was handed (none: at once). */
export async function oktaEventsSettled(client: Client, orgId: string, oktaUserIds: string[]): Promise<void> {
  await Promise.all(
    oktaUserIds.map(async (id) => {
      try {
        await client.workflow.getHandle(oktaUserEventsWorkflowId(orgId, id)).result();
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }),
  );
}

/** Every action the person's Okta-events runs took, oldest first (all runs of the workflow id). */
export async function oktaEventActions(
  client: Client,
  orgId: string,
  oktaUserId: string,
): Promise<OktaTriggerAction[]> {
  const actions: OktaTriggerAction[] = [];
  const runs = [];
  for await (const wf of client.workflow.list({
    query: `WorkflowId = "${oktaUserEventsWorkflowId(orgId, oktaUserId)}"`,
  }))
    runs.push(wf);
  // Visibility lists the newest run first.
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  for (const wf of runs) {
    const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    for (const e of history.events ?? []) {
      const done = e.activityTaskCompletedEventAttributes;
      if (done?.result?.payloads?.[0])
        actions.push(...defaultPayloadConverter.fromPayload<OktaTriggerAction[]>(done.result.payloads[0]));
    }
  }
  return actions;
}
