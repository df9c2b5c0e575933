// The audit's judgement, kept pure: given what Genesys holds for each agent (users carrying the agent's Okta id
// as externalId, their direct grants with dates), what the agent's workflow believes (its state), and what the
// mapping gives the agent's current Okta groups, list the drift and how each item can be repaired.
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import type { DeprovisionPolicy, NameResolution } from './agent';
import { computeEntitlements, type DatedGrant, type IdGrant, idGrantKey } from './entitlements';
import { ALL_DIVISIONS, NamedGrant, OktaGroupRef, SeasonMapping } from './mapping';
import type { ExistingUser } from './plan';
import type { OrgCatalog } from './preflight';

/** What the audit reads of the agent's workflow state (the workflow's getState answer fits it). */
export interface AuditedState {
  phase: string;
  genesysUserId?: string;
  grants: IdGrant[];
  /** Other seasons the person is at work in: the workflow holds their grants too. */
  otherLiveSeasons?: string[];
  /** The routing skills and languages the workflow gave, and the queues it joined (absent: none). */
  routing?: Routing;
  queues?: Array<{ name: string; queueId: string }>;
}

export interface Routing {
  skills: Array<{ name: string; proficiency: number }>;
  languages: Array<{ name: string; proficiency: number }>;
}

export type DriftKind =
  | 'grant-added-by-hand'
  | 'grant-missing'
  | 'grant-pre-existing'
  | 'differs-from-mapping'
  | 'user-missing'
  | 'user-inactive'
  | 'active-after-offboarding'
  | 'active-after-failure'
  | 'user-without-workflow'
  | 'not-started'
  | 'routing-missing'
  | 'routing-added-by-hand'
  | 'queue-missing'
  | 'queue-added-by-hand';

/** How `--fix` repairs an item: through the agent's workflow (reconcile), by starting its workflow, or not at all. */
export type DriftFix = 'reconcile' | 'start' | 'none';

export interface Drift {
  oktaUserId: string;
  kind: DriftKind;
  detail: string;
  fix: DriftFix;
  /** Informational: reported, never counted as a failure and never "fixed". */
  info: boolean;
  genesysUserId?: string;
  grants?: IdGrant[];
  /** Queues (ids) a `queue-missing` item rejoins. */
  queueIds?: string[];
}

export interface AuditAgent {
  oktaUserId: string;
  workflow?: {
    status: WorkflowExecutionStatusName;
    startedAt: Date;
    /** From the getState query (running) or the result (completed); absent when unavailable. */
    state?: AuditedState;
  };
  /** Genesys users carrying the agent's marker: the workflow's user by id, or users with externalId = Okta id. */
  users: ExistingUser[];
  /** Direct grants of the workflow's user (Active agents only). */
  grants?: DatedGrant[];
  /** The user's routing skills and languages (Active agents whose workflow gave some). */
  routing?: Routing;
  /** Ids of the season's mapped queues the user is a member of (Active agents, when the season maps queues). */
  queueIds?: string[];
  /** The agent's current season groups in Okta; undefined when Okta was not read or the agent is no member. */
  oktaGroups?: OktaGroupRef[];
  /** A current member of the season's Okta groups (with the identity to start a workflow from). */
  startable: boolean;
}

export interface AuditInput {
  mapping: SeasonMapping;
  policy: DeprovisionPolicy;
  catalog: OrgCatalog & { defaultRoleIds: string[] };
  resolved: NameResolution;
  agents: AuditAgent[];
}

function namer(catalog: OrgCatalog) {
  const roles = new Map(catalog.roles.map((r) => [r.id, r.name]));
  const divisions = new Map(catalog.divisions.map((d) => [d.id, d.name]));
  return (g: IdGrant): string =>
    `${roles.get(g.roleId) ?? g.roleId} @ ${g.divisionId === ALL_DIVISIONS ? ALL_DIVISIONS : (divisions.get(g.divisionId) ?? g.divisionId)}`;
}

function idsOf(grants: NamedGrant[], resolved: NameResolution): IdGrant[] {
  const out: IdGrant[] = [];
  for (const g of grants) {
    const roleId = resolved.roles[g.role];
    const divisionId = g.division === ALL_DIVISIONS ? ALL_DIVISIONS : resolved.divisions[g.division];
    if (roleId !== undefined && divisionId !== undefined) out.push({ roleId, divisionId });
  }
  return out;
}

function activeAgentDrift(
  input: AuditInput,
  a: AuditAgent,
  state: AuditedState,
  startedAt: Date,
  name: (g: IdGrant) => string,
): Drift[] {
  const drift: Drift[] = [];
  const userId = state.genesysUserId!;
  const user = a.users.find((u) => u.id === userId);
  const base = { oktaUserId: a.oktaUserId, genesysUserId: userId };
  if (!user)
    return [
      {
        ...base,
        kind: 'user-missing',
        detail: `Genesys user ${userId} no longer exists, but the workflow is Active`,
        fix: 'none',
        info: false,
      },
    ];
  if (!user.active)
    drift.push({
      ...base,
      kind: 'user-inactive',
      detail: `Genesys user ${userId} was deactivated outside the workflow`,
      fix: 'none',
      info: false,
    });

  const defaults = new Set(input.catalog.defaultRoleIds);
  const held = (a.grants ?? []).filter((g) => !defaults.has(g.roleId));
  const believed = state.grants.map((g) => ({ roleId: g.roleId, divisionId: g.divisionId }));
  const expected = a.oktaGroups
    ? idsOf(computeEntitlements(input.mapping, a.oktaGroups).grants, input.resolved)
    : believed;
  const heldKeys = new Set(held.map(idGrantKey));
  const knownKeys = new Set([...believed, ...expected].map(idGrantKey));

  const unmapped = held.filter((g) => !knownKeys.has(idGrantKey(g)));
  // A grant the user already had when the workflow adopted it is not drift the workflow made: report, keep.
  const byHand = unmapped.filter((g) => g.madeAt === undefined || Date.parse(g.madeAt) >= startedAt.getTime());
  const before = unmapped.filter((g) => !byHand.includes(g));
  if (byHand.length > 0) {
    drift.push({
      ...base,
      kind: 'grant-added-by-hand',
      detail: `not given by the mapping: ${byHand.map(name).join(', ')}`,
      fix: 'reconcile',
      info: false,
      grants: byHand.map(strip),
    });
  }
  if (before.length > 0) {
    drift.push({
      ...base,
      kind: 'grant-pre-existing',
      detail: `held before the season started (left alone): ${before.map(name).join(', ')}`,
      fix: 'none',
      info: true,
      grants: before.map(strip),
    });
  }
  const missing = believed.filter((g) => !heldKeys.has(idGrantKey(g)));
  if (missing.length > 0) {
    drift.push({
      ...base,
      kind: 'grant-missing',
      detail: `removed outside the workflow: ${missing.map(name).join(', ')}`,
      fix: 'reconcile',
      info: false,
      grants: missing,
    });
  }
  const believedKeys = new Set(believed.map(idGrantKey));
  const expectedKeys = new Set(expected.map(idGrantKey));
  // With other seasons at work, the workflow also holds their grants: only a grant this season gives is compared.
  const alsoOtherSeasons = (state.otherLiveSeasons?.length ?? 0) > 0;
  if (
    (!alsoOtherSeasons && believed.length !== expected.length) ||
    [...expectedKeys].some((k) => !believedKeys.has(k))
  ) {
    drift.push({
      ...base,
      kind: 'differs-from-mapping',
      detail: `the workflow holds the mapping as it was at start; the season file now gives: ${expected.map(name).join(', ') || 'nothing'}`,
      fix: 'none',
      info: true,
    });
  }
  drift.push(...routingDrift(a, state, base));
  return drift;
}

/** Skills, languages and queues: what the workflow gave must be held as given; more held is reported, kept. */
function routingDrift(
  a: AuditAgent,
  state: AuditedState,
  base: { oktaUserId: string; genesysUserId: string },
): Drift[] {
  const drift: Drift[] = [];
  const given = state.routing;
  if (given && a.routing) {
    const entry = (p: { name: string; proficiency: number }) => `${p.name} ${p.proficiency}`;
    const missing = (['skills', 'languages'] as const).flatMap((k) =>
      given[k]
        .filter((g) => !a.routing![k].some((h) => h.name === g.name && h.proficiency === g.proficiency))
        .map(entry),
    );
    const extra = (['skills', 'languages'] as const).flatMap((k) =>
      a.routing![k].filter((h) => !given[k].some((g) => g.name === h.name)).map(entry),
    );
    if (missing.length > 0)
      drift.push({
        ...base,
        kind: 'routing-missing',
        detail: `mapped skills or languages missing or changed outside the workflow: ${missing.join(', ')}`,
        fix: 'reconcile',
        info: false,
      });
    if (extra.length > 0)
      drift.push({
        ...base,
        kind: 'routing-added-by-hand',
        detail: `held but not given by the mapping (left alone): ${extra.join(', ')}`,
        fix: 'none',
        info: true,
      });
  }
  if (a.queueIds) {
    const ours = state.queues ?? [];
    const missing = ours.filter((q) => !a.queueIds!.includes(q.queueId));
    if (missing.length > 0)
      drift.push({
        ...base,
        kind: 'queue-missing',
        detail: `removed from queues outside the workflow: ${missing.map((q) => q.name).join(', ')}`,
        fix: 'reconcile',
        info: false,
        queueIds: missing.map((q) => q.queueId),
      });
    const extra = a.queueIds.filter((id) => !ours.some((q) => q.queueId === id));
    if (extra.length > 0)
      drift.push({
        ...base,
        kind: 'queue-added-by-hand',
        detail: `in ${extra.length} mapped queue(s) the workflow did not join (left alone): ${extra.join(', ')}`,
        fix: 'none',
        info: true,
      });
  }
  return drift;
}

function strip(g: DatedGrant): IdGrant {
  return { roleId: g.roleId, divisionId: g.divisionId };
}

export function findDrift(input: AuditInput): Drift[] {
  const name = namer(input.catalog);
  const expectInactive = input.policy.deactivate || input.policy.deleteAfterMs !== null;
  const drift: Drift[] = [];
  for (const a of input.agents) {
    const active = a.users.filter((u) => u.active);
    const wf = a.workflow;
    if (!wf) {
      if (a.users.length > 0) {
        drift.push({
          oktaUserId: a.oktaUserId,
          kind: 'user-without-workflow',
          detail: `Genesys user ${a.users.map((u) => u.id).join(', ')} carries this agent's Okta id but no workflow manages it`,
          fix: a.startable ? 'start' : 'none',
          info: false,
          genesysUserId: a.users[0]!.id,
        });
      } else if (a.startable) {
        drift.push({
          oktaUserId: a.oktaUserId,
          kind: 'not-started',
          // Genesys's user search lags behind its writes (reads by id do not): a user made in the last moments is
          // not found by its Okta id yet. Starting the workflow is the right repair either way: it adopts that user.
          detail:
            'in a season Okta group, but never started (a missed Okta event?); no Genesys user carries its Okta id in search yet',
          fix: 'start',
          info: false,
        });
      }
      continue;
    }
    if (wf.status === 'RUNNING') {
      if (wf.state?.phase === 'Active' && wf.state.genesysUserId !== undefined)
        drift.push(...activeAgentDrift(input, a, wf.state, wf.startedAt, name));
      continue;
    }
    if (active.length === 0) continue;
    const ids = active.map((u) => u.id).join(', ');
    if (wf.status === 'COMPLETED') {
      if (expectInactive) {
        drift.push({
          oktaUserId: a.oktaUserId,
          kind: 'active-after-offboarding',
          detail: `Genesys user ${ids} is active although the agent was offboarded`,
          fix: 'none',
          info: false,
          genesysUserId: active[0]!.id,
        });
      }
    } else {
      drift.push({
        oktaUserId: a.oktaUserId,
        kind: 'active-after-failure',
        detail: `Genesys user ${ids} is active; its workflow ended ${wf.status.toLowerCase()}`,
        fix: 'none',
        info: false,
        genesysUserId: active[0]!.id,
      });
    }
  }
  return drift.sort((x, y) => x.oktaUserId.localeCompare(y.oktaUserId) || x.kind.localeCompare(y.kind));
}
