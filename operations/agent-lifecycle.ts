// The one way every caller (season CLI, Okta hook receiver, catch-up reconciliation) starts or reaches an
// agent's lifecycle workflow, so the input, ids, search attributes and conflict policies never drift apart.
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { AgentIdentity, NameResolution } from '../domain/agent';
import type { OktaGroupRef } from '../domain/mapping';
import type { SeasonShape } from '../domain/season';
import { AgentPhaseKey, OrgIdKey, SeasonEndsAtKey, SeasonIdKey } from '../domain/search-attributes';
import type { agentLifecycle } from '../workflows/agent-lifecycle';
import {
  AGENT_LIFECYCLE_WORKFLOW,
  AgentLifecycleInput,
  agentWorkflowId,
  groupsChangedSignal,
  type GroupsChange,
  LIFECYCLE_TASK_QUEUE,
} from '../workflows/messages';

/** The workflow input for an agent joining a season: the only place it is built (CLI, hook receiver, catch-up). */
export function lifecycleInput(
  season: SeasonShape,
  agent: AgentIdentity,
  groups: OktaGroupRef[],
  groupsAsOf: string,
  resolved?: NameResolution,
): AgentLifecycleInput {
  return {
    orgId: season.orgId,
    seasonId: season.id,
    seasonEndsAt: season.endsAt,
    agent,
    groups,
    groupsAsOf,
    mapping: season.mapping,
    policy: season.policy,
    ...(resolved ? { resolved } : {}),
  };
}

function startOptions(input: AgentLifecycleInput) {
  return {
    taskQueue: LIFECYCLE_TASK_QUEUE,
    workflowId: agentWorkflowId(input.orgId, input.seasonId, input.agent.oktaUserId),
    args: [input] as [AgentLifecycleInput],
    typedSearchAttributes: [
      { key: OrgIdKey, value: input.orgId },
      { key: SeasonIdKey, value: input.seasonId },
      { key: AgentPhaseKey, value: 'Provisioning' },
      { key: SeasonEndsAtKey, value: new Date(input.seasonEndsAt) },
    ],
    // Shown in the Web UI's list; ids only, never a name or an email.
    staticSummary: `Seasonal agent ${input.agent.oktaUserId} · ${input.orgId} · ${input.seasonId}`,
    // A deprovisioned agent stays deprovisioned: a late Okta event must not resurrect it (reuse is checked
    // against closed runs still inside the namespace's retention).
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  };
}

export type StartOutcome = 'started' | 'already-running' | 'already-closed';

/** Starts the agent's workflow unless it exists; never creates a second one (CLI `start`, catch-up). */
export async function startAgentWorkflow(client: Client, input: AgentLifecycleInput): Promise<{ workflowId: string; outcome: StartOutcome }> {
  const opts = startOptions(input);
  try {
    await client.workflow.start<typeof agentLifecycle>(AGENT_LIFECYCLE_WORKFLOW, { ...opts, workflowIdConflictPolicy: 'FAIL' });
    return { workflowId: opts.workflowId, outcome: 'started' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(opts.workflowId).describe();
    return { workflowId: opts.workflowId, outcome: description.status.name === 'RUNNING' ? 'already-running' : 'already-closed' };
  }
}

/**
 * Start-or-update for Okta events: starts the workflow with these groups, or sends `groupsChanged` to the running
 * one (which ignores it when older than what it already applied). A closed workflow is left closed.
 */
export async function signalWithStartAgent(client: Client, input: AgentLifecycleInput): Promise<{ workflowId: string; outcome: 'signalled' | 'already-closed' }> {
  const opts = startOptions(input);
  try {
    await client.workflow.signalWithStart<typeof agentLifecycle, [GroupsChange]>(AGENT_LIFECYCLE_WORKFLOW, {
      ...opts,
      signal: groupsChangedSignal,
      signalArgs: [{ groups: input.groups, asOf: input.groupsAsOf }],
    });
    return { workflowId: opts.workflowId, outcome: 'signalled' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId: opts.workflowId, outcome: 'already-closed' };
    throw err;
  }
}

export function agentHandle(client: Client, orgId: string, seasonId: string, oktaUserId: string): WorkflowHandle {
  return client.workflow.getHandle(agentWorkflowId(orgId, seasonId, oktaUserId));
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
