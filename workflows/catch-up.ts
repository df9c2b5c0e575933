// Catch-up reconciliation of one season, run by a Temporal Schedule (operations/catch-up-schedule.ts). Okta drops
// event-hook deliveries past its limits and never replays them; this run compares the members of the season's
// Okta groups with the season's agent workflows and does what the missed events would have done:
//
//   list workflows ─► list Okta members ─► plan (pure) ─► start missing agents / tell leavers, in batches
//   ─► the login sweep: who can log in ─► Genesys's last logins (one read per 100) ─► Okta SSO events ─► tell agents
//
// Workflows are listed BEFORE members: an agent hired (and started by its hook) between the two reads is then
// a member with a workflow we did not see (its start is a no-op), never a workflow without a member (an
// offboarding). The history holds ids only; profiles are read inside the start activity.
import { patched, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { CatchUpActivities, LoginSweepActivities } from '../activities/catch-up-types';
import { genesysActivitiesFor } from './activity-proxies';
import { planCatchUp } from '../domain/catch-up';
import { NON_HEALING_FAILURES } from '../domain/failure-types';
import { USER_LOGINS_BATCH, type CatchUpInput, type CatchUpResult, type LoginSweepResult } from './catch-up-contract';

/** Actions per activity: bounded history payloads and heartbeats, and a retry redoes little. */
const BATCH = 50;

/** Runs (and their histories) from before the login sweep skip it on replay. */
const LOGIN_SWEEP_PATCH = 'login-sweep';

const lifecycleOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    // The next scheduled run starts afresh: a run should fail (visibly) rather than retry past the interval.
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...NON_HEALING_FAILURES],
  },
};
const { listSeasonWorkflows, listSeasonMembers, reconcileAgents, retireCatchUpSchedule } =
  proxyActivities<CatchUpActivities>(lifecycleOptions);
const { listLoginTargets, tellLogins } = proxyActivities<LoginSweepActivities>(lifecycleOptions);

export async function seasonCatchUp(input: CatchUpInput): Promise<CatchUpResult> {
  const result: CatchUpResult = {
    ...input,
    seasonOver: false,
    members: 0,
    runningBefore: 0,
    started: [],
    startSkipped: [],
    groupsGone: [],
    offboarded: [],
    noWorkflow: [],
    stoppedWithoutWorkflow: 0,
    endedMembers: 0,
    missingGroups: [],
  };

  const workflows = await listSeasonWorkflows(input);
  const snapshot = await listSeasonMembers(input);
  if ('noHires' in snapshot) {
    if (snapshot.noHires === 'waiting') return { ...result, waiting: snapshot.detail };
    // The agents' own timers end the season; nothing is left to catch up, so the schedule goes too.
    await retireCatchUpSchedule(input);
    return { ...result, seasonOver: true };
  }

  const plan = planCatchUp(workflows, snapshot);
  result.asOf = snapshot.asOf;
  result.members = snapshot.members.length;
  result.runningBefore = workflows.running.length;
  result.stoppedWithoutWorkflow = plan.stoppedWithoutWorkflow.length;
  result.endedMembers = plan.endedMembers.length;
  result.missingGroups = snapshot.missingGroups;
  if (plan.held) result.held = plan.held;

  for (const batch of chunks(plan.actions, BATCH)) {
    for (const r of await reconcileAgents({ ...input, asOf: snapshot.asOf, actions: batch })) {
      if (r.outcome === 'no-workflow') result.noWorkflow.push(r.oktaUserId);
      else if (r.kind === 'start') {
        if (r.outcome === 'started' || r.outcome === 'enrolled') result.started.push(r.oktaUserId);
        else result.startSkipped.push({ oktaUserId: r.oktaUserId, outcome: r.outcome });
      } else if (r.kind === 'groups-gone') result.groupsGone.push(r.oktaUserId);
      else if (r.kind === 'suspend') (result.suspended ??= []).push(r.oktaUserId);
      else result.offboarded.push(r.oktaUserId);
    }
  }
  if (patched(LOGIN_SWEEP_PATCH)) result.logins = await sweepLogins(input);
  return result;
}

/** Who logged in since the last run, from Genesys and Okta in batches (never a read per agent), told to the agents. */
async function sweepLogins(input: CatchUpInput): Promise<LoginSweepResult> {
  const targets = await listLoginTargets(input);
  const genesys = genesysActivitiesFor(input.orgId);
  const lastLogins: Array<{ oktaUserId: string; lastLogin: string }> = [];
  let genesysReads = 0;
  for (const batch of chunks(targets.agents, USER_LOGINS_BATCH)) {
    const byUser = new Map(batch.map((a) => [a.genesysUserId, a.oktaUserId]));
    genesysReads += 1;
    for (const u of await genesys.readUserLogins({ orgId: input.orgId, userIds: [...byUser.keys()] })) {
      const oktaUserId = byUser.get(u.userId);
      if (oktaUserId !== undefined && u.lastLogin !== undefined)
        lastLogins.push({ oktaUserId, lastLogin: u.lastLogin });
    }
  }
  const told = await tellLogins({
    ...input,
    agents: targets.agents.map((a) => a.oktaUserId),
    genesys: lastLogins,
    ...(targets.oktaSince !== undefined ? { oktaSince: targets.oktaSince } : {}),
  });
  return { agents: targets.agents.length, genesysReads, ssoEvents: told.ssoEvents, told: told.told };
}

function chunks<T>(actions: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < actions.length; i += size) out.push(actions.slice(i, i + size));
  return out;
}
