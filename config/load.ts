// Reads the config directory (orgs.yaml and seasons/*.yaml), validates everything, and reports every problem at
// once, each with its file, line and path. Also builds an org's connection, reading its secrets from the
// environment at run time (secrets are named in files, never written there).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { closestNames, didYouMean } from '../domain/suggest';
import { resolveGenesysBaseUrls } from '../integrations/genesys/regions';
import { parseServiceAppKey } from '../integrations/okta/oauth';
import { UserError } from '../platform/errors';
import { checkSeason } from './load-season';
import { ConfigProblem, formatProblem, YamlSource } from './load-yaml';
import { printable } from './printable';
import type { OktaConnection, OrgConnection } from './orgs';
import { orgsFileSchema, RawOrg, seasonFileSchema } from './schema';
import { formatPath, issuesToProblems, PathProblem } from './schema-errors';
import type { OrgConfig, SeasonConfig } from './types';

export { formatProblem } from './load-yaml';
export type { ConfigProblem } from './load-yaml';

export interface LoadedConfig {
  dir: string;
  orgs: Map<string, OrgConfig>;
  seasons: Map<string, SeasonConfig>;
  /** Legal but suspicious settings (shown by preflight). */
  warnings: ConfigProblem[];
}

/** Every problem of the config directory; the message lists them all, one per line. */
export class ConfigError extends UserError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      problems.length === 1
        ? `config: ${formatProblem(problems[0]!)}`
        : `config has ${problems.length} problems:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
    );
  }
}

/** Paths in messages are relative to the working directory when that is shorter, as editors and terminals link them. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Problems of one file with their lines, in the order of the file (as an editor shows them). */
function located(source: YamlSource, problems: PathProblem[]): ConfigProblem[] {
  return problems
    .map((p) => ({
      file: source.file,
      line: source.lineOf(p.path),
      path: p.path.length > 0 ? printable(formatPath(p.path)) : '',
      message: printable(p.message),
    }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Parses and validates one file against its schema; problems carry lines. */
function validate<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
): { value?: z.output<S>; source: YamlSource; problems: ConfigProblem[] } {
  const source = new YamlSource(displayPath(file), text);
  if (source.syntaxProblems.length > 0) return { source, problems: source.syntaxProblems };
  if (source.data === null || source.data === undefined)
    return { source, problems: [{ file: source.file, line: 1, path: '', message: 'the file is empty' }] };
  const parsed = schema.safeParse(source.data, { reportInput: true });
  if (!parsed.success) return { source, problems: located(source, issuesToProblems(parsed.error, schema)) };
  return { value: parsed.data, source, problems: [] };
}

function toOrgConfig(raw: RawOrg): OrgConfig {
  return {
    id: raw.id,
    genesys: {
      ...(raw.genesys.region !== undefined ? { region: raw.genesys.region.trim().toLowerCase() } : {}),
      ...(raw.genesys.apiBaseUrl !== undefined ? { apiBaseUrl: raw.genesys.apiBaseUrl } : {}),
      clientId: raw.genesys.clientId.trim(),
      clientSecretEnv: raw.genesys.clientSecretEnv,
      requestsPerMinute: raw.genesys.requestsPerMinute,
    },
    ...(raw.okta
      ? {
          okta: {
            orgUrl: raw.okta.orgUrl,
            ...(raw.okta.apiTokenEnv !== undefined ? { apiTokenEnv: raw.okta.apiTokenEnv } : {}),
            ...(raw.okta.oauth !== undefined ? { oauth: stripUndefined(raw.okta.oauth) } : {}),
            ...(raw.okta.genesysAppId !== undefined ? { genesysAppId: raw.okta.genesysAppId } : {}),
          },
        }
      : {}),
    ...(raw.billing ? { billing: { ...raw.billing } } : {}),
  };
}

export function parseOrgs(file: string, text: string): { orgs: Map<string, OrgConfig>; problems: ConfigProblem[] } {
  const { value, source, problems } = validate(file, text, orgsFileSchema);
  const orgs = new Map<string, OrgConfig>();
  if (!value) return { orgs, problems };
  const pathProblems: PathProblem[] = [];
  value.orgs.forEach((raw, i) => {
    if (orgs.has(raw.id)) pathProblems.push({ path: ['orgs', i, 'id'], message: `org "${raw.id}" is listed twice` });
    else orgs.set(raw.id, toOrgConfig(raw));
  });
  return { orgs, problems: located(source, pathProblems) };
}

export function parseSeason(
  file: string,
  text: string,
  orgs: ReadonlyMap<string, OrgConfig>,
): { season?: SeasonConfig; problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const { value, source, problems } = validate(file, text, seasonFileSchema);
  if (!value) return { problems, warnings: [] };
  const extra: PathProblem[] = [];
  if (orgs.size > 0 && !orgs.has(value.org)) {
    extra.push({
      path: ['org'],
      message: `no org "${value.org}" in orgs.yaml${didYouMean(closestNames(value.org, [...orgs.keys()]))} (known: ${[...orgs.keys()].join(', ')})`,
    });
  }
  const checked = checkSeason(value, orgs);
  const base = path.basename(file).replace(/\.ya?ml$/, '');
  const warnings = [...checked.warnings];
  if (base !== value.id)
    warnings.push({ path: ['id'], message: `the season id "${value.id}" differs from the file name "${base}"` });
  const all = [...extra, ...checked.problems];
  return {
    ...(all.length === 0 && checked.season ? { season: checked.season } : {}),
    problems: located(source, all),
    warnings: located(source, warnings),
  };
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Loads `<dir>/orgs.yaml` and `<dir>/seasons/*.yaml`. Throws a ConfigError listing every problem found. */
export function loadConfig(dir: string): LoadedConfig {
  const root = path.resolve(dir);
  const orgsFile = ['orgs.yaml', 'orgs.yml'].map((f) => path.join(root, f)).find((f) => existsSync(f));
  if (!orgsFile)
    throw new UserError(`no orgs.yaml in ${displayPath(root)} (use --config <dir> to point at your config directory)`);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const orgsResult = parseOrgs(orgsFile, readFileSync(orgsFile, 'utf8'));
  problems.push(...orgsResult.problems);

  const seasons = new Map<string, SeasonConfig>();
  const seasonFile = new Map<string, string>();
  for (const file of yamlFiles(path.join(root, 'seasons'))) {
    const result = parseSeason(file, readFileSync(file, 'utf8'), orgsResult.orgs);
    problems.push(...result.problems);
    warnings.push(...result.warnings);
    if (!result.season) continue;
    const earlier = seasonFile.get(result.season.id);
    if (earlier) {
      problems.push({
        file: displayPath(file),
        path: 'id',
        message: `season "${result.season.id}" is also defined in ${earlier}`,
      });
      continue;
    }
    seasons.set(result.season.id, result.season);
    seasonFile.set(result.season.id, displayPath(file));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { dir: root, orgs: orgsResult.orgs, seasons, warnings };
}

export function findSeason(config: LoadedConfig, seasonId: string): { season: SeasonConfig; org: OrgConfig } {
  const season = config.seasons.get(seasonId);
  if (!season) {
    const known = [...config.seasons.keys()];
    throw new UserError(
      `no season "${seasonId}" in ${displayPath(path.join(config.dir, 'seasons'))}${didYouMean(closestNames(seasonId, known))}` +
        (known.length > 0 ? ` (known: ${known.join(', ')})` : ''),
    );
  }
  const org = config.orgs.get(season.orgId);
  if (!org) throw new UserError(`season ${seasonId} names org "${season.orgId}", which orgs.yaml does not define`);
  return { season, org };
}

function readSecret(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new UserError(`environment variable ${name} is not set: it must hold ${what}`);
  return value.trim();
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The org's Okta credentials from the environment (or the key file orgs.yaml names). Undefined when the variable is
 * not set and the caller can do without Okta; a key that is set but unusable is always an error.
 */
function oktaConnection(
  orgId: string,
  okta: NonNullable<OrgConfig['okta']>,
  env: NodeJS.ProcessEnv,
  required: boolean,
): OktaConnection | undefined {
  if (okta.apiTokenEnv !== undefined) {
    const name = okta.apiTokenEnv;
    const token = env[name];
    const what = `the Okta API token of org ${orgId} (apiTokenEnv in orgs.yaml)`;
    if (token === undefined || token.trim() === '') {
      if (required) readSecret(env, name, what);
      return undefined;
    }
    return { orgUrl: okta.orgUrl, apiToken: token.trim(), credentialSource: `the API token of org ${orgId} (${name})` };
  }
  const app = okta.oauth!;
  let pem: string | undefined;
  let from: string;
  if (app.privateKeyEnv !== undefined) {
    from = app.privateKeyEnv;
    pem = env[app.privateKeyEnv];
    if (pem === undefined || pem.trim() === '') {
      if (required)
        readSecret(
          env,
          app.privateKeyEnv,
          `the PEM private key of org ${orgId}'s Okta service app (oauth.privateKeyEnv)`,
        );
      return undefined;
    }
  } else {
    from = app.privateKeyFile!;
    try {
      pem = readFileSync(app.privateKeyFile!, 'utf8');
    } catch (err) {
      throw new UserError(
        `org ${orgId}: cannot read the Okta service app's private key file ${app.privateKeyFile} (oauth.privateKeyFile): ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
  }
  try {
    parseServiceAppKey(pem);
  } catch (err) {
    // Node's parse errors name the format problem, never the key's content.
    throw new UserError(
      `org ${orgId}: the Okta service app's private key (${from}) is not a usable PEM private key: ${(err as Error).message}`,
    );
  }
  return {
    orgUrl: okta.orgUrl,
    oauth: { clientId: app.clientId, privateKey: pem, ...(app.keyId !== undefined ? { keyId: app.keyId } : {}) },
    credentialSource: `the service app ${app.clientId} of org ${orgId} (key from ${from})`,
  };
}

/**
 * The org's live connection: URLs from the region (or the emulator's base URL) and secrets from the environment.
 * Okta is included when the org configures it and its token variable is set; `requireOkta` makes it mandatory.
 */
export function orgConnection(
  org: OrgConfig,
  options: { env?: NodeJS.ProcessEnv; requireOkta?: boolean } = {},
): OrgConnection {
  const env = options.env ?? process.env;
  const urls = resolveGenesysBaseUrls({ region: org.genesys.region, apiBaseUrl: org.genesys.apiBaseUrl });
  const connection: OrgConnection = {
    orgId: org.id,
    genesys: {
      ...urls,
      clientId: org.genesys.clientId,
      clientSecret: readSecret(
        env,
        org.genesys.clientSecretEnv,
        `the Genesys OAuth client secret of org ${org.id} (clientSecretEnv in orgs.yaml)`,
      ),
      requestsPerMinute: org.genesys.requestsPerMinute,
    },
  };
  if (org.okta) {
    const okta = oktaConnection(org.id, org.okta, env, options.requireOkta === true);
    if (okta) connection.okta = okta;
  } else if (options.requireOkta) {
    throw new UserError(`org ${org.id} has no okta section in orgs.yaml, and this command needs Okta`);
  }
  return connection;
}
