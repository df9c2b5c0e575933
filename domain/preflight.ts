// Preflight: every role, division, routing skill, language, queue and Okta group a season maps, checked against what the org really has,
// before anything is written. Every mismatch is reported at once with the closest existing names, so one
// edit of the mapping fixes them all. Pure: the org's catalog is fetched elsewhere (client/commands/support).
import { computeEntitlements } from './entitlements';
import { ALL_DIVISIONS, SeasonMapping } from './mapping';
import { closestNames, didYouMean } from './suggest';
import type { NameResolution } from './agent';

export interface NamedRef {
  id: string;
  name: string;
}

/** What preflight needs to know about the Genesys org (read-only listings of roles and divisions). */
export interface OrgCatalog {
  roles: NamedRef[];
  divisions: NamedRef[];
  /** The routing catalogue; absent: not read (a mapping that names none needs none). */
  skills?: NamedRef[];
  languages?: NamedRef[];
  queues?: NamedRef[];
}

export type PreflightField =
  | 'role'
  | 'division'
  | 'homeDivision'
  | 'defaultHomeDivision'
  | 'group'
  | 'skill'
  | 'language'
  | 'queue'
  | 'permission';

export interface PreflightProblem {
  /** The mapping entry's Okta group ('' for the season-wide default). */
  group: string;
  field: PreflightField;
  name: string;
  suggestions: string[];
  message: string;
}

export interface PreflightReport {
  seasonId: string;
  orgId: string;
  ok: boolean;
  problems: PreflightProblem[];
  warnings: string[];
  /** Name → id for every name that exists; handed to each workflow so its happy path needs no lookups. */
  resolved: NameResolution;
  checked: { roles: number; divisions: number; groups: number; skills: number; languages: number; queues: number };
}

export interface PreflightInput {
  seasonId: string;
  orgId: string;
  mapping: SeasonMapping;
  catalog: OrgCatalog;
  /** The Okta groups known to exist; omitted when Okta is not reachable (groups are then not checked). */
  oktaGroups?: NamedRef[];
  /** The Genesys OAuth client's permissions the season needs and it lacks; omitted when not checked. */
  permissions?: { clientId: string; missing: Array<{ permission: string; neededFor: string }> };
}

const FIELD_WORDS: Record<PreflightField, string> = {
  role: 'role',
  division: 'division',
  homeDivision: 'home division',
  defaultHomeDivision: 'default home division',
  group: 'Okta group',
  skill: 'routing skill',
  language: 'routing language',
  queue: 'queue',
  permission: 'permission',
};

/** Whether the mapping names any skill, language or queue (only then is the routing catalogue needed). */
export function mapsRouting(mapping: SeasonMapping): boolean {
  return mapping.rules.some((r) => (r.skills?.length ?? 0) + (r.languages?.length ?? 0) + (r.queues?.length ?? 0) > 0);
}

function exactIndex(entities: NamedRef[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const e of entities) if (!index.has(e.name)) index.set(e.name, e.id);
  return index;
}

export function preflight(input: PreflightInput): PreflightReport {
  const { mapping, catalog, orgId } = input;
  const roles = exactIndex(catalog.roles);
  const divisions = exactIndex(catalog.divisions);
  const resolved: NameResolution = { roles: {}, divisions: {} };
  const queues = exactIndex(catalog.queues ?? []);
  const routingNames = {
    skill: new Set((catalog.skills ?? []).map((e) => e.name)),
    language: new Set((catalog.languages ?? []).map((e) => e.name)),
  };
  const problems: PreflightProblem[] = [];
  const warnings: string[] = [];
  const reported = new Set<string>();

  const problem = (group: string, field: PreflightField, name: string, existing: string[], where: string) => {
    const key = `${group}\u0000${field}\u0000${name}`;
    if (reported.has(key)) return;
    reported.add(key);
    const suggestions = closestNames(name, existing);
    const subject = group === '' ? '' : `group "${group}": `;
    problems.push({
      group,
      field,
      name,
      suggestions,
      message: `${subject}${FIELD_WORDS[field]} "${name}" not found in ${where}${didYouMean(suggestions)}`,
    });
  };

  const checkDivision = (group: string, field: PreflightField, name: string) => {
    if (name === ALL_DIVISIONS) return;
    const id = divisions.get(name);
    if (id !== undefined) resolved.divisions[name] = id;
    else problem(group, field, name, [...divisions.keys()], `org ${orgId}`);
  };

  const oktaGroups = input.oktaGroups;
  const oktaNames = oktaGroups ? oktaGroups.map((g) => g.name) : [];
  for (const rule of mapping.rules) {
    if (oktaGroups && !oktaGroups.some((g) => g.id === rule.group || g.name === rule.group)) {
      problem(rule.group, 'group', rule.group, oktaNames, 'Okta');
    }
    if (rule.homeDivision !== undefined) checkDivision(rule.group, 'homeDivision', rule.homeDivision);
    for (const grant of rule.roles) {
      const roleId = roles.get(grant.role);
      if (roleId !== undefined) resolved.roles[grant.role] = roleId;
      else problem(rule.group, 'role', grant.role, [...roles.keys()], `org ${orgId}`);
      for (const division of grant.divisions) checkDivision(rule.group, 'division', division);
    }
    // Skills and languages ride on SCIM by name (case-sensitive); queues are joined by id.
    for (const [field, list] of [
      ['skill', rule.skills ?? []],
      ['language', rule.languages ?? []],
    ] as const) {
      for (const { name } of list)
        if (!routingNames[field].has(name)) problem(rule.group, field, name, [...routingNames[field]], `org ${orgId}`);
    }
    for (const name of rule.queues ?? []) {
      const id = queues.get(name);
      if (id !== undefined) (resolved.queues ??= {})[name] = id;
      else problem(rule.group, 'queue', name, [...queues.keys()], `org ${orgId}`);
    }
  }
  // The season-wide default applies to any agent whose groups name no home division: check it whenever it can apply.
  if (mapping.rules.some((r) => r.homeDivision === undefined) || mapping.defaultHomeDivision !== undefined) {
    checkDivision('', 'defaultHomeDivision', computeEntitlements(mapping, []).homeDivision);
  }
  // Before any write: a permission the season's calls need and the OAuth client lacks fails the first agent.
  for (const { permission, neededFor } of input.permissions?.missing ?? []) {
    problems.push({
      group: '',
      field: 'permission',
      name: permission,
      suggestions: [],
      message: `the Genesys OAuth client "${input.permissions!.clientId}" lacks the permission ${permission} (needed for ${neededFor}): add it to the client's role`,
    });
  }
  if (mapping.rules.some((r) => r.roles.some((g) => g.divisions.includes(ALL_DIVISIONS)))) {
    warnings.push(
      'a role is granted in "*" (every division, including divisions created later): make sure that is intended',
    );
  }

  return {
    seasonId: input.seasonId,
    orgId,
    ok: problems.length === 0,
    problems,
    warnings,
    resolved,
    checked: {
      roles: new Set(mapping.rules.flatMap((r) => r.roles.map((g) => g.role))).size,
      divisions:
        Object.keys(resolved.divisions).length +
        new Set(
          problems
            .filter((p) => ['division', 'homeDivision', 'defaultHomeDivision'].includes(p.field))
            .map((p) => p.name),
        ).size,
      groups: oktaGroups ? mapping.rules.length : 0,
      skills: new Set(mapping.rules.flatMap((r) => (r.skills ?? []).map((x) => x.name))).size,
      languages: new Set(mapping.rules.flatMap((r) => (r.languages ?? []).map((x) => x.name))).size,
      queues: new Set(mapping.rules.flatMap((r) => r.queues ?? [])).size,
    },
  };
}

/** Human summary, one problem per line. */
export function formatPreflight(report: PreflightReport): string[] {
  const lines: string[] = [];
  if (report.ok) {
    lines.push(
      `preflight ${report.seasonId} on ${report.orgId}: OK — ${report.checked.roles} roles, ${report.checked.divisions} divisions` +
        routingCounts(report.checked) +
        (report.checked.groups > 0 ? `, ${report.checked.groups} Okta groups` : '') +
        ' resolved',
    );
  } else {
    lines.push(
      `preflight ${report.seasonId} on ${report.orgId}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`,
    );
    for (const p of report.problems) lines.push(`  ${p.message}`);
  }
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

function routingCounts(checked: PreflightReport['checked']): string {
  const parts = (['skills', 'languages', 'queues'] as const)
    .filter((k) => checked[k] > 0)
    .map((k) => `${checked[k]} ${k}`);
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}
