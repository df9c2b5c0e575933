import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, findSeason, loadConfig, orgConnection, parseOrgs, parseSeason } from '../../config/load';
import type { OrgConfig } from '../../config/types';
import { UserError } from '../../platform/errors';

const REPO_CONFIG = path.resolve(__dirname, '../../config');

const ORGS = `orgs:
  - id: retail-us
    genesys:
      region: mypurecloud.com
      clientId: retail-us-provisioner
      clientSecretEnv: RETAIL_SECRET
    okta:
      orgUrl: https://retail.okta.com
      apiTokenEnv: OKTA_TOKEN
  - id: emu
    genesys:
      apiBaseUrl: http://127.0.0.1:9999/
      clientId: emu-client
      clientSecretEnv: EMU_SECRET
      requestsPerMinute: 600
`;

function orgsMap(): Map<string, OrgConfig> {
  const { orgs, problems } = parseOrgs('orgs.yaml', ORGS);
  expect(problems).toEqual([]);
  return orgs;
}

const SEASON = `id: s1
org: retail-us
start: 2026-11-16 08:00
end: "2027-01-11T20:00"
timeZone: America/New_York
mapping:
  - group: Retail-Holiday-Agents
    homeDivision: Holiday Overflow
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow]
`;

describe('the example config in config/', () => {
  it('loads, with the retail holiday season mapping the three Okta season groups', () => {
    const config = loadConfig(REPO_CONFIG);
    const { season, org } = findSeason(config, 'retail-holiday-2026');
    expect(org.id).toBe('retail-us');
    expect(season.mapping.rules.map((r) => r.group)).toEqual([
      'Retail-Holiday-Agents',
      'Retail-Holiday-Chat',
      'Retail-Holiday-Supervisors',
    ]);
    expect(season.startsAt).toBe('2026-11-16T13:00:00.000Z');
    expect(season.endsAt).toBe('2027-01-12T01:00:00.000Z');
    expect(season.policy).toEqual({
      deactivate: true,
      removeGrants: true,
      deleteAfterMs: 30 * 86_400_000,
      removeFromOktaGroups: true,
      deactivateOktaUser: false,
    });
    expect(season.mapping.rules[2]!.roles.find((r) => r.role === 'Workforce Viewer')!.divisions).toEqual(['*']);
    // Day-one routing: skills and languages with proficiency, and queues, per group.
    expect(season.mapping.rules[0]).toMatchObject({
      skills: [
        { name: 'Store Orders', proficiency: 2 },
        { name: 'Returns', proficiency: 3 },
      ],
      languages: [{ name: 'English', proficiency: 5 }],
      queues: ['Holiday Voice', 'Returns & Exchanges'],
    });
    expect(season.mapping.rules[1]!.queues).toEqual(['Holiday Chat']);
    expect(config.warnings).toEqual([]);
  });
});

describe('routing keys of a mapping rule', () => {
  const withRouting = (routing: string) => `${SEASON}${routing}`;

  it('reads queues, skills and languages (names trimmed)', () => {
    const { season, problems } = parseSeason(
      's1.yaml',
      withRouting(`    skills: [{ name: " Returns ", proficiency: 3 }]
    queues: [" Holiday Voice ", Holiday Chat]
`),
      orgsMap(),
    );
    expect(problems).toEqual([]);
    expect(season!.mapping.rules[0]).toMatchObject({
      skills: [{ name: 'Returns', proficiency: 3 }],
      queues: ['Holiday Voice', 'Holiday Chat'],
    });
  });

  it('refuses a name listed twice, a proficiency outside 0–5, an empty queue name and a misspelt key', () => {
    const { problems } = parseSeason(
      's1.yaml',
      withRouting(`    skills: [{ name: Returns, proficiency: 3 }, { name: Returns, proficiency: 6 }]
    queues: [Holiday Voice, Holiday Voice, ""]
`),
      orgsMap(),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^mapping\[0\]\.skills\[1\]\.proficiency: /),
      expect.stringMatching(/^mapping\[0\]\.queues\[2\]: must not be empty/),
    ]);
    const twice = parseSeason(
      's1.yaml',
      withRouting(`    skills: [{ name: Returns, proficiency: 3 }, { name: Returns, proficiency: 4 }]
    queues: [Holiday Voice, Holiday Voice]
`),
      orgsMap(),
    );
    expect(twice.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'mapping[0].skills[1]: "Returns" is already listed in skills',
      'mapping[0].queues[1]: "Holiday Voice" is already listed in queues',
    ]);
    const misspelt = parseSeason('s1.yaml', withRouting(`    queue: [Holiday Voice]\n`), orgsMap());
    expect(misspelt.problems.map((p) => p.message).join('\n')).toMatch(/queue/);
  });
});

describe('orgs.yaml', () => {
  it('defaults the request budget to 300 per minute and keeps a custom base URL', () => {
    const orgs = orgsMap();
    expect(orgs.get('retail-us')!.genesys.requestsPerMinute).toBe(300);
    expect(orgs.get('emu')!.genesys).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:9999/', requestsPerMinute: 600 });
  });

  it('refuses a secret written in the file, and a misspelt region with the closest one', () => {
    const text = ORGS.replace('clientSecretEnv: RETAIL_SECRET', 'clientSecret: hunter2').replace(
      'mypurecloud.com',
      'mypurecloud.co',
    );
    const { problems } = parseOrgs('orgs.yaml', text);
    expect(problems.map((p) => `${p.line}: ${p.path}: ${p.message}`)).toEqual([
      '3: orgs[0].genesys.clientSecretEnv: is required',
      '4: orgs[0].genesys.region: is not a Genesys Cloud region domain — did you mean "mypurecloud.com" or "mypurecloud.de"?',
      expect.stringMatching(
        /^6: orgs\[0\]\.genesys\.clientSecret: unknown key "clientSecret": secrets never go in config files/,
      ),
    ]);
    expect(problems.map((p) => p.message).join('\n')).not.toContain('hunter2');
  });

  it('needs exactly one of region and apiBaseUrl', () => {
    const { problems } = parseOrgs('orgs.yaml', ORGS.replace('      region: mypurecloud.com\n', ''));
    expect(problems).toEqual([
      expect.objectContaining({
        line: 3,
        path: 'orgs[0].genesys',
        message: expect.stringContaining('give either region'),
      }),
    ]);
  });
});

describe('a season file', () => {
  it('converts local times in the season time zone to instants, across a DST change', () => {
    const summer = parseSeason('s1.yaml', SEASON.replace('2026-11-16 08:00', '2026-07-01 08:00'), orgsMap());
    expect(summer.season!.startsAt).toBe('2026-07-01T12:00:00.000Z');
    expect(summer.season!.endsAt).toBe('2027-01-12T01:00:00.000Z');
  });

  it('refuses a local time the clocks skip', () => {
    const { problems } = parseSeason('s1.yaml', SEASON.replace('2026-11-16 08:00', '2027-03-14 02:30'), orgsMap());
    expect(problems).toEqual([
      expect.objectContaining({
        line: 3,
        path: 'start',
        message: expect.stringContaining('does not exist in America/New_York'),
      }),
    ]);
  });

  it('reports every problem at once, each with file, line and path in plain words', () => {
    const text = `id: s1
org: retail-usa
start: 2026-11-16 08:00
end: 2026-11-20 08:00
timeZone: America/NewYork
deprovision:
  deactivate: yes
  deleteAfterDays: forever
mapping:
  - group: A
    homeDivison: Home
    roles:
      - role: X
        divisions: []
`;
    const { problems } = parseSeason('seasons/s1.yaml', text, orgsMap());
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.path}: ${p.message}`)).toEqual([
      'seasons/s1.yaml:5: timeZone: is not an IANA time zone (like America/New_York or Europe/Paris)',
      'seasons/s1.yaml:7: deprovision.deactivate: must be true or false, but is the text "yes"',
      'seasons/s1.yaml:8: deprovision.deleteAfterDays: must be a number of days (0 = at once) or "never"',
      'seasons/s1.yaml:11: mapping[0].homeDivison: unknown key "homeDivison" — did you mean "homeDivision"?',
      'seasons/s1.yaml:14: mapping[0].roles[0].divisions: must name at least one division (or "*" for all)',
    ]);
  });

  it('checks what the schema cannot: unknown org, end before start, groups mapped twice, Okta policy without Okta', () => {
    const text = `id: s1
org: emu
start: 2026-11-16 08:00
end: 2026-11-15 08:00
timeZone: Europe/Paris
mapping:
  - group: A
    roles: [{ role: X, divisions: "*" }]
  - group: A
    roles: [{ role: Y, divisions: [Home] }, { role: Y, divisions: [Other] }]
`;
    const { problems } = parseSeason('s1.yaml', text, orgsMap());
    expect(problems.map((p) => `${p.line}: ${p.path}: ${p.message}`)).toEqual([
      // Not written in the file: the default applies, so the problem points at the top of the file.
      expect.stringMatching(
        /^1: deprovision.removeFromOktaGroups: org emu has no okta section.*\(true is the default\)/,
      ),
      '4: end: must be after start (2026-11-16 08:00 Europe/Paris)',
      '9: mapping[1].group: group "A" is already mapped at mapping[0]; merge the two entries',
      '10: mapping[1].roles[1].role: role "Y" is already listed at roles[0]; list all its divisions there',
    ]);
    const unknownOrg = parseSeason('s1.yaml', SEASON.replace('org: retail-us', 'org: retail-usa'), orgsMap());
    expect(unknownOrg.problems.map((p) => p.message)).toEqual([
      'no org "retail-usa" in orgs.yaml — did you mean "retail-us"? (known: retail-us, emu)',
    ]);
  });

  it('warns about home divisions decided only by file order, and keeps "never" as no deletion', () => {
    const text = `${SEASON}  - group: Retail-Holiday-Chat
    homeDivision: E-Commerce
    roles: [{ role: Chat Agent, divisions: [E-Commerce] }]
deprovision:
  deleteAfterDays: never
`;
    const result = parseSeason('s1.yaml', text, orgsMap());
    expect(result.problems).toEqual([]);
    expect(result.season!.policy.deleteAfterMs).toBeNull();
    expect(result.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining(
        'groups "Retail-Holiday-Agents" and "Retail-Holiday-Chat" name different home divisions at the same priority 0',
      ),
    ]);
  });

  it('names a YAML syntax error by line', () => {
    const { problems } = parseSeason('s1.yaml', 'id: s1\norg: [retail-us\n', orgsMap());
    expect(problems[0]).toMatchObject({
      file: 's1.yaml',
      line: expect.any(Number),
      message: expect.stringMatching(/^not valid YAML/),
    });
  });
});

describe('loadConfig', () => {
  function dirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'season-config-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  it('throws one ConfigError listing the problems of every file', () => {
    const dir = dirWith({
      'orgs.yaml': ORGS,
      'seasons/s1.yaml': SEASON.replace('group:', 'grup:'),
      'seasons/s2.yaml': SEASON.replace('id: s1', 'id: S 2'),
    });
    let caught: unknown;
    try {
      loadConfig(dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toBeInstanceOf(UserError);
    const problems = (caught as ConfigError).problems;
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.path}`)).toEqual([
      's1.yaml:7: mapping[0].group',
      's1.yaml:7: mapping[0].grup',
      's2.yaml:1: id',
    ]);
    expect((caught as Error).message).toMatch(/^config has 3 problems:\n {2}/);
  });

  it('tells which directory lacks orgs.yaml, and suggests a season id', () => {
    expect(() => loadConfig(dirWith({}))).toThrow(/no orgs\.yaml in .*--config/);
    const config = loadConfig(dirWith({ 'orgs.yaml': ORGS, 'seasons/s1.yaml': SEASON }));
    expect(() => findSeason(config, 's2')).toThrow('no season "s2"');
    expect(() => findSeason(config, 'S1')).toThrow(/did you mean "s1"/);
  });
});

describe('orgConnection', () => {
  it('reads secrets from the environment at run time and derives region URLs', () => {
    const orgs = orgsMap();
    const conn = orgConnection(orgs.get('retail-us')!, { env: { RETAIL_SECRET: 's3cret', OKTA_TOKEN: 'tok' } });
    expect(conn).toEqual({
      orgId: 'retail-us',
      genesys: {
        apiBaseUrl: 'https://api.mypurecloud.com',
        loginBaseUrl: 'https://login.mypurecloud.com',
        clientId: 'retail-us-provisioner',
        clientSecret: 's3cret',
        requestsPerMinute: 300,
      },
      okta: {
        orgUrl: 'https://retail.okta.com',
        apiToken: 'tok',
        credentialSource: 'the API token of org retail-us (OKTA_TOKEN)',
      },
    });
    const emu = orgConnection(orgs.get('emu')!, { env: { EMU_SECRET: 'x' } });
    expect(emu.genesys).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:9999', loginBaseUrl: 'http://127.0.0.1:9999' });
  });

  it('names the missing variable, never a value', () => {
    const orgs = orgsMap();
    expect(() => orgConnection(orgs.get('retail-us')!, { env: {} })).toThrow(
      'environment variable RETAIL_SECRET is not set',
    );
    expect(() => orgConnection(orgs.get('retail-us')!, { env: { RETAIL_SECRET: 'x' }, requireOkta: true })).toThrow(
      'environment variable OKTA_TOKEN is not set',
    );
    expect(() => orgConnection(orgs.get('emu')!, { env: { EMU_SECRET: 'x' }, requireOkta: true })).toThrow(
      'org emu has no okta section',
    );
  });
});
