// Acceptance, issue "Just-in-time from Okta" item 5: the catch-up reconciliation. Installed by the real CLI as a
// Temporal Schedule, run on the real worker (the extra activities the worker entry point registers), against
// both emulators over HTTP. Okta "drops" events here by clearing its outbox: nothing reaches a receiver.
import { Connection, ScheduleNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createGenesysActivities } from '../../activities/genesys';
import { createOktaActivities } from '../../activities/okta';
import { loadConfig, orgConnection } from '../../config/load';
import type { OrgConnection } from '../../config/orgs';
import { AgentPhaseKey } from '../../domain/search-attributes';
import { extraActivities } from '../../worker/extra-activities';
import { createWorkers } from '../../worker/workers';
import { ensureCatchUpSchedule } from '../../operations/catch-up-schedule';
import { catchUpScheduleId, type CatchUpResult } from '../../workflows/catch-up-contract';
import { seasonalAgentWorkflowId, type SeasonalAgentState } from '../../workflows/agent/contract';
import { saveHistory } from '../support/histories';
import { temporalAddress } from '../support/temporal';
import { CliEnv, eventually, ORG, seasonYaml, startCliEnv } from './cli-harness';

const SEASON = 'catch-up';
const ENDING = 'catch-up-ending';
const WINTER = 'catch-up-winter';
const SCHEDULE = catchUpScheduleId(ORG, SEASON);
const AVA = '00uretailagent0001a7';
const BEN = '00uretailagent0002a7';
const ELENA = '00uretailagent0005a7';
const FARAH = '00uretailsuper0001a7';

let env: CliEnv;
let connection: Connection;
let native: NativeConnection;
let workers: Worker[] = [];
let running: Promise<unknown> = Promise.resolve();
let endingAt: number;
let endingInstalled: string;

beforeAll(async () => {
  env = await startCliEnv('catch-up');
  env.writeSeason(SEASON, seasonYaml(SEASON, { removeFromOktaGroups: true }));
  // A second season (other groups) that ends during this file: its last run deletes its own schedule.
  endingAt = Date.now() + 6_000;
  env.writeSeason(
    ENDING,
    seasonYaml(ENDING, {
      endsInMs: 6_000,
      mappingYaml: '  - group: Retail-Spring-Agents\n    homeDivision: Holiday Overflow\n    roles: []\n',
    }),
  );

  // The worker as worker/main.ts builds it: config from the directory, connections from the environment, and
  // the extra activities registered on the lifecycle queue.
  await env.stopWorkers();
  const config = loadConfig(env.configDir);
  const orgs = new Map<string, OrgConnection>(
    [...config.orgs.values()].map((o) => [o.id, orgConnection(o, { env: env.env })]),
  );
  connection = await Connection.connect({ address: temporalAddress() });
  native = await NativeConnection.connect({ address: temporalAddress() });
  workers = await createWorkers({
    connection: native,
    namespace: env.namespace,
    orgs: [...orgs.values()].map((o) => ({ orgId: o.orgId, requestsPerMinute: o.genesys.requestsPerMinute })),
    genesysActivities: createGenesysActivities(orgs),
    oktaActivities: createOktaActivities(orgs),
    extraActivities: await extraActivities({ config, orgs, client: connection, namespace: env.namespace }),
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  });
  running = Promise.all(workers.map((w) => w.run()));
  // Installed now, while that season still runs (the CLI path is tested below, for the main season).
  endingInstalled = await ensureCatchUpSchedule(env.client, loadConfig(env.configDir).seasons.get(ENDING)!);
});

afterAll(async () => {
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  await running;
  await native?.close();
  await connection?.close();
  await env?.close();
});

/** Runs already looked at, by workflow id AND run id (see nextRun). */
const seen = new Set<string>();
const runKey = (w: { workflowId: string; firstExecutionRunId: string }) => `${w.workflowId}/${w.firstExecutionRunId}`;
/**
 * Triggers the schedule once (buffering one run, as `season catch-up --now` does) and returns that run's result.
 *
 * A run is known by its workflow id and run id together. The schedule names each run `<id>-<start time to the
 * second>`, and a manual start reuses a closed run's id (the server starts triggers with ALLOW_DUPLICATE), so
 * two runs within one second share a workflow id. This test once keyed runs by workflow id alone, took such a
 * second run for the one before it and reported the trigger as "not acted on".
 */
async function nextRun(
  scheduleId: string,
  trigger: () => Promise<unknown>,
): Promise<{ result: CatchUpResult; workflowId: string; runId: string }> {
  const handle = env.client.schedule.getHandle(scheduleId);
  // Only a run taken after the trigger: one the schedule's own interval took a moment before read the season as it
  // was then (CI once got such a run, listing a member whose enrolment had just ended as still running).
  const triggeredAt = Date.now();
  await trigger();
  const action = await eventually(
    async () =>
      (await handle.describe()).info.recentActions.find(
        (a) => !seen.has(runKey(a.action.workflow)) && a.takenAt.getTime() >= triggeredAt,
      ),
    `a catch-up run of ${scheduleId}`,
    20_000,
  );
  const { workflowId, firstExecutionRunId } = action.action.workflow;
  seen.add(runKey(action.action.workflow));
  return {
    workflowId,
    runId: firstExecutionRunId,
    result: (await env.client.workflow.getHandle(workflowId, firstExecutionRunId).result()) as CatchUpResult,
  };
}

async function phaseOf(oktaUserId: string): Promise<string | undefined> {
  const d = await env.client.workflow.getHandle(seasonalAgentWorkflowId(ORG, oktaUserId)).describe();
  return d.typedSearchAttributes.get(AgentPhaseKey);
}

async function allActive(ids: string[]): Promise<void> {
  for (const id of ids)
    await eventually(async () => ((await phaseOf(id)) === 'Active' ? true : undefined), `${id} active`, 20_000);
}

function grantsOf(oktaUserId: string): string[] {
  const user = env.genesys.inspect(ORG).users.find((u) => u.externalId === oktaUserId && !u.deleted);
  return (user?.grants ?? [])
    .filter((g) => g.roleName !== 'employee')
    .map((g) => `${g.roleName} @ ${g.divisionName}`)
    .sort();
}

/** Every payload of a history as text (payload bytes are JSON), to check what the history holds. */
async function historyText(workflowId: string, runId: string): Promise<string> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  // The history's JSON form carries payload bytes as base64 under `data`.
  return JSON.stringify(JSON.parse(JSON.stringify(history)), (key, value: unknown) =>
    key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
  );
}

describe('catch-up reconciliation (acceptance)', () => {
  it('season catch-up --install creates the Schedule once, configured: every 5 minutes, SKIP, the season as input', async () => {
    const first = await env.cli(['catch-up', SEASON, '--install']);
    expect(first.stdout).toContain(`schedule ${SCHEDULE} created, every 5m`);
    expect(first.code).toBe(0);
    const again = await env.cli(['catch-up', SEASON, '--install', '--every', '5 minutes']);
    expect(again.stdout).toContain(`schedule ${SCHEDULE} unchanged`);

    const d = await env.client.schedule.getHandle(SCHEDULE).describe();
    const season = loadConfig(env.configDir).seasons.get(SEASON)!;
    expect({
      every: d.spec.intervals?.map((i) => i.every),
      endAt: d.spec.endAt?.toISOString(),
      overlap: d.policies.overlap,
      workflowType: d.action.workflowType,
      workflowId: d.action.workflowId,
      taskQueue: d.action.taskQueue,
      args: d.action.args,
      paused: d.state.paused,
    }).toEqual({
      every: [300_000],
      endAt: new Date(Date.parse(season.endsAt) + 3_600_000).toISOString(),
      overlap: 'SKIP',
      workflowType: 'seasonCatchUp',
      workflowId: SCHEDULE,
      taskQueue: 'seasonal-agents',
      args: [{ seasonId: SEASON, orgId: ORG }],
      paused: false,
    });
    const schedules: string[] = [];
    for await (const s of env.client.schedule.list()) schedules.push(s.scheduleId);
    expect(schedules.filter((id) => id === SCHEDULE)).toHaveLength(1);
  });

  it('starts members the hooks missed and offboards agents who left or were stopped while hooks were down', async () => {
    // First run: the members already in the groups (Ava, Ben, Farah) never had an event at all. Elena is
    // deprovisioned but still in a group (deactivation keeps memberships): not started.
    const { result: first } = await nextRun(SCHEDULE, () =>
      env.client.schedule.getHandle(SCHEDULE).trigger('BUFFER_ONE'),
    );
    expect(first).toMatchObject({
      started: [AVA, BEN, FARAH],
      stoppedWithoutWorkflow: 1,
      groupsGone: [],
      offboarded: [],
      missingGroups: [],
    });
    expect(first.held).toBeUndefined();
    await allActive([AVA, BEN, FARAH]);

    // Hooks down: every event below is dropped by Okta.
    const okta = env.okta;
    const yara = okta.admin.createUser({
      profile: { login: 'yara.dropped@retail.example.com', firstName: 'Yara', lastName: 'Dropped' },
    }).id;
    okta.admin.addUserToGroup(yara, 'Retail-Holiday-Chat');
    okta.admin.removeUserFromGroup(BEN, 'Retail-Holiday-Agents');
    okta.admin.removeUserFromGroup(BEN, 'Retail-Holiday-Chat');
    okta.admin.deactivateUser(FARAH);
    expect(okta.admin.clearOutbox().map((e) => e.eventType)).toEqual([
      'user.lifecycle.create',
      'group.user_membership.add',
      'group.user_membership.remove',
      'group.user_membership.remove',
      'user.lifecycle.deactivate',
    ]);

    // The operator's "run it now" after the outage, through the CLI.
    const { result: second, workflowId, runId } = await nextRun(SCHEDULE, () => env.cli(['catch-up', SEASON, '--now']));
    expect(second).toMatchObject({
      started: [yara],
      groupsGone: [BEN],
      offboarded: [FARAH],
      noWorkflow: [],
      members: 4,
      runningBefore: 3,
    });
    expect(second.held).toBeUndefined();

    await allActive([yara]);
    expect(grantsOf(yara)).toEqual(['Chat Agent @ E-Commerce']);
    const ben = (await env.client.workflow.getHandle(seasonalAgentWorkflowId(ORG, BEN)).result()) as SeasonalAgentState;
    const farah = (await env.client.workflow
      .getHandle(seasonalAgentWorkflowId(ORG, FARAH))
      .result()) as SeasonalAgentState;
    expect([ben.offboardReason, farah.offboardReason]).toEqual([
      'no seasonal Okta group left',
      'Okta user is deprovisioned',
    ]);
    expect(
      env.genesys
        .inspect(ORG)
        .users.filter((u) => u.externalId === BEN || u.externalId === FARAH)
        .map((u) => u.deleted),
    ).toEqual([true, true]);
    // Teardown removed Farah from her season group (removeFromOktaGroups); Elena, no agent, is left alone.
    expect(okta.inspect().memberships['00gholidaysupv001a7x']).toEqual([]);
    expect(okta.inspect().memberships['00gholidayagents01a7']).toEqual([AVA, ELENA].sort());

    // The catch-up's history holds ids, never a profile: the new hire's id is there, her login and name are not.
    const text = await historyText(workflowId, runId);
    await saveHistory(env.client.workflow.getHandle(workflowId, runId), 'catch-up-start-and-offboard');
    expect(text).toContain(yara);
    expect(text).not.toMatch(/yara\.dropped|Yara|Dropped|@retail\.example\.com/);

    // Nothing missed any more: a further run changes nothing (members now: Ava, Yara and Elena; Farah's teardown
    // took her out of her season group).
    await eventually(
      async () =>
        (await env.client.workflow.count(`SeasonIds = "${SEASON}" AND ExecutionStatus = "Running"`)).count === 2
          ? true
          : undefined,
      'visibility',
    );
    const { result: third } = await nextRun(SCHEDULE, () =>
      env.client.schedule.getHandle(SCHEDULE).trigger('BUFFER_ONE'),
    );
    expect(third).toMatchObject({
      started: [],
      startSkipped: [],
      groupsGone: [],
      offboarded: [],
      noWorkflow: [],
      members: 3,
      runningBefore: 2,
      stoppedWithoutWorkflow: 1,
    });

    const show = await env.cli(['catch-up', SEASON]);
    expect(show.stdout).toContain(`catch-up of season ${SEASON}: schedule ${SCHEDULE}, every 5m`);
    expect(show.stdout).toContain('3 members, 0 started, 0 offboarded');
    // Each run with its run id: two runs can share a workflow id (a trigger in the same second as the last run).
    const runLines = show.stdout.split('\n').filter((l) => l.includes(' (run '));
    expect(runLines).toHaveLength(3);
    expect(new Set(runLines.map((l) => /\(run ([^)]+)\)/.exec(l)![1])).size).toBe(3);
  });

  it('a member whose enrolment in this season ended, still at work in another season, counts as closed here', async () => {
    // Ava also works a winter season of the org (its own Okta group): her one workflow holds both enrolments.
    const okta = env.okta;
    okta.admin.createGroup({ name: 'Retail-Winter-Agents' });
    okta.admin.addUserToGroup(AVA, 'Retail-Winter-Agents');
    env.writeSeason(
      WINTER,
      seasonYaml(WINTER, {
        mappingYaml:
          '  - group: Retail-Winter-Agents\n    homeDivision: Holiday Overflow\n    roles:\n      - role: Voice Agent\n        divisions: [Holiday Overflow]\n',
      }),
    );
    const joined = await env.cli(['start', WINTER, '--from-okta']);
    expect(joined.stdout).toContain('0 started, 1 joined from another season');
    const ava = env.client.workflow.getHandle(seasonalAgentWorkflowId(ORG, AVA));
    const seasonsOf = async () =>
      (await ava.query<SeasonalAgentState>('getState')).enrolments.map((e) => `${e.seasonId}:${e.phase}`).sort();
    await eventually(
      async () =>
        (await seasonsOf()).join() === [`${SEASON}:Active`, `${WINTER}:Active`].sort().join() ? true : undefined,
      'ava in both seasons',
    );

    // Offboarded from this season only; its teardown takes her out of its group, and an admin puts her back
    // while Okta drops the event (so no hook tells the workflow).
    const off = await env.cli(['offboard', SEASON, AVA, '--reason', 'moved to the winter team', '--wait', '--yes']);
    expect(off.code).toBe(0);
    expect(await seasonsOf()).toEqual([`${SEASON}:Deprovisioned`, `${WINTER}:Active`].sort());
    expect(okta.inspect().memberships['00gholidayagents01a7']).not.toContain(AVA);
    okta.admin.addUserToGroup(AVA, 'Retail-Holiday-Agents');
    okta.admin.clearOutbox();
    await eventually(
      async () =>
        (
          await env.client.workflow.count(
            `SeasonPhases = "${SEASON}:Deprovisioned" AND WorkflowId = "${ava.workflowId}"`,
          )
        ).count === 1
          ? true
          : undefined,
      'visibility',
    );

    // Members: Ava, Yara, Elena. Ava is neither started (nor enrolled) again, nor told her groups are gone.
    const { result } = await nextRun(SCHEDULE, () => env.client.schedule.getHandle(SCHEDULE).trigger('BUFFER_ONE'));
    expect(result).toMatchObject({
      started: [],
      startSkipped: [],
      groupsGone: [],
      offboarded: [],
      members: 3,
      runningBefore: 1,
      endedMembers: 1,
      stoppedWithoutWorkflow: 1,
    });
    expect((await ava.describe()).status.name).toBe('RUNNING');
    expect(await seasonsOf()).toEqual([`${SEASON}:Deprovisioned`, `${WINTER}:Active`].sort());
    const user = env.genesys.inspect(ORG).users.find((u) => u.externalId === AVA && !u.deleted)!;
    expect({ active: user.active, grants: grantsOf(AVA) }).toEqual({
      active: true,
      grants: ['Voice Agent @ Holiday Overflow'],
    });
  });

  it('deletes the Schedule once the season is over: the first run after the end, or the CLI', async () => {
    expect(endingInstalled).toBe('created');
    const scheduleId = catchUpScheduleId(ORG, ENDING);
    await eventually(async () => (Date.now() > endingAt + 500 ? true : undefined), 'the season end');

    let result: CatchUpResult;
    try {
      ({ result } = await nextRun(scheduleId, () => env.client.schedule.getHandle(scheduleId).trigger('BUFFER_ONE')));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      // Its own run at a 5-minute boundary came first and already deleted it: that run's result says why.
      const runs: Array<{ workflowId: string; runId: string }> = [];
      for await (const wf of env.client.workflow.list({ query: `TemporalScheduledById = "${scheduleId}"` }))
        runs.push(wf);
      expect(runs.length).toBeGreaterThan(0);
      result = (await env.client.workflow.getHandle(runs[0]!.workflowId, runs[0]!.runId).result()) as CatchUpResult;
    }
    expect(result).toMatchObject({ seasonOver: true, started: [] });
    let schedules: string[] = [];
    await eventually(async () => {
      schedules = [];
      for await (const s of env.client.schedule.list()) schedules.push(s.scheduleId);
      return schedules.includes(scheduleId) ? undefined : true;
    }, 'the schedule deleted');
    expect(schedules).toContain(SCHEDULE);

    // Installing for a season that is over is a no-op that says so (and would delete a leftover schedule).
    const late = await env.cli(['catch-up', ENDING, '--install']);
    expect(late.stdout).toContain(`season ${ENDING} ended at`);
    expect(late.code).toBe(0);
  });
});
