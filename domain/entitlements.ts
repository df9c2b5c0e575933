// Okta groups → Genesys entitlements. Pure and deterministic: the workflow, the CLI's plan and the audit all
// call this one function, so what the plan shows is exactly what the workflow does.
import {
  ALL_DIVISIONS,
  Entitlements,
  GroupRule,
  NamedGrant,
  OktaGroupRef,
  RoutingSkillRule,
  SeasonMapping,
} from './mapping';

const DEFAULT_HOME = 'Home';

function ruleMatches(rule: GroupRule, group: OktaGroupRef): boolean {
  return rule.group === group.id || (group.name !== undefined && rule.group === group.name);
}

export function grantKey(g: { role: string; division: string }): string {
  return `${g.role}\u0000${g.division}`;
}

/** Merges skills by name; on a clash the higher proficiency wins (the agent needs at least that). */
function mergeSkills(target: Map<string, RoutingSkillRule>, skills: RoutingSkillRule[] | undefined): void {
  for (const s of skills ?? []) {
    const have = target.get(s.name);
    if (!have || s.proficiency > have.proficiency) target.set(s.name, { name: s.name, proficiency: s.proficiency });
  }
}

/**
 * Computes what an agent in `groups` must hold.
 * Conflict rule for the home division: the matching rule with the highest `priority` wins (default 0); on a tie,
 * the rule listed first in the mapping wins. Every losing candidate is reported in `conflicts`.
 * Grants are the union over all matching rules, de-duplicated, sorted for stable output.
 */
export function computeEntitlements(mapping: SeasonMapping, groups: OktaGroupRef[]): Entitlements {
  const matched: Array<{ rule: GroupRule; index: number; group: OktaGroupRef }> = [];
  mapping.rules.forEach((rule, index) => {
    const group = groups.find((g) => ruleMatches(rule, g));
    if (group) matched.push({ rule, index, group });
  });

  const grants = new Map<string, NamedGrant>();
  const skills = new Map<string, RoutingSkillRule>();
  const languages = new Map<string, RoutingSkillRule>();
  const queues = new Set<string>();
  for (const { rule } of matched) {
    for (const r of rule.roles) {
      const divisions = r.divisions.includes(ALL_DIVISIONS) ? [ALL_DIVISIONS] : r.divisions;
      for (const division of divisions) grants.set(grantKey({ role: r.role, division }), { role: r.role, division });
    }
    mergeSkills(skills, rule.skills);
    mergeSkills(languages, rule.languages);
    for (const q of rule.queues ?? []) queues.add(q);
  }

  const homeCandidates = matched
    .filter((m) => m.rule.homeDivision !== undefined)
    .sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.index - b.index);
  const winner = homeCandidates[0];
  const conflicts: string[] = [];
  for (const loser of homeCandidates.slice(1)) {
    if (loser.rule.homeDivision !== winner!.rule.homeDivision) {
      conflicts.push(
        `home division: group "${winner!.rule.group}" (priority ${winner!.rule.priority ?? 0}) → "${winner!.rule.homeDivision}" ` +
          `wins over group "${loser.rule.group}" (priority ${loser.rule.priority ?? 0}) → "${loser.rule.homeDivision}"`,
      );
    }
  }

  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    homeDivision: winner?.rule.homeDivision ?? mapping.defaultHomeDivision ?? DEFAULT_HOME,
    grants: [...grants.values()].sort((a, b) => a.role.localeCompare(b.role) || a.division.localeCompare(b.division)),
    skills: [...skills.values()].sort(byName),
    languages: [...languages.values()].sort(byName),
    queues: [...queues].sort((a, b) => a.localeCompare(b)),
    matchedGroups: matched.map((m) => m.group.id),
    conflicts,
  };
}

/** Desired vs actual grants, by id pairs. Only grants in `ownedByUs` may be removed (never hand-made or inherited ones). */
export interface IdGrant {
  roleId: string;
  divisionId: string;
}

/** A direct grant with the time Genesys made it, when it says (the audit tells later hand-made grants apart). */
export interface DatedGrant extends IdGrant {
  madeAt?: string;
}

/** The one key of a grant (role id × division id), for sets and maps. */
export function idGrantKey(g: IdGrant): string {
  return `${g.roleId}\u0000${g.divisionId}`;
}

export interface GrantDiff {
  toAdd: IdGrant[];
  toRemove: IdGrant[];
}

export function diffGrants(desired: IdGrant[], actual: IdGrant[], ownedByUs: IdGrant[]): GrantDiff {
  const actualKeys = new Set(actual.map(idGrantKey));
  const desiredKeys = new Set(desired.map(idGrantKey));
  const ownedKeys = new Set(ownedByUs.map(idGrantKey));
  const seen = new Set<string>();
  const toAdd = desired.filter((g) => {
    const k = idGrantKey(g);
    if (actualKeys.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const toRemove = actual.filter((g) => !desiredKeys.has(idGrantKey(g)) && ownedKeys.has(idGrantKey(g)));
  return { toAdd, toRemove };
}
