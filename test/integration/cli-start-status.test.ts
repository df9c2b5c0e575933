// start and status through the real CLI process: bad rosters refused by line, --partial, idempotence (a second
// start creates nothing), a wave of 300 started in seconds, and status with its Web UI link.
import { ROSTER_COLUMNS } from '../../config/load-roster';
import {
  agentState,
  CliEnv,
  countIn as countAgents,
  eventually,
  eventuallyInPhase,
  expectNoStackTrace,
  ORG,
  seasonYaml,
  startCliEnv,
} from './cli-harness';

let env: CliEnv;
const HEADER = ROSTER_COLUMNS.join(',');

beforeAll(async () => {
  env = await startCliEnv('cli-start');
});
afterAll(async () => {
  await env?.close();
});

function row(id: string, group = 'Retail-Holiday-Agents'): string {
  return `${id},${id}@retail.example,${id}@retail.example,Given,Family,,${group}`;
}

async function countIn(season: string): Promise<number> {
  return countAgents(env.client, season);
}

describe('season start', () => {
  it('refuses a roster with bad rows, naming each line, and starts nothing; --partial starts the valid rows', async () => {
    const season = 'start-bad-rows';
    env.writeSeason(season, seasonYaml(season));
    const roster = env.writeFile(
      'rosters/bad.csv',
      [
        HEADER,
        row('00ubadrows00000001'),
        '00ubadrows00000002,b2@retail.example,not-an-email,Given,Family,,Retail-Holiday-Agents',
        row('00ubadrows00000003', 'Retail-Holiday-Agent'),
        row('00ubadrows00000001'),
      ].join('\n'),
    );
    const refused = await env.cli(['start', season, '--roster', roster]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('bad.csv:3: email is not a valid email address');
    expect(refused.stderr).toContain(
      'bad.csv:4: none of its groups ("Retail-Holiday-Agent") is mapped by season start-bad-rows — did you mean "Retail-Holiday-Agents"?',
    );
    expect(refused.stderr).toContain('bad.csv:5: oktaUserId 00ubadrows00000001 already appears on line 2');
    expect(refused.stderr).toContain('start refused: 3 bad rows');
    expect(refused.stderr).not.toContain('not-an-email');
    expectNoStackTrace(refused.stderr);
    expect(await countIn(season)).toBe(0);

    const partial = await env.cli(['--json', 'start', season, '--roster', roster, '--partial']);
    expect(partial.code).toBe(0);
    const summary = JSON.parse(partial.stdout) as { started: number; rejected: string[] };
    expect(summary.started).toBe(1);
    expect(summary.rejected).toHaveLength(4);
  });

  it('is idempotent: a second start creates no workflow and no Genesys user', async () => {
    const season = 'start-twice';
    env.writeSeason(season, seasonYaml(season));
    const ids = Array.from({ length: 5 }, (_, i) => `00utwice0000000${i}0`);
    const roster = env.writeFile(
      'rosters/twice.csv',
      [HEADER, ...ids.map((id, i) => row(id, i === 4 ? 'Retail-Holiday-Chat' : 'Retail-Holiday-Agents'))].join('\n'),
    );

    const first = await env.cli(['start', season, '--roster', roster]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`season ${season} (${ORG}) from roster`);
    expect(first.stdout).toContain(
      '5 started, 0 joined from another season, 0 already running, 0 already ended, 0 failed',
    );
    expect(first.stdout).toContain(
      `watch: http://ui.test:8233/namespaces/${env.namespace}/workflows?query=${encodeURIComponent(`SeasonIds = "${season}"`)}`,
    );
    await eventuallyInPhase(env.client, season, 'Active', 5);
    const users = () => env.genesys.inspect(ORG).users.filter((u) => ids.includes(u.externalId ?? ''));
    expect(users()).toHaveLength(5);
    const state = await agentState(env.client, ids[4]!);
    expect(state.homeDivision).toBe('E-Commerce');

    const second = await env.cli(['--json', 'start', season, '--roster', roster]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      started: 0,
      enrolled: 0,
      alreadyRunning: 5,
      alreadyEnded: 0,
      failed: [],
    });
    expect(await countIn(season)).toBe(5);
    expect(users()).toHaveLength(5);
  });

  it('starts from the Okta groups of the season', async () => {
    const season = 'start-okta';
    env.writeSeason(season, seasonYaml(season));
    const result = await env.cli(['--json', 'start', season, '--from-okta']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ started: 3, enrolled: 0, failed: [] });
    await eventuallyInPhase(env.client, season, 'Active', 3);
    const state = await agentState(env.client, '00uretailagent0002a7');
    // In both Agents and Chat: Chat has the higher priority for the home division; grants add up.
    expect(state.homeDivision).toBe('E-Commerce');
    expect(state.grants.map((g) => `${g.role} @ ${g.division}`).sort()).toEqual([
      'Chat Agent @ E-Commerce',
      'Seasonal Agents @ Holiday Overflow',
      'Seasonal Agents @ Retail Stores',
      'Voice Agent @ Holiday Overflow',
    ]);
  });

  it('starts a wave of 300 agents in seconds', async () => {
    const season = 'start-wave';
    env.writeSeason(season, seasonYaml(season));
    const roster = env.writeFile(
      'rosters/wave.csv',
      [HEADER, ...Array.from({ length: 300 }, (_, i) => row(`00uwave${String(i).padStart(11, '0')}`))].join('\n'),
    );
    const t0 = Date.now();
    const result = await env.cli(['--json', 'start', season, '--roster', roster]);
    const seconds = (Date.now() - t0) / 1000;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ started: 300, failed: [] });
    // The process itself (tsx start-up, preflight, 300 starts) well under half a minute on a laptop.
    expect(seconds).toBeLessThan(30);
    // Visibility is eventually consistent: the count catches up within moments.
    await eventually(async () => ((await countIn(season)) === 300 ? true : undefined), '300 workflows visible');
  });
});

describe('season status and retry', () => {
  it('counts agents by phase, lists those needing attention with their reasons, links the Web UI; retry heals them', async () => {
    const season = 'status-season';
    env.writeSeason(season, seasonYaml(season, { endsInMs: 2 * 86_400_000 }));
    const supervisor = '00ustatus000000003';
    const roster = env.writeFile(
      'rosters/status.csv',
      [
        HEADER,
        row('00ustatus000000001'),
        row('00ustatus000000002'),
        row(supervisor, 'Retail-Holiday-Supervisors'),
      ].join('\n'),
    );
    // The Supervisor role disappears between preflight and provisioning: the supervisor's grant cannot be made.
    await env.stopWorkers();
    const started = await env.cli(['start', season, '--roster', roster]);
    expect(started.code).toBe(0);
    env.genesys.removeRole(ORG, 'Supervisor');
    await env.startWorkers();
    // Genesys' 404 does not say what is missing, so within 30 s of the create it is retried as the API's lag; only
    // then is it final (NeedsAttention). On a loaded machine that and the rate-limited queue take over a minute.
    await eventuallyInPhase(env.client, season, 'NeedsAttention', 1, 150_000);
    await eventuallyInPhase(env.client, season, 'Active', 2);

    const result = await env.cli(['--json', 'status', season]);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as {
      total: number;
      phases: Record<string, number>;
      needsAttention: Array<{ oktaUserId: string; reason: string }>;
      msToSeasonEnd: number;
      webUi: string;
    };
    expect(status.total).toBe(3);
    expect(status.phases).toEqual({
      Provisioning: 0,
      Active: 2,
      Suspended: 0,
      NeedsAttention: 1,
      Deprovisioning: 0,
      Deprovisioned: 0,
    });
    expect(status.needsAttention).toEqual([
      {
        oktaUserId: supervisor,
        workflowId: `agent/${ORG}/${supervisor}`,
        reason: expect.stringMatching(/role|Supervisor|not found/i),
      },
    ]);
    expect(status.msToSeasonEnd).toBeGreaterThan(86_400_000);
    expect(status.webUi).toBe(
      `http://ui.test:8233/namespaces/${env.namespace}/workflows?query=SeasonIds%20%3D%20%22${season}%22`,
    );

    const human = await env.cli(['status', season]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Active\s+2/);
    expect(human.stdout).toMatch(/NeedsAttention\s+1/);
    expect(human.stdout).toContain(`needs attention:\n  ${supervisor}: `);
    expect(human.stdout).toMatch(/season ends .* \(in (1 d 23 h|2 d)\)/);

    // The admin re-creates the role; retry (no agent named: every agent needing attention) heals the agent.
    env.genesys.addRole(ORG, 'Supervisor');
    const retry = await env.cli(['--json', 'retry', season]);
    expect(retry.code).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({
      done: [{ oktaUserId: supervisor, result: 'requested' }],
      failed: [],
    });
    await eventuallyInPhase(env.client, season, 'Active', 3);
  });
});
