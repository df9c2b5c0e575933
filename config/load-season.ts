// One season file → SeasonConfig, with the checks a schema alone cannot make: times in the season's zone,
// duplicates in the mapping, and a deprovision policy the org can carry out.
import { ALL_DIVISIONS, GroupRule, SeasonMapping } from '../domain/mapping';
import type { DeprovisionPolicy } from '../domain/agent';
import type { RawSeasonFile } from './schema';
import type { PathProblem } from './schema-errors';
import { zonedTimeToInstant } from './schema-time';
import type { OrgConfig, SeasonConfig } from './types';

const DAY_MS = 86_400_000;

export interface SeasonCheck {
  season?: SeasonConfig;
  problems: PathProblem[];
  warnings: PathProblem[];
}

function policyOf(raw: RawSeasonFile['deprovision']): DeprovisionPolicy {
  const days = raw.deleteAfterDays;
  return {
    deactivate: raw.deactivate,
    removeGrants: raw.removeGrants,
    deleteAfterMs: days === null || days === 'never' ? null : Math.round(days * DAY_MS),
    removeFromOktaGroups: raw.removeFromOktaGroups,
    deactivateOktaUser: raw.deactivateOktaUser,
  };
}

function mappingOf(raw: RawSeasonFile): SeasonMapping {
  const rules: GroupRule[] = raw.mapping.map((r) => ({
    group: r.group.trim(),
    ...(r.homeDivision !== undefined ? { homeDivision: r.homeDivision.trim() } : {}),
    roles: r.roles.map((g) => ({ role: g.role.trim(), divisions: g.divisions.map((d) => d.trim()) })),
    ...(r.skills ? { skills: r.skills.map((s) => ({ name: s.name.trim(), proficiency: s.proficiency })) } : {}),
    ...(r.languages
      ? { languages: r.languages.map((s) => ({ name: s.name.trim(), proficiency: s.proficiency })) }
      : {}),
    ...(r.queues ? { queues: r.queues.map((q) => q.trim()) } : {}),
    ...(r.priority !== undefined ? { priority: r.priority } : {}),
  }));
  return {
    rules,
    ...(raw.defaultHomeDivision !== undefined ? { defaultHomeDivision: raw.defaultHomeDivision.trim() } : {}),
  };
}

function checkMapping(mapping: SeasonMapping, problems: PathProblem[], warnings: PathProblem[]): void {
  const groupAt = new Map<string, number>();
  mapping.rules.forEach((rule, i) => {
    const first = groupAt.get(rule.group);
    if (first !== undefined) {
      problems.push({
        path: ['mapping', i, 'group'],
        message: `group "${rule.group}" is already mapped at mapping[${first}]; merge the two entries`,
      });
    } else groupAt.set(rule.group, i);
    if (rule.roles.length === 0 && rule.homeDivision === undefined) {
      problems.push({ path: ['mapping', i], message: `group "${rule.group}" gives neither roles nor a home division` });
    }
    for (const kind of ['skills', 'languages', 'queues'] as const) {
      const names = (rule[kind] ?? []).map((e) => (typeof e === 'string' ? e : e.name));
      names.forEach((name, j) => {
        if (names.indexOf(name) !== j)
          problems.push({ path: ['mapping', i, kind, j], message: `"${name}" is already listed in ${kind}` });
      });
    }
    const roleAt = new Map<string, number>();
    rule.roles.forEach((grant, j) => {
      const firstRole = roleAt.get(grant.role);
      if (firstRole !== undefined) {
        problems.push({
          path: ['mapping', i, 'roles', j, 'role'],
          message: `role "${grant.role}" is already listed at roles[${firstRole}]; list all its divisions there`,
        });
      } else roleAt.set(grant.role, j);
      if (grant.divisions.includes(ALL_DIVISIONS) && grant.divisions.length > 1) {
        warnings.push({
          path: ['mapping', i, 'roles', j, 'divisions'],
          message: '"*" already means every division; the other names listed here add nothing',
        });
      }
      const seen = new Set<string>();
      for (const d of grant.divisions) {
        if (seen.has(d))
          warnings.push({ path: ['mapping', i, 'roles', j, 'divisions'], message: `division "${d}" is listed twice` });
        seen.add(d);
      }
    });
  });
}

/** Two home divisions at the same priority are decided by file order: legal, but worth a word. */
function checkPriorities(mapping: SeasonMapping, warnings: PathProblem[]): void {
  const withHome = mapping.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.homeDivision !== undefined);
  for (let a = 0; a < withHome.length; a++) {
    for (let b = a + 1; b < withHome.length; b++) {
      const x = withHome[a]!;
      const y = withHome[b]!;
      if ((x.r.priority ?? 0) === (y.r.priority ?? 0) && x.r.homeDivision !== y.r.homeDivision) {
        warnings.push({
          path: ['mapping', y.i, 'priority'],
          message: `groups "${x.r.group}" and "${y.r.group}" name different home divisions at the same priority ${x.r.priority ?? 0}; an agent in both gets "${x.r.homeDivision}" (listed first) — set priority to decide`,
        });
      }
    }
  }
}

function checkPolicy(
  policy: DeprovisionPolicy,
  org: OrgConfig | undefined,
  problems: PathProblem[],
  warnings: PathProblem[],
): void {
  if (org && !org.okta) {
    if (policy.removeFromOktaGroups) {
      problems.push({
        path: ['deprovision', 'removeFromOktaGroups'],
        message: `org ${org.id} has no okta section, so agents cannot be removed from Okta groups (true is the default); set it to false or add okta to the org`,
      });
    }
    if (policy.deactivateOktaUser) {
      problems.push({
        path: ['deprovision', 'deactivateOktaUser'],
        message: `org ${org.id} has no okta section, so Okta users cannot be deactivated; set it to false or add okta to the org`,
      });
    }
  }
  if (!policy.deactivate && policy.deleteAfterMs === null) {
    warnings.push({
      path: ['deprovision'],
      message: 'agents are neither deactivated nor deleted at the end: their Genesys licenses stay paid',
    });
  }
}

export function checkSeason(raw: RawSeasonFile, orgs: ReadonlyMap<string, OrgConfig>): SeasonCheck {
  const problems: PathProblem[] = [];
  const warnings: PathProblem[] = [];
  const start = zonedTimeToInstant(raw.start, raw.timeZone);
  const end = zonedTimeToInstant(raw.end, raw.timeZone);
  if (!start.ok) problems.push({ path: ['start'], message: start.problem });
  if (!end.ok) problems.push({ path: ['end'], message: end.problem });
  if (start.ok && end.ok && Date.parse(end.iso) <= Date.parse(start.iso)) {
    problems.push({ path: ['end'], message: `must be after start (${raw.start} ${raw.timeZone})` });
  }
  const org = orgs.get(raw.org);
  const mapping = mappingOf(raw);
  const policy = policyOf(raw.deprovision);
  checkMapping(mapping, problems, warnings);
  checkPriorities(mapping, warnings);
  checkPolicy(policy, org, problems, warnings);
  if (problems.length > 0 || !start.ok || !end.ok) return { problems, warnings };
  return {
    season: {
      id: raw.id,
      orgId: raw.org,
      startsAt: start.iso,
      endsAt: end.iso,
      timeZone: raw.timeZone,
      dormantAfterDays: raw.dormantAfterDays,
      policy,
      mapping,
    },
    problems,
    warnings,
  };
}
