// The Okta-events workflow in skipped time with a stub activity: triggers that arrive during a read are merged
// into one next read, reads of one person never overlap, and a failure a person must fix (an expired token)
// keeps the triggers, shows why, and is tried again after 5 minutes or at the next trigger.
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { OktaUserEventActivities } from '../../workflows/okta-events/activities';
import {
  OKTA_USER_EVENTS_WORKFLOW,
  oktaTriggerSignal,
  oktaUserEventsWorkflowId,
  type OktaTrigger,
} from '../../workflows/okta-events/contract';
import { createTimeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(60_000);

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let queue = 0;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
}, 120_000);
beforeEach(async () => {
  env = await createTimeSkippingEnv();
}, 60_000);
afterEach(async () => {
  await env?.teardown();
});

const trigger = (over: Partial<OktaTrigger>): OktaTrigger => ({
  seasons: [],
  namedSeasonIds: [],
  checkAllSeasons: false,
  lifecycle: false,
  ...over,
});

async function withStub(
  follow: OktaUserEventActivities['followOktaUser'],
  fn: (send: (t: OktaTrigger) => Promise<void>, workflowId: string) => Promise<void>,
): Promise<void> {
  const taskQueue = `okta-events-${++queue}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: bundle,
    activities: { followOktaUser: follow },
  });
  const workflowId = oktaUserEventsWorkflowId('retail-us', `00uevents${queue}`);
  const send = async (t: OktaTrigger) => {
    await env.client.workflow.signalWithStart(OKTA_USER_EVENTS_WORKFLOW, {
      taskQueue,
      workflowId,
      args: [{ orgId: 'retail-us', oktaUserId: `00uevents${queue}` }],
      signal: oktaTriggerSignal,
      signalArgs: [t],
    });
  };
  await worker.runUntil(fn(send, workflowId));
}

describe('Okta-events workflow, in skipped time', () => {
  it('merges the triggers that arrive during a read into one next read, never two reads at once', async () => {
    const calls: OktaTrigger[] = [];
    let release!: () => void;
    const firstDone = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    let overlapped = false;
    await withStub(
      async ({ trigger: t }) => {
        inFlight += 1;
        overlapped ||= inFlight > 1;
        calls.push(t);
        if (calls.length === 1) await firstDone;
        inFlight -= 1;
        return [];
      },
      async (send, workflowId) => {
        await send(trigger({ namedSeasonIds: ['holiday'], groupsAsOf: '2026-12-01T10:00:00.000Z' }));
        while (calls.length === 0) await new Promise((r) => setTimeout(r, 20));
        await send(trigger({ lifecycle: true }));
        await send(trigger({ namedSeasonIds: ['returns'], groupsAsOf: '2026-12-01T10:00:05.000Z' }));
        release();
        await env.client.workflow.getHandle(workflowId).result();
      },
    );
    expect(overlapped).toBe(false);
    expect(calls).toEqual([
      trigger({ namedSeasonIds: ['holiday'], groupsAsOf: '2026-12-01T10:00:00.000Z' }),
      trigger({ namedSeasonIds: ['returns'], lifecycle: true, groupsAsOf: '2026-12-01T10:00:05.000Z' }),
    ]);
  });

  it('a failure a person must fix keeps the trigger, says why, and is tried again after 5 minutes', async () => {
    let calls = 0;
    await withStub(
      async () => {
        calls += 1;
        if (calls === 1)
          throw ApplicationFailure.create({
            type: 'ConfigError',
            nonRetryable: true,
            message: 'Okta refused the API token of org retail-us (OKTA_API_TOKEN): expired',
          });
        return [];
      },
      async (send, workflowId) => {
        await send(trigger({ namedSeasonIds: ['holiday'] }));
        const handle = env.client.workflow.getHandle(workflowId);
        let details = '';
        for (let i = 0; i < 100 && !details.includes('OKTA_API_TOKEN'); i++) {
          details =
            (await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(details).toContain('**waiting**');
        expect(details).toContain('OKTA_API_TOKEN');
        expect(calls).toBe(1);
        await env.sleep(5 * 60_000 + 1000);
        await handle.result();
      },
    );
    expect(calls).toBe(2);
  });
});
