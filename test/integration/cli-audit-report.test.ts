// audit and report through the real CLI process: drift made by hand in the Genesys emulator is found, and
// --fix repairs it through the workflows; the report proves which seasonal users still hold a license.
import { ROSTER_COLUMNS } from '../../config/load-roster';
import { GenesysClient } from '../../integrations/genesys';
import {
  agentState,
  CliEnv,
  countIn,
  eventually,
  expectNoStackTrace,
  ORG,
  seasonYaml,
  startCliEnv,
} from './cli-harness';

let env: CliEnv;
const HEADER = ROSTER_COLUMNS.join(',');

beforeAll(async () => {
  env = await startCliEnv('cli-audit');
});
afterAll(async () => {
  await env?.close();
});

function row(id: string, group = 'Retail-Holiday-Agents'): string {
  return `${id},${id}@retail.example,${id}@retail.example,Given,Family,,${group}`;
}

async function activeCount(season: string): Promise<number> {
  return countIn(env.client, season, 'Active');
}

function genesysAdmin(): GenesysClient {
  return new GenesysClient({
    apiBaseUrl: env.genesys.url,
    loginBaseUrl: env.genesys.url,
    clientId: 'retail-us-provisioner',
    clientSecret: 'emulator-retail-us-secret',
  });
}

interface AuditJson {
  drift: Array<{ oktaUserId: string; kind: string; detail: string; fix: string; info: boolean }>;
  fixes: Array<{ oktaUserId: string; action: string; ok: boolean; detail: string }>;
  remaining: number;
}

describe('season audit', () => {
  const season = 'audit-season';
  const agent = '00uaudit0000000001';

  beforeAll(async () => {
    env.writeSeason(season, seasonYaml(season));
    const roster = env.writeFile('rosters/audit.csv', [HEADER, row(agent), row('00uaudit0000000002')].join('\n'));
    expect((await env.cli(['start', season, '--roster', roster])).code).toBe(0);
    await eventually(async () => ((await activeCount(season)) === 2 ? true : undefined), 'two active agents');
  });

  it('finds nothing to report on a season as the workflows made it (besides Okta members not started)', async () => {
    const result = await env.cli(['--json', 'audit', season]);
    const audit = JSON.parse(result.stdout) as AuditJson;
    // The Okta fixture's season members were never started in this season: what the hooks would have missed.
    expect(audit.drift.map((d) => [d.oktaUserId, d.kind])).toEqual([
      ['00uretailagent0001a7', 'not-started'],
      ['00uretailagent0002a7', 'not-started'],
      ['00uretailsuper0001a7', 'not-started'],
    ]);
    expect(result.stderr).toContain("note: Genesys's user search shows users made or changed in the last seconds late");
    expect(result.code).toBe(1);
  });

  it('catches a grant added by hand and a user without a workflow; --fix removes the grant through the workflow and starts the missing workflows', async () => {
    const inspect = env.genesys.inspect(ORG);
    const user = inspect.users.find((u) => u.externalId === agent)!;
    const trainer = inspect.roles.find((r) => r.name === 'Trainer')!;
    const qa = inspect.divisions.find((d) => d.name === 'Quality Assurance')!;
    env.genesys.addGrantByHand(ORG, user.id, trainer.id, qa.id);
    // Someone created the Okta member's Genesys user by hand, with the provisioner's marker, outside any workflow.
    const byHand = await genesysAdmin().createUser({
      userName: 'ava.lindqvist@retail.example.com',
      givenName: 'Ava',
      familyName: 'Lindqvist',
      email: 'ava.lindqvist@retail.example.com',
      externalId: '00uretailagent0001a7',
      homeDivisionName: 'Home',
    });
    // Genesys's search shows a new user late (the emulator's production-faithful lag): the audit sees what search
    // shows, so wait for that condition, read through the same search the audit makes.
    await eventually(
      async () => ((await genesysAdmin().findUsersByExternalId('00uretailagent0001a7')).length > 0 ? true : undefined),
      "the hand-made user in Genesys's search",
    );

    const found = await env.cli(['--json', 'audit', season]);
    expect(found.code).toBe(1);
    const audit = JSON.parse(found.stdout) as AuditJson;
    expect(audit.drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          oktaUserId: agent,
          kind: 'grant-added-by-hand',
          detail: 'not given by the mapping: Trainer @ Quality Assurance',
          fix: 'reconcile',
        }),
        expect.objectContaining({ oktaUserId: '00uretailagent0001a7', kind: 'user-without-workflow', fix: 'start' }),
      ]),
    );
    const human = await env.cli(['audit', season]);
    expect(human.stdout).toContain(
      `drift ${agent} grant-added-by-hand: not given by the mapping: Trainer @ Quality Assurance (--fix: reconcile)`,
    );
    expectNoStackTrace(human.stderr);

    const fixed = await env.cli(['--json', 'audit', season, '--fix']);
    const fixes = (JSON.parse(fixed.stdout) as AuditJson).fixes;
    expect(fixes).toEqual(
      expect.arrayContaining([
        { oktaUserId: agent, action: 'reconcile', ok: true, detail: '+0 / −1 grants' },
        { oktaUserId: '00uretailagent0001a7', action: 'start', ok: true, detail: 'started' },
      ]),
    );
    expect(fixed.code).toBe(0);
    const grants = env.genesys
      .inspect(ORG)
      .users.find((u) => u.id === user.id)!
      .grants.map((g) => `${g.roleName} @ ${g.divisionName}`);
    expect(grants).not.toContain('Trainer @ Quality Assurance');
    expect(grants).toContain('Seasonal Agents @ Holiday Overflow');

    // The started workflow adopted the hand-made user rather than creating a second one.
    const state = await eventually(async () => {
      const s = await agentState(env.client, '00uretailagent0001a7');
      return s.phase === 'Active' ? s : undefined;
    }, 'the adopted agent active');
    expect(state.genesysUserId).toBe(byHand.id);
    expect(env.genesys.inspect(ORG).users.filter((u) => u.externalId === '00uretailagent0001a7')).toHaveLength(1);

    await eventually(async () => ((await env.cli(['audit', season])).code === 0 ? true : undefined), 'a clean audit');
  });
});

describe('season report', () => {
  it('counts per org and season and names the seasonal users still holding a license, as table, CSV and JSON', async () => {
    const season = 'report-season';
    // Voice agents join a queue; a kept user (never deleted) is taken out of it at teardown.
    env.writeSeason(
      season,
      seasonYaml(season)
        .replace('deleteAfterDays: 0', 'deleteAfterDays: never')
        .replace(
          '      - role: Voice Agent\n        divisions: [Holiday Overflow]\n',
          '      - role: Voice Agent\n        divisions: [Holiday Overflow]\n    queues: [Holiday Voice]\n',
        ),
    );
    const ids = ['00ureport000000001', '00ureport000000002', '00ureport000000003'];
    const roster = env.writeFile('rosters/report.csv', [HEADER, ...ids.map((id) => row(id))].join('\n'));
    expect((await env.cli(['start', season, '--roster', roster])).code).toBe(0);
    await eventually(async () => ((await activeCount(season)) === 3 ? true : undefined), 'three active agents');
    expect((await env.cli(['offboard', season, ids[0]!, ids[1]!, '--yes', '--wait'])).code).toBe(0);
    // Someone reactivates an offboarded agent's user by hand: a license paid for nobody.
    const leftover = env.genesys.inspect(ORG).users.find((u) => u.externalId === ids[0])!;
    expect(leftover.active).toBe(false);
    await genesysAdmin().setUserActive(leftover.id, true);
    // … and puts it back in the voice queue.
    env.genesys.addToQueueByHand(ORG, leftover.id, 'Holiday Voice');

    const json = await env.cli(['report', season, '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { seasons: Array<Record<string, unknown>> };
    expect(report.seasons).toEqual([
      {
        orgId: ORG,
        seasonId: season,
        agents: 3,
        provisioned: 3,
        active: 1,
        needsAttention: 0,
        deprovisioned: 2,
        failed: 0,
        licensesHeld: 2,
        leftoverLicenses: [{ oktaUserId: ids[0], genesysUserId: leftover.id, why: 'offboarded' }],
        // The agent at work, and the offboarded one put back by hand (read from the queue's member list).
        inQueues: 2,
        leftInQueues: [{ oktaUserId: ids[0], genesysUserId: leftover.id }],
        unreadable: 0,
        // Nobody logged in; the org has no billing section (season-costs.test.ts covers both).
        costs: expect.objectContaining({
          readiness: expect.objectContaining({ agents: 3, loggedIn: 0, loggedInFirst: [] }),
          dormant: [],
          exposedAfterSeason: [],
        }),
      },
    ]);
    expect(report.seasons[0]!.costs).not.toHaveProperty('billing');
    // The same report through the global flag; the phases over time are sampled up to now, so they move.
    const withoutPhases = (r: { seasons: Array<Record<string, unknown>> }) =>
      r.seasons.map((s) => ({ ...s, costs: { ...(s.costs as object), phases: undefined } }));
    const viaGlobalJson = await env.cli(['--json', 'report', season]);
    expect(withoutPhases(JSON.parse(viaGlobalJson.stdout) as typeof report)).toEqual(withoutPhases(report));

    const csv = await env.cli(['report', season, '--format', 'csv']);
    expect(csv.stdout.trim().split('\n')).toEqual([
      'org,season,agents,provisioned,active,deprovisioned,failed,licenses held,leftover licenses,in queues,left in queues,logged in,logged in first,dormant',
      `${ORG},${season},3,3,1,2,0,2,1,2,1,0,0,0`,
    ]);
    const table = await env.cli(['report', season]);
    expect(table.stdout).toContain(
      `leftover license: ${season} agent ${ids[0]} → Genesys user ${leftover.id} (offboarded)`,
    );
    expect(table.stdout).toContain(`left in a queue: ${season} agent ${ids[0]} → Genesys user ${leftover.id}`);
    // The other offboarded agent was taken out of the queue by its workflow.
    const second = env.genesys.inspect(ORG).users.find((u) => u.externalId === ids[1])!;
    expect(env.genesys.inspect(ORG).queues.find((q) => q.name === 'Holiday Voice')!.memberIds).not.toContain(second.id);
  });
});

describe('season audit: skills, languages and queues', () => {
  it('reports a mapped skill and a queue membership changed by hand; --fix sets them again through the workflow', async () => {
    const season = 'audit-routing';
    const agent = '00uauditrouting001';
    env.writeSeason(
      season,
      seasonYaml(season, {
        mappingYaml: `  - group: Retail-Holiday-Agents
    homeDivision: Holiday Overflow
    roles:
      - role: Voice Agent
        divisions: [Holiday Overflow]
    skills:
      - { name: Store Orders, proficiency: 2 }
    languages:
      - { name: English, proficiency: 5 }
    queues: [Store Support]
`,
      }),
    );
    const roster = env.writeFile('rosters/audit-routing.csv', [HEADER, row(agent)].join('\n'));
    expect((await env.cli(['start', season, '--roster', roster])).code).toBe(0);
    const state = await eventually(async () => {
      const s = await agentState(env.client, agent);
      return s.phase === 'Active' ? s : undefined;
    }, 'the agent active');
    const userId = state.genesysUserId!;
    const queueId = env.genesys.inspect(ORG).queues.find((q) => q.name === 'Store Support')!.id;

    // An admin lowers the mapped skill, adds one of their own, and takes the agent out of the queue.
    const admin = genesysAdmin();
    await admin.setUserRouting(userId, {
      skills: [
        { name: 'Store Orders', proficiency: 1 },
        { name: 'Gift Cards', proficiency: 4 },
      ],
      languages: [{ name: 'English', proficiency: 5 }],
    });
    await admin.removeQueueMembers(queueId, [userId]);

    const audit = JSON.parse((await env.cli(['--json', 'audit', season])).stdout) as AuditJson;
    const mine = audit.drift.filter((d) => d.oktaUserId === agent);
    expect(mine.map((d) => [d.kind, d.info])).toEqual([
      ['queue-missing', false],
      ['routing-added-by-hand', true],
      ['routing-missing', false],
    ]);
    expect(mine.find((d) => d.kind === 'routing-missing')!.detail).toContain('Store Orders 2');
    expect(mine.find((d) => d.kind === 'queue-missing')!.detail).toContain('Store Support');

    const fixed = JSON.parse((await env.cli(['--json', 'audit', season, '--fix'])).stdout) as AuditJson;
    expect(fixed.fixes).toContainEqual({
      oktaUserId: agent,
      action: 'reconcile',
      ok: true,
      detail: '+2 / −0 grants, routing and queues',
    });
    const user = env.genesys.inspect(ORG).users.find((u) => u.id === userId)!;
    expect(user.routingSkills).toEqual([
      { name: 'Gift Cards', proficiency: 4 },
      { name: 'Store Orders', proficiency: 2 },
    ]);
    expect(user.queues).toEqual(['Store Support']);
    const again = JSON.parse((await env.cli(['--json', 'audit', season])).stdout) as AuditJson;
    expect(again.drift.filter((d) => d.oktaUserId === agent && !d.info)).toEqual([]);
  });
});
