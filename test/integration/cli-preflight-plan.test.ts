// preflight and plan through the real CLI process, against the Genesys and Okta emulators and the dev server.
import { ROSTER_COLUMNS } from '../../config/load-roster';
import { CliEnv, expectNoStackTrace, ORG, seasonYaml, startCliEnv } from './cli-harness';

let env: CliEnv;
const SEASON = 'holiday-plan';

beforeAll(async () => {
  env = await startCliEnv('cli-plan');
  env.writeSeason(SEASON, seasonYaml(SEASON));
});
afterAll(async () => {
  await env?.close();
});

const HEADER = ROSTER_COLUMNS.join(',');

describe('season preflight', () => {
  it('passes for a season whose names all exist, and its --json parses with the resolved ids', async () => {
    const human = await env.cli(['preflight', SEASON]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`preflight ${SEASON} on ${ORG}: OK — 4 roles, 3 divisions, 3 Okta groups resolved`);

    const machine = await env.cli(['--json', 'preflight', SEASON]);
    expect(machine.code).toBe(0);
    const report = JSON.parse(machine.stdout) as { ok: boolean; resolved: { roles: Record<string, string> } };
    expect(report.ok).toBe(true);
    const seasonal = env.genesys.inspect(ORG).roles.find((r) => r.name === 'Seasonal Agents')!;
    expect(report.resolved.roles['Seasonal Agents']).toBe(seasonal.id);
  });

  it('reports every wrong name at once with the closest real names, exits 1, no stack trace', async () => {
    env.writeSeason(
      'holiday-typos',
      seasonYaml('holiday-typos', {
        mappingYaml: `  - group: Retail-Holiday-Agents
    homeDivision: Holiday overflow
    roles:
      - role: Seasonal Agent
        divisions: [Holiday Overflow, Returns and Exchanges]
  - group: Retail Holiday Chat
    roles:
      - role: chat agent
        divisions: [ECommerce]
`,
      }),
    );
    const result = await env.cli(['preflight', 'holiday-typos']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'preflight holiday-typos on retail-us: 6 problems',
        '  group "Retail-Holiday-Agents": home division "Holiday overflow" not found in org retail-us — did you mean "Holiday Overflow"?',
        '  group "Retail-Holiday-Agents": role "Seasonal Agent" not found in org retail-us — did you mean "Seasonal Agents"?',
        '  group "Retail-Holiday-Agents": division "Returns and Exchanges" not found in org retail-us — did you mean "Returns & Exchanges"?',
        '  group "Retail Holiday Chat": Okta group "Retail Holiday Chat" not found in Okta — did you mean "Retail-Holiday-Chat"?',
        '  group "Retail Holiday Chat": role "chat agent" not found in org retail-us — did you mean "Chat Agent"?',
        '  group "Retail Holiday Chat": division "ECommerce" not found in org retail-us — did you mean "E-Commerce"?',
      ]),
    );
    expectNoStackTrace(result.stdout + result.stderr);
    // start refuses while preflight fails, and starts nothing.
    const roster = env.writeFile(
      'rosters/typos.csv',
      `${HEADER}\n00utypos0000000001,typo1@retail.example,typo1@retail.example,T,One,,Retail-Holiday-Agents\n`,
    );
    const start = await env.cli(['start', 'holiday-typos', '--roster', roster]);
    expect(start.code).toBe(1);
    expect(start.stderr).toContain('start refused: preflight fails (nothing was started)');
    expect((await env.client.workflow.count('SeasonIds = "holiday-typos"')).count).toBe(0);
  });

  it('names the file, line and path of a config mistake, in one readable error', async () => {
    env.writeSeason(
      'holiday-broken',
      seasonYaml('holiday-broken')
        .replace('deleteAfterDays: 0', 'deleteAfterDays: soon')
        .replace('homeDivision: E-Commerce', 'homeDivison: E-Commerce'),
    );
    const result = await env.cli(['preflight', SEASON]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: config has 2 problems:\n/);
    expect(result.stderr).toMatch(
      /seasons\/holiday-broken\.yaml:9: deprovision\.deleteAfterDays: must be a number of days \(0 = at once\) or "never"/,
    );
    expect(result.stderr).toMatch(
      /seasons\/holiday-broken\.yaml:\d+: mapping\[1\]\.homeDivison: unknown key "homeDivison" — did you mean "homeDivision"\?/,
    );
    expectNoStackTrace(result.stderr);
    env.writeSeason('holiday-broken', seasonYaml('holiday-broken'));
  });

  it('answers a wrong or missing secret, an unknown season and an unknown option with one line and a non-zero exit', async () => {
    const badSecret = await env.cli(['preflight', SEASON], { TEST_RETAIL_US_SECRET: 'not-the-secret' });
    expect(badSecret.code).toBe(1);
    expect(badSecret.stderr).toMatch(
      /^error: Genesys org retail-us refused the OAuth client credentials \(check genesys.clientId and the secret variable in orgs.yaml\)/,
    );
    expect(badSecret.stderr).not.toContain('not-the-secret');
    const noSecret = await env.cli(['preflight', SEASON], { TEST_RETAIL_US_SECRET: '' });
    expect(noSecret.stderr.trim()).toBe(
      'error: environment variable TEST_RETAIL_US_SECRET is not set: it must hold the Genesys OAuth client secret of org retail-us (clientSecretEnv in orgs.yaml)',
    );
    const unknown = await env.cli(['status', 'holiday-plam']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(
      /^error: no season "holiday-plam" in .*\/seasons — did you mean "holiday-plan"\? \(known: .*holiday-plan.*\)$/,
    );
    const option = await env.cli(['preflight', SEASON, '--bogus']);
    expect(option.code).not.toBe(0);
    expect(option.stderr).toContain("unknown option '--bogus'");
    const namespace = await env.cli(['status', SEASON], { TEMPORAL_NAMESPACE: 'no-such-namespace' });
    expect(namespace.code).toBe(1);
    expect(namespace.stderr).toMatch(/^error: Temporal: .*no-such-namespace/);
    for (const r of [badSecret, noSecret, unknown, option, namespace]) expectNoStackTrace(r.stderr);
  });
});

describe('season plan', () => {
  it('plans a roster: new users, an adopted existing user with its grants left alone, totals and wave time; writes nothing', async () => {
    const roster = env.writeFile(
      'rosters/plan.csv',
      [
        HEADER,
        '00uplan00000000001,plan.one@retail.example,plan.one@retail.example,Plan,One,E1,Retail-Holiday-Agents',
        '00uplan00000000002,plan.two@retail.example,plan.two@retail.example,Plan,Two,,Retail-Holiday-Agents;Retail-Holiday-Chat',
        '00uplan00000000003,dana.permanent@retail-us.example,dana.permanent@retail-us.example,Dana,Permanent,,Retail-Holiday-Supervisors',
      ].join('\n'),
    );
    const before = env.genesys.inspect(ORG).users.length;
    const result = await env.cli(['--json', 'plan', SEASON, '--roster', roster]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      agents: Array<{
        oktaUserId: string;
        action: string;
        homeDivision: string;
        grantsToAdd: Array<{ role: string; division: string }>;
        grantsLeftAlone: unknown[];
        moveHomeFrom?: string;
      }>;
      totals: { create: number; adopt: number; apiCalls: number; grantsToAdd: number };
      estimatedSeconds: number;
    };
    const [one, two, dana] = plan.agents;
    expect(one).toMatchObject({ action: 'create', homeDivision: 'Holiday Overflow' });
    expect(one!.grantsToAdd).toEqual([
      { role: 'Seasonal Agents', division: 'Holiday Overflow' },
      { role: 'Seasonal Agents', division: 'Retail Stores' },
      { role: 'Voice Agent', division: 'Holiday Overflow' },
    ]);
    expect(two).toMatchObject({ action: 'create', homeDivision: 'E-Commerce' });
    expect(dana).toMatchObject({
      action: 'adopt',
      homeDivision: 'Holiday Overflow',
      moveHomeFrom: 'Retail Stores',
      grantsToAdd: [],
    });
    expect(dana!.grantsLeftAlone).toEqual([{ role: 'Supervisor', division: 'Retail Stores' }]);
    expect(plan.totals).toMatchObject({ create: 2, adopt: 1, grantsToAdd: 7 });
    expect(plan.estimatedSeconds).toBeGreaterThan(0);

    expect(env.genesys.inspect(ORG).users.length).toBe(before);
    expect((await env.client.workflow.count(`SeasonIds = "${SEASON}"`)).count).toBe(0);

    const human = await env.cli(['plan', SEASON, '--roster', roster]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /3 agents: 2 new, 1 adopted, 0 already started, 0 not mapped; 7 grants to add, 0 to remove/,
    );
    expect(human.stdout).toMatch(/wave: \d+ Genesys calls at 6000\/min ≈ \d+ s/);
  });

  it('plans from the members of the season Okta groups, leaving out deprovisioned Okta users', async () => {
    const result = await env.cli(['--json', 'plan', SEASON, '--from-okta']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      agents: Array<{ oktaUserId: string; action: string; homeDivision: string }>;
    };
    expect(plan.agents.map((a) => [a.oktaUserId, a.action, a.homeDivision])).toEqual([
      ['00uretailagent0001a7', 'create', 'Holiday Overflow'],
      ['00uretailagent0002a7', 'create', 'E-Commerce'],
      ['00uretailsuper0001a7', 'create', 'Holiday Overflow'],
    ]);
    expect(result.stderr).toContain('Okta user 00uretailagent0005a7: Okta status DEPROVISIONED');
  });
});
