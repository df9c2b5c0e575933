// The season seen through Temporal visibility: every person's workflow carries OrgId, SeasonIds (the seasons they
// are enrolled in) and SeasonPhases (`<season>:<phase>` per enrolment), so "every agent of a season, by phase" is
// a query, not a list kept somewhere else.
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import type { SeasonShape } from '../domain/season';
import { SeasonPhasesKey, seasonPhaseValue } from '../domain/search-attributes';
import { SEASONAL_AGENT_WORKFLOW, seasonalAgentWorkflowId } from '../workflows/agent/contract';
import type { AgentPhase } from '../workflows/messages';

export const PHASES: readonly AgentPhase[] = [
  'Provisioning',
  'Active',
  'Suspended',
  'NeedsAttention',
  'Deprovisioning',
  'Deprovisioned',
];

type SeasonRef = Pick<SeasonShape, 'id' | 'orgId'>;

export interface AgentExecution {
  workflowId: string;
  /** This run: a person may have a later run (a return in another season) under the same workflow id. */
  runId: string;
  oktaUserId: string;
  status: WorkflowExecutionStatusName;
  /** The person's phase in this season (Deprovisioned once the season ended for them). */
  phase?: AgentPhase;
  startTime: Date;
  closeTime?: Date;
}

/** Visibility values are quoted; ids in this product are letters, digits and hyphens, so no escaping is needed. */
export function seasonQuery(season: SeasonRef, extra?: string): string {
  const base = `WorkflowType = "${SEASONAL_AGENT_WORKFLOW}" AND OrgId = "${season.orgId}" AND SeasonIds = "${season.id}"`;
  return extra ? `${base} AND ${extra}` : base;
}

/** Agents in this phase of this season. */
export function phaseClause(season: SeasonRef, phase: AgentPhase): string {
  return `SeasonPhases = "${seasonPhaseValue(season.id, phase)}"`;
}

/** Agents still in the season: their workflow runs and the season has not ended for them. */
export function inSeasonClause(season: SeasonRef): string {
  const live = PHASES.filter((p) => p !== 'Deprovisioned').map((p) => `"${seasonPhaseValue(season.id, p)}"`);
  return `ExecutionStatus = "Running" AND SeasonPhases IN (${live.join(', ')})`;
}

/** The season's phase among a person's `<season>:<phase>` values. */
export function seasonPhaseOf(values: readonly string[] | undefined, seasonId: string): AgentPhase | undefined {
  const prefix = `${seasonId}:`;
  return values?.find((v) => v.startsWith(prefix))?.slice(prefix.length) as AgentPhase | undefined;
}

/** The seasons other than `seasonId` that a person's `<season>:<phase>` values show still going on for them. */
export function otherLiveSeasonsOf(values: readonly string[] | undefined, seasonId: string): string[] {
  return (values ?? [])
    .map((v) => [v.slice(0, v.lastIndexOf(':')), v.slice(v.lastIndexOf(':') + 1)] as const)
    .filter(([season, phase]) => season !== seasonId && phase !== 'Deprovisioned')
    .map(([season]) => season);
}

/** The Okta user id from `agent/<org>/<oktaUserId>`. */
export function oktaUserIdOf(workflowId: string): string {
  return workflowId.slice(workflowId.lastIndexOf('/') + 1);
}

export async function listAgents(client: Client, season: SeasonRef, extra?: string): Promise<AgentExecution[]> {
  const out: AgentExecution[] = [];
  for await (const info of client.workflow.list({ query: seasonQuery(season, extra) })) {
    const phase = seasonPhaseOf(info.typedSearchAttributes.get(SeasonPhasesKey), season.id);
    out.push({
      workflowId: info.workflowId,
      runId: info.runId,
      oktaUserId: oktaUserIdOf(info.workflowId),
      status: info.status.name,
      ...(phase ? { phase } : {}),
      startTime: info.startTime,
      ...(info.closeTime ? { closeTime: info.closeTime } : {}),
    });
  }
  // A person may have several runs (continue-as-new, or a return in a later year): keep the latest.
  const latest = new Map<string, AgentExecution>();
  for (const e of out) {
    const have = latest.get(e.workflowId);
    if (!have || e.startTime > have.startTime) latest.set(e.workflowId, e);
  }
  return [...latest.values()].sort((a, b) => a.oktaUserId.localeCompare(b.oktaUserId));
}

export async function countAgents(client: Client, season: SeasonRef, extra?: string): Promise<number> {
  return (await client.workflow.count(seasonQuery(season, extra))).count;
}

/** Agents named on the command line → their workflow ids (one per person in the org). */
export function agentIds(season: SeasonRef, oktaUserIds: string[]): string[] {
  return oktaUserIds.map((id) => seasonalAgentWorkflowId(season.orgId, id));
}

/** The Temporal Web UI, filtered to the season. */
export function webUiLink(env: NodeJS.ProcessEnv, namespace: string, season: Pick<SeasonShape, 'id'>): string {
  const base = (env.TEMPORAL_UI_URL ?? 'http://localhost:8233').replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(`SeasonIds = "${season.id}"`)}`;
}
