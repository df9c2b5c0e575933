// One person, several seasons. A person's Genesys user has one owner per org (the agent's workflow), which holds
// the person's season enrolments; what the user must hold is the union of what every live enrolment gives.
// Pure and deterministic: the workflow and the CLI call these same functions.
import { computeEntitlements } from './entitlements';
import type { Entitlements, GroupRule, OktaGroupRef, SeasonMapping } from './mapping';

/** What entitlements need of an enrolment: its season's mapping and the person's groups that season maps. */
export interface EnrolledGroups {
  mapping: SeasonMapping;
  groups: OktaGroupRef[];
}

/** True while the season still maps one of the person's groups (otherwise its enrolment ends). */
export function stillMapped(enrolment: EnrolledGroups): boolean {
  return computeEntitlements(enrolment.mapping, enrolment.groups).matchedGroups.length > 0;
}

function ruleMatchesAny(rule: GroupRule, groups: OktaGroupRef[]): boolean {
  return groups.some((g) => rule.group === g.id || (g.name !== undefined && rule.group === g.name));
}

/**
 * What the person must hold across the live enrolments, listed in the order they were enrolled: grants, skills
 * and languages are the union; the home division goes to the matching rule of highest priority across all
 * seasons (a tie: the season enrolled first, then the rule listed first); the default home division is the
 * first enrolment's that names one. With one enrolment this is exactly `computeEntitlements` of its season.
 */
export function entitlementsAcross(enrolments: EnrolledGroups[]): Entitlements {
  // Each season's rules are kept only where they match that season's own group list, then judged together.
  const rules = enrolments.flatMap((e) => e.mapping.rules.filter((r) => ruleMatchesAny(r, e.groups)));
  const groups = uniqueGroups(enrolments.flatMap((e) => e.groups));
  const defaultHomeDivision = enrolments.find((e) => e.mapping.defaultHomeDivision !== undefined)?.mapping
    .defaultHomeDivision;
  return computeEntitlements({ rules, ...(defaultHomeDivision !== undefined ? { defaultHomeDivision } : {}) }, groups);
}

/**
 * The Okta groups to take a person out of when one season ends for them: the groups that season maps, less any
 * group a live enrolment still maps (leaving it would end that season too). `groupIds` are the memberships the
 * workflow knows; `seasonGroups` the rule names or ids, so Okta's current memberships decide (a join whose hook
 * was dropped goes too).
 */
export function oktaGroupsToLeave(
  ended: EnrolledGroups,
  live: EnrolledGroups[],
): { groupIds: string[]; seasonGroups: string[] } {
  const liveRules = live.flatMap((e) => e.mapping.rules);
  const known = uniqueGroups([...ended.groups, ...live.flatMap((e) => e.groups)]);
  const keptGroup = (g: OktaGroupRef) => liveRules.some((r) => ruleMatchesAny(r, [g]));
  // A rule names a group by id or by name: known groups tell that two spellings are one group.
  const keptName = (name: string) =>
    liveRules.some((r) => r.group === name) || known.some((g) => (g.id === name || g.name === name) && keptGroup(g));
  const groupIds = computeEntitlements(ended.mapping, ended.groups).matchedGroups.filter(
    (id) => !keptGroup(known.find((g) => g.id === id) ?? { id }),
  );
  const seasonGroups = [...new Set(ended.mapping.rules.map((r) => r.group))].filter((name) => !keptName(name));
  return { groupIds, seasonGroups };
}

function uniqueGroups(groups: OktaGroupRef[]): OktaGroupRef[] {
  const byId = new Map<string, OktaGroupRef>();
  for (const g of groups) byId.set(g.id, { ...byId.get(g.id), ...g });
  return [...byId.values()];
}
