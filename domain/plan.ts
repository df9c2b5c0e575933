// Plan (dry run) of a wave: for each agent of a roster, what `start` would make the lifecycle workflow do —
// create a Genesys user or adopt the existing one, which grants it would add (and which held grants it leaves
// alone) — plus totals and how long the wave takes at the org's request budget. Pure: the per-agent facts
// (existing user, direct grants, existing workflow) are fetched elsewhere. Uses computeEntitlements and
// diffGrants, the same functions the workflow runs, so the plan cannot disagree with what happens.
import { computeEntitlements, diffGrants, IdGrant, idGrantKey } from './entitlements';
import { ALL_DIVISIONS, NamedGrant, OktaGroupRef, RoutingSkillRule, SeasonMapping } from './mapping';
import type { OrgCatalog } from './preflight';
import type { AgentIdentity, NameResolution } from './agent';
import { queueRequestsPerMinute } from './rate-budget';

export interface ExistingUser {
  id: string;
  active: boolean;
  homeDivision?: string;
  externalId?: string;
}

export interface PlanAgentFacts {
  agent: AgentIdentity;
  groups: OktaGroupRef[];
  /** A lifecycle workflow already exists for this agent in this season (start creates nothing new). */
  workflow?: 'running' | 'closed';
  /** The Genesys user with the agent's userName, or null when none; undefined when not looked up (has a workflow). */
  user?: ExistingUser | null;
  /** The user's direct grants (only when `user` exists). */
  directGrants?: IdGrant[];
}

export type PlanAction = 'create' | 'adopt' | 'already-started' | 'already-ended' | 'not-mapped';

export interface AgentPlan {
  oktaUserId: string;
  login: string;
  email: string;
  action: PlanAction;
  homeDivision: string;
  /** Adopting a user whose home division differs: it will be moved. */
  moveHomeFrom?: string;
  /** Adopting an inactive user: it will be reactivated (Genesys does not restore its roles, so all are granted). */
  reactivate: boolean;
  grantsToAdd: NamedGrant[];
  /** Grants start would remove. Always empty for a new wave: only grants a workflow gave are ever removed. */
  grantsToRemove: NamedGrant[];
  /** Direct grants the user holds that the mapping does not give: left as they are (hand-made or pre-existing). */
  grantsLeftAlone: NamedGrant[];
  /** Another owner than this agent's Okta id: adopting may take over somebody else's account. */
  externalIdMismatch: boolean;
  conflicts: string[];
  /** Routing skills and languages the user will hold (set on the create; a read and a PATCH when adopted). */
  skills: RoutingSkillRule[];
  languages: RoutingSkillRule[];
  /** Queues the user will join, one call each. */
  queues: string[];
  /** Genesys API calls the workflow will make to provision this agent (its share of the wave time). */
  apiCalls: number;
}

export interface PlanTotals {
  agents: number;
  create: number;
  adopt: number;
  alreadyStarted: number;
  alreadyEnded: number;
  notMapped: number;
  grantsToAdd: number;
  grantsToRemove: number;
  apiCalls: number;
}

export interface WavePlan {
  seasonId: string;
  orgId: string;
  agents: AgentPlan[];
  totals: PlanTotals;
  requestsPerMinute: number;
  /** Wall-clock estimate of the wave at the org's budget, less what the workers keep free (domain/rate-budget). */
  estimatedSeconds: number;
}

export interface PlanInput {
  seasonId: string;
  orgId: string;
  mapping: SeasonMapping;
  resolved: NameResolution;
  catalog: OrgCatalog;
  requestsPerMinute: number;
  /** Roles Genesys gives every user (the org's default role): never reported as grants left alone. */
  defaultRoleIds?: string[];
  agents: PlanAgentFacts[];
}

function namer(catalog: OrgCatalog) {
  const roles = new Map(catalog.roles.map((r) => [r.id, r.name]));
  const divisions = new Map(catalog.divisions.map((d) => [d.id, d.name]));
  return (g: IdGrant): NamedGrant => ({
    role: roles.get(g.roleId) ?? g.roleId,
    division: g.divisionId === ALL_DIVISIONS ? ALL_DIVISIONS : (divisions.get(g.divisionId) ?? g.divisionId),
  });
}

function toIdGrant(g: NamedGrant, resolved: NameResolution): IdGrant | undefined {
  const roleId = resolved.roles[g.role];
  const divisionId = g.division === ALL_DIVISIONS ? ALL_DIVISIONS : resolved.divisions[g.division];
  return roleId !== undefined && divisionId !== undefined ? { roleId, divisionId } : undefined;
}

/**
 * Calls the workflow's provisioning makes for the user and its grants (workflows/agent/stages.ts): look up the
 * userName, then for a new user create + add grants + read back; for an existing one reactivate/move when
 * needed, read grants, add the missing ones and read back. Routing and queues are counted by the caller.
 */
function provisioningCalls(
  action: 'create' | 'adopt',
  grantsToAdd: number,
  reactivate: boolean,
  move: boolean,
): number {
  if (action === 'create') return 1 + 1 + (grantsToAdd > 0 ? 1 : 0) + 1;
  return 1 + (reactivate ? 1 : 0) + (move ? 1 : 0) + 1 + (grantsToAdd > 0 ? 1 : 0) + 1;
}

function planAgent(input: PlanInput, facts: PlanAgentFacts, name: (g: IdGrant) => NamedGrant): AgentPlan {
  const entitlements = computeEntitlements(input.mapping, facts.groups);
  const base = {
    oktaUserId: facts.agent.oktaUserId,
    login: facts.agent.login,
    email: facts.agent.email,
    homeDivision: entitlements.homeDivision,
    reactivate: false,
    grantsToAdd: [] as NamedGrant[],
    grantsToRemove: [] as NamedGrant[],
    grantsLeftAlone: [] as NamedGrant[],
    externalIdMismatch: false,
    conflicts: entitlements.conflicts,
    skills: entitlements.skills,
    languages: entitlements.languages,
    queues: entitlements.queues,
    apiCalls: 0,
  };
  const routing = entitlements.skills.length + entitlements.languages.length > 0;
  if (facts.workflow === 'running') return { ...base, action: 'already-started' };
  if (facts.workflow === 'closed') return { ...base, action: 'already-ended' };
  if (entitlements.matchedGroups.length === 0) return { ...base, action: 'not-mapped' };

  const desired = entitlements.grants
    .map((g) => toIdGrant(g, input.resolved))
    .filter((g): g is IdGrant => g !== undefined);
  const user = facts.user ?? null;
  if (user === null) {
    return {
      ...base,
      action: 'create',
      grantsToAdd: entitlements.grants,
      apiCalls: provisioningCalls('create', desired.length, false, false) + entitlements.queues.length,
    };
  }
  const held = facts.directGrants ?? [];
  // A reactivated user has lost its roles in Genesys, but the read-back still drives what is added: same as the workflow.
  const diff = diffGrants(desired, held, []);
  const desiredKeys = new Set(desired.map(idGrantKey));
  const defaults = new Set(input.defaultRoleIds ?? []);
  const move = user.homeDivision !== entitlements.homeDivision;
  return {
    ...base,
    action: 'adopt',
    ...(move && user.homeDivision !== undefined ? { moveHomeFrom: user.homeDivision } : {}),
    reactivate: !user.active,
    grantsToAdd: diff.toAdd.map(name),
    grantsToRemove: diff.toRemove.map(name),
    grantsLeftAlone: held.filter((g) => !desiredKeys.has(idGrantKey(g)) && !defaults.has(g.roleId)).map(name),
    externalIdMismatch: user.externalId !== undefined && user.externalId !== facts.agent.oktaUserId,
    apiCalls:
      provisioningCalls('adopt', diff.toAdd.length, !user.active, move) +
      (routing ? 2 : 0) +
      entitlements.queues.length,
  };
}

/** Seconds to make `calls` Genesys calls at the org's budget, at the pace the workers' queue keeps. */
export function waveSeconds(calls: number, requestsPerMinute: number): number {
  const perSecond = queueRequestsPerMinute(requestsPerMinute) / 60;
  return perSecond > 0 ? Math.ceil(calls / perSecond) : 0;
}

export function planWave(input: PlanInput): WavePlan {
  const name = namer(input.catalog);
  const agents = input.agents.map((facts) => planAgent(input, facts, name));
  const count = (action: PlanAction) => agents.filter((a) => a.action === action).length;
  const totals: PlanTotals = {
    agents: agents.length,
    create: count('create'),
    adopt: count('adopt'),
    alreadyStarted: count('already-started'),
    alreadyEnded: count('already-ended'),
    notMapped: count('not-mapped'),
    grantsToAdd: agents.reduce((n, a) => n + a.grantsToAdd.length, 0),
    grantsToRemove: agents.reduce((n, a) => n + a.grantsToRemove.length, 0),
    apiCalls: agents.reduce((n, a) => n + a.apiCalls, 0),
  };
  return {
    seasonId: input.seasonId,
    orgId: input.orgId,
    agents,
    totals,
    requestsPerMinute: input.requestsPerMinute,
    estimatedSeconds: waveSeconds(totals.apiCalls, input.requestsPerMinute),
  };
}
