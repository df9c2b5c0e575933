// The one way every caller (season CLI, Okta hook receiver, catch-up, migration) starts or reaches a person's
// seasonal agent workflow, so ids, search attributes and the input never drift apart.
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowHandle,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { AgentIdentity, NameResolution } from '../domain/agent';
import type { OktaGroupRef } from '../domain/mapping';
import type { SeasonShape } from '../domain/season';
import {
  AgentPhaseKey,
  OrgIdKey,
  SeasonEndsAtKey,
  SeasonIdsKey,
  SeasonPhasesKey,
  seasonPhaseValue,
} from '../domain/search-attributes';
import {
  enrolSignal,
  GENESYS_CALL_PLAN,
  SEASONAL_AGENT_WORKFLOW,
  seasonalAgentWorkflowId,
  type SeasonalAgentInput,
} from '../workflows/agent/contract';
import { LIFECYCLE_TASK_QUEUE } from '../workflows/messages';
import type { seasonalAgent } from '../workflows/seasonal-agent';

/** The workflow input for a person joining a season: the only place it is built. */
export function seasonalAgentInput(
  season: SeasonShape,
  agent: AgentIdentity,
  groups: OktaGroupRef[],
  asOf: string,
  resolved?: NameResolution,
): SeasonalAgentInput {
  return {
    orgId: season.orgId,
    agent,
    genesysCalls: GENESYS_CALL_PLAN,
    enrol: {
      seasonId: season.id,
      seasonEndsAt: season.endsAt,
      mapping: season.mapping,
      policy: season.policy,
      groups,
      asOf,
      ...(resolved ? { resolved } : {}),
    },
  };
}

export function seasonalAgentStartOptions(input: SeasonalAgentInput) {
  const { seasonId } = input.enrol;
  return {
    taskQueue: LIFECYCLE_TASK_QUEUE,
    workflowId: seasonalAgentWorkflowId(input.orgId, input.agent.oktaUserId),
    args: [input] as [SeasonalAgentInput],
    // Exactly what the workflow's record computes for a new run (workflows/agent/record.ts), so it upserts
    // nothing until the agent is Active.
    typedSearchAttributes: [
      { key: OrgIdKey, value: input.orgId },
      { key: AgentPhaseKey, value: 'Provisioning' },
      { key: SeasonIdsKey, value: [seasonId] },
      { key: SeasonPhasesKey, value: [seasonPhaseValue(seasonId, 'Provisioning')] },
      { key: SeasonEndsAtKey, value: new Date(input.enrol.seasonEndsAt) },
    ],
    // Shown in the Web UI's list; ids only, never a name or an email.
    staticSummary: `Seasonal agent ${input.agent.oktaUserId} · ${input.orgId}`,
    // The same person returns next year: a new run may follow a closed one (see seasonEndedBefore for why a
    // late event cannot bring back a season that ended).
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
  };
}

export type EnrolOutcome = 'started' | 'enrolled' | 'already-enrolled' | 'already-ended';
export type StartOutcome = EnrolOutcome;

/**
 * Where the person stands for this season. A season that ended for them stays ended: a running workflow refuses
 * it itself, and runs that closed after it ended (completed or continued, never terminated mid-season) are found
 * by visibility, whichever run of the workflow id they were.
 */
async function lastRun(
  client: Client,
  workflowId: string,
  seasonId: string,
): Promise<'none' | 'running' | 'running-enrolled' | 'closed' | 'closed-with-season'> {
  let latest: 'none' | 'running' | 'closed' = 'none';
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    const phases = (d.typedSearchAttributes.get(SeasonPhasesKey) ?? []) as string[];
    if (phases.includes(seasonPhaseValue(seasonId, 'Deprovisioned'))) return 'closed-with-season';
    if (d.status.name === 'RUNNING') {
      if (((d.typedSearchAttributes.get(SeasonIdsKey) ?? []) as string[]).includes(seasonId)) return 'running-enrolled';
      latest = 'running';
    } else latest = 'closed';
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (latest === 'none') return 'none';
  const endedBefore = await client.workflow.count(
    `WorkflowId = "${workflowId}" AND SeasonPhases = "${seasonPhaseValue(seasonId, 'Deprovisioned')}"`,
  );
  return endedBefore.count > 0 ? 'closed-with-season' : latest;
}

/** Starts the person's workflow or enrols the running one in the season (CLI `start`, catch-up, migration). */
export async function enrolAgent(
  client: Client,
  input: SeasonalAgentInput,
): Promise<{ workflowId: string; outcome: EnrolOutcome }> {
  const opts = seasonalAgentStartOptions(input);
  const before = await lastRun(client, opts.workflowId, input.enrol.seasonId);
  if (before === 'closed-with-season') return { workflowId: opts.workflowId, outcome: 'already-ended' };
  if (before === 'running-enrolled') return { workflowId: opts.workflowId, outcome: 'already-enrolled' };
  if (before === 'none' || before === 'closed') {
    try {
      await client.workflow.start<typeof seasonalAgent>(SEASONAL_AGENT_WORKFLOW, {
        ...opts,
        workflowIdConflictPolicy: 'FAIL',
      });
      return { workflowId: opts.workflowId, outcome: 'started' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Started by someone else a moment ago (a hook): enrol in it like any running workflow.
    }
  }
  await client.workflow.signalWithStart<typeof seasonalAgent, [typeof input.enrol]>(SEASONAL_AGENT_WORKFLOW, {
    ...opts,
    signal: enrolSignal,
    signalArgs: [input.enrol],
  });
  return { workflowId: opts.workflowId, outcome: 'enrolled' };
}

/**
 * Start-or-update for Okta events: starts the person's workflow with this enrolment, or sends it to the running
 * one (which applies it only when newer than what it has). A season that already ended for the person stays
 * ended.
 */
export async function signalWithEnrol(
  client: Client,
  input: SeasonalAgentInput,
): Promise<{ workflowId: string; outcome: 'signalled' | 'already-ended' }> {
  const opts = seasonalAgentStartOptions(input);
  const before = await lastRun(client, opts.workflowId, input.enrol.seasonId);
  if (before === 'closed-with-season') return { workflowId: opts.workflowId, outcome: 'already-ended' };
  await client.workflow.signalWithStart<typeof seasonalAgent, [typeof input.enrol]>(SEASONAL_AGENT_WORKFLOW, {
    ...opts,
    signal: enrolSignal,
    signalArgs: [input.enrol],
  });
  return { workflowId: opts.workflowId, outcome: 'signalled' };
}

export function agentHandle(client: Client, orgId: string, oktaUserId: string): WorkflowHandle<typeof seasonalAgent> {
  return client.workflow.getHandle(seasonalAgentWorkflowId(orgId, oktaUserId));
}

/** A message to a running workflow only: none (or a closed one) has nothing left to hear, which is fine. */
export async function signalIfRunning(
  client: Client,
  workflowId: string,
  send: (handle: WorkflowHandle) => Promise<void>,
): Promise<'signalled' | 'no-workflow'> {
  try {
    await send(client.workflow.getHandle(workflowId));
    return 'signalled';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no-workflow';
    throw err;
  }
}
