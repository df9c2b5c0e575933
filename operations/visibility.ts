// The season seen through Temporal visibility: every agent's workflow carries OrgId, SeasonId and AgentPhase
// search attributes, so "every agent of a season" is a query, not a list kept somewhere else.
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { AgentPhaseKey } from '../domain/search-attributes';
import type { SeasonShape } from '../domain/season';
import type { AgentPhase } from '../workflows/messages';
import { agentWorkflowId, AGENT_LIFECYCLE_WORKFLOW } from '../workflows/messages';

export const PHASES: readonly AgentPhase[] = ['Provisioning', 'Active', 'NeedsAttention', 'Deprovisioning', 'Deprovisioned'];

export interface AgentExecution {
  workflowId: string;
  oktaUserId: string;
  status: WorkflowExecutionStatusName;
  phase?: AgentPhase;
  startTime: Date;
  closeTime?: Date;
}

/** Visibility values are quoted; ids in this product are letters, digits and hyphens, so no escaping is needed. */
export function seasonQuery(season: Pick<SeasonShape, 'id' | 'orgId'>, extra?: string): string {
  const base = `WorkflowType = "${AGENT_LIFECYCLE_WORKFLOW}" AND OrgId = "${season.orgId}" AND SeasonId = "${season.id}"`;
  return extra ? `${base} AND ${extra}` : base;
}

export function phaseClause(phase: AgentPhase): string {
  return `AgentPhase = "${phase}"`;
}

/** The Okta user id from `agent/<org>/<season>/<oktaUserId>`. */
export function oktaUserIdOf(workflowId: string): string {
  return workflowId.slice(workflowId.lastIndexOf('/') + 1);
}

export async function listAgents(client: Client, season: Pick<SeasonShape, 'id' | 'orgId'>, extra?: string): Promise<AgentExecution[]> {
  const out: AgentExecution[] = [];
  for await (const info of client.workflow.list({ query: seasonQuery(season, extra) })) {
    const phase = info.typedSearchAttributes.get(AgentPhaseKey) as AgentPhase | undefined;
    out.push({
      workflowId: info.workflowId,
      oktaUserId: oktaUserIdOf(info.workflowId),
      status: info.status.name,
      ...(phase ? { phase } : {}),
      startTime: info.startTime,
      ...(info.closeTime ? { closeTime: info.closeTime } : {}),
    });
  }
  // Visibility may list a workflow twice while it moves between runs; keep the latest.
  const latest = new Map<string, AgentExecution>();
  for (const e of out) {
    const have = latest.get(e.workflowId);
    if (!have || e.startTime > have.startTime) latest.set(e.workflowId, e);
  }
  return [...latest.values()].sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId));
}

export async function countAgents(client: Client, season: Pick<SeasonShape, 'id' | 'orgId'>, extra?: string): Promise<number> {
  return (await client.workflow.count(seasonQuery(season, extra))).count;
}

/** Agents named on the command line → their workflow ids in this season. */
export function agentIds(season: Pick<SeasonShape, 'id' | 'orgId'>, oktaUserIds: string[]): string[] {
  return oktaUserIds.map((id) => agentWorkflowId(season.orgId, season.id, id));
}

/** The Temporal Web UI, filtered to the season. */
export function webUiLink(env: NodeJS.ProcessEnv, namespace: string, season: Pick<SeasonShape, 'id'>): string {
  const base = (env.TEMPORAL_UI_URL ?? 'http://localhost:8233').replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(`SeasonId = "${season.id}"`)}`;
}
