// A season as the commands use it: its config, its org's connections, preflight against the live org, and the
// agents of a wave (from a roster CSV or from the season's Okta groups), ready to become workflow inputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkRosterAgainstSeason,
  formatRosterProblem,
  groupRefFromRoster,
  parseRoster,
} from '../../../config/load-roster';
import { findSeason, orgConnection } from '../../../config/load';
import type { OrgConfig, SeasonConfig } from '../../../config/types';
import type { OktaGroupRef } from '../../../domain/mapping';
import { mapsRouting, NamedRef, preflight, PreflightReport } from '../../../domain/preflight';
import { UserError } from '../../../platform/errors';
import type { AgentIdentity } from '../../../domain/agent';
import type { CommandContext } from '../context';
import { CatalogWithDefaults, GenesysReads } from './genesys-reads';
import { OktaReads } from './okta-reads';
import { checkPermissions } from './permission-check';
import { usesOfMapping } from '../../../integrations/genesys/permissions';

export interface SeasonSession {
  season: SeasonConfig;
  org: OrgConfig;
  genesys: GenesysReads;
  okta?: OktaReads;
}

/**
 * Okta is used when configured and its token is set. It is required when the command reads group members, and
 * for a wave (plan, start) when the season's teardown acts in Okta: workflows then need the groups' real ids.
 */
export function openSeason(
  ctx: CommandContext,
  seasonId: string,
  options: { requireOkta?: boolean; forWave?: boolean; requestsPerMinute?: number } = {},
): SeasonSession {
  const { season, org } = findSeason(ctx.config(), seasonId);
  const teardownInOkta = season.policy.removeFromOktaGroups || season.policy.deactivateOktaUser;
  const needsOkta = options.requireOkta === true || (options.forWave === true && teardownInOkta);
  const connection = orgConnection(org, { env: ctx.env, requireOkta: needsOkta });
  return {
    season,
    org,
    genesys: new GenesysReads(org.id, connection.genesys, options.requestsPerMinute),
    ...(connection.okta ? { okta: new OktaReads(connection.okta) } : {}),
  };
}

export interface PreflightResult {
  report: PreflightReport;
  catalog: CatalogWithDefaults;
  /** Mapping entry (group name or id) → the Okta group, when Okta was checked. */
  oktaGroups?: Map<string, NamedRef>;
}

export async function runPreflight(session: SeasonSession): Promise<PreflightResult> {
  // Permissions first: without them the catalog reads themselves may be refused, and nothing else can be judged.
  const permissions = await checkPermissions(session.genesys, usesOfMapping(session.season.mapping));
  if (permissions.missing.length > 0) {
    const empty = { roles: [], divisions: [], defaultRoleIds: [] };
    return {
      report: {
        ...preflight({
          seasonId: session.season.id,
          orgId: session.org.id,
          mapping: { rules: [] },
          catalog: empty,
          permissions,
        }),
        checked: { roles: 0, divisions: 0, groups: 0, skills: 0, languages: 0, queues: 0 },
      },
      catalog: empty,
    };
  }
  const [catalog, okta] = await Promise.all([
    session.genesys.catalog({ routing: mapsRouting(session.season.mapping) }),
    session.okta?.seasonGroups(session.season.mapping),
  ]);
  const report = preflight({
    seasonId: session.season.id,
    orgId: session.org.id,
    mapping: session.season.mapping,
    catalog,
    ...(okta ? { oktaGroups: okta.known } : {}),
  });
  return { report, catalog, ...(okta ? { oktaGroups: okta.found } : {}) };
}

export interface WaveAgent {
  agent: AgentIdentity;
  groups: OktaGroupRef[];
  /** Roster line, when the agent came from a roster. */
  line?: number;
}

export interface WaveAgents {
  /** A roster's bad rows block `start` (unless --partial); Okta members left out (suspended, …) do not. */
  kind: 'roster' | 'okta';
  source: string;
  agents: WaveAgent[];
  /** Bad rows (roster) or members left out (Okta), as printable lines without emails or names. */
  rejected: string[];
  /** How many rows or members those lines are about (a row may have several problems). */
  rejectedCount: number;
}

/** Roster cells name groups by name or id; resolve the mapped ones to Okta's ids when Okta was checked. */
function rosterGroups(cells: string[], oktaGroups: Map<string, NamedRef> | undefined): OktaGroupRef[] {
  if (!oktaGroups) return cells.map(groupRefFromRoster);
  const refs: OktaGroupRef[] = [];
  for (const cell of cells) {
    const match = [...oktaGroups.entries()].find(([entry, g]) => entry === cell || g.name === cell || g.id === cell);
    if (match) refs.push({ id: match[1].id, name: match[1].name });
    else refs.push(groupRefFromRoster(cell));
  }
  return refs;
}

export function readRosterAgents(
  file: string,
  session: SeasonSession,
  oktaGroups: Map<string, NamedRef> | undefined,
): WaveAgents {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read the roster ${file}`);
  }
  const relative = path.relative(process.cwd(), path.resolve(file));
  const shown = relative !== '' && !relative.startsWith('..') ? relative : path.resolve(file);
  const roster = parseRoster(text, shown);
  const refsOf = (cells: string[]) => rosterGroups(cells, oktaGroups);
  const seasonProblems = checkRosterAgainstSeason(roster, session.season, refsOf);
  const badLines = new Set(seasonProblems.map((p) => p.line));
  const problems = [...roster.problems, ...seasonProblems].sort((a, b) => a.line - b.line);
  return {
    kind: 'roster',
    source: `roster ${shown}`,
    agents: roster.rows
      .filter((r) => !badLines.has(r.line))
      .map((r) => ({ agent: r.agent, groups: refsOf(r.groups), line: r.line })),
    rejected: problems.map((p) => formatRosterProblem(shown, p)),
    rejectedCount: new Set(problems.map((p) => p.line)).size,
  };
}

export async function readOktaAgents(
  session: SeasonSession,
  oktaGroups: Map<string, NamedRef> | undefined,
): Promise<WaveAgents> {
  if (!session.okta || !oktaGroups)
    throw new UserError(
      `org ${session.org.id} has no reachable Okta (okta section and token variable in orgs.yaml): use --roster`,
    );
  const { members, skipped } = await session.okta.seasonMembers([
    ...new Map([...oktaGroups.values()].map((g) => [g.id, g])).values(),
  ]);
  return {
    kind: 'okta',
    source: `the Okta groups of season ${session.season.id}`,
    agents: members,
    rejected: skipped.map((s) => `Okta user ${s.oktaUserId}: ${s.reason}`),
    rejectedCount: skipped.length,
  };
}

export async function waveAgents(
  session: SeasonSession,
  options: { roster?: string; fromOkta?: boolean },
  oktaGroups: Map<string, NamedRef> | undefined,
): Promise<WaveAgents> {
  if ((options.roster === undefined) === (options.fromOkta !== true))
    throw new UserError('give either --roster <file.csv> or --from-okta');
  return options.roster !== undefined
    ? readRosterAgents(options.roster, session, oktaGroups)
    : readOktaAgents(session, oktaGroups);
}
