// One person in two seasons of one org, through the real CLI process: one workflow per person holds both
// enrolments. `start` of the second season joins the people already at work in the first; ending the first season
// for someone leaves their Genesys user active (same id) with only the second season's grants; status and report
// see each season from its own side, and no license is called a leftover while its person is at work.
import { ROSTER_COLUMNS } from '../../config/load-roster';
import {
  agentHandle,
  agentState,
  CliEnv,
  countIn,
  enrolmentIn,
  eventually,
  eventuallyInPhase,
  ORG,
  seasonYaml,
  startCliEnv,
} from './cli-harness';

let env: CliEnv;
const HEADER = ROSTER_COLUMNS.join(',');
const A = 'two-seasons-a';
const B = 'two-seasons-b';
// X1 and X2 work both seasons; X3 works A, leaves, and comes back for B; X4 works B only.
const [X1, X2, X3, X4] = [
  '00utwoseasons00001',
  '00utwoseasons00002',
  '00utwoseasons00003',
  '00utwoseasons00004',
] as const;

/** B maps the same Okta group to other roles; one grant (Seasonal Agents @ Holiday Overflow) both seasons give. */
const B_MAPPING = `  - group: Retail-Holiday-Agents
    homeDivision: Holiday Overflow
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow]
      - role: Chat Agent
        divisions: [E-Commerce]
`;
const A_GRANTS = [
  'Seasonal Agents @ Holiday Overflow',
  'Seasonal Agents @ Retail Stores',
  'Voice Agent @ Holiday Overflow',
];
const B_GRANTS = ['Chat Agent @ E-Commerce', 'Seasonal Agents @ Holiday Overflow'];

function row(id: string): string {
  return `${id},${id}@retail.example,${id}@retail.example,Given,Family,,Retail-Holiday-Agents`;
}

function genesysUser(oktaUserId: string) {
  const inspect = env.genesys.inspect(ORG);
  const defaults = new Set(inspect.roles.filter((r) => r.default).map((r) => r.name));
  const users = inspect.users.filter((u) => u.externalId === oktaUserId && !u.deleted);
  expect(users).toHaveLength(1);
  const user = users[0]!;
  return {
    ...user,
    grantNames: user.grants
      .filter((g) => !defaults.has(g.roleName))
      .map((g) => `${g.roleName} @ ${g.divisionName}`)
      .sort(),
  };
}

interface StatusJson {
  total: number;
  phases: Record<string, number>;
}

beforeAll(async () => {
  env = await startCliEnv('cli-two-seasons');
  // A keeps its users (deactivated, never deleted): a returning person's user is the same one.
  env.writeSeason(A, seasonYaml(A).replace('deleteAfterDays: 0', 'deleteAfterDays: never'));
  env.writeSeason(B, seasonYaml(B, { endsInMs: 2 * 86_400_000, mappingYaml: B_MAPPING }));
});
afterAll(async () => {
  await env?.close();
});

describe('one person in two seasons of one org', () => {
  it("joins the second season from the first; ending the first leaves the user and the second season's grants; status and report per season", async () => {
    const rosterA = env.writeFile('rosters/a.csv', [HEADER, row(X1), row(X2), row(X3)].join('\n'));
    const startA = await env.cli(['start', A, '--roster', rosterA]);
    expect(startA).toMatchObject({ code: 0 });
    expect(startA.stdout).toContain(
      '3 started, 0 joined from another season, 0 already running, 0 already ended, 0 failed',
    );
    await eventuallyInPhase(env.client, A, 'Active', 3);
    expect(genesysUser(X1).grantNames).toEqual(A_GRANTS);

    // X3 leaves A (workflow closes, user deactivated and kept), and comes back for B: a new run adopts the user.
    const endX3 = await env.cli(['end-now', A, X3, '--yes']);
    expect(endX3).toMatchObject({ code: 0 });
    const x3Ended = await agentHandle(env.client, X3).result();
    expect(x3Ended.phase).toBe('Deprovisioned');
    const x3User = genesysUser(X3);
    expect(x3User.active).toBe(false);

    const rosterB = env.writeFile('rosters/b.csv', [HEADER, row(X1), row(X2), row(X3), row(X4)].join('\n'));
    const startB = await env.cli(['--json', 'start', B, '--roster', rosterB]);
    expect(startB).toMatchObject({ code: 0 });
    expect(JSON.parse(startB.stdout)).toMatchObject({
      started: 2,
      enrolled: 2,
      alreadyRunning: 0,
      alreadyEnded: 0,
      failed: [],
    });
    const startBAgain = await env.cli(['start', B, '--roster', rosterB]);
    expect(startBAgain.stdout).toContain(
      '0 started, 0 joined from another season, 4 already running, 0 already ended, 0 failed',
    );
    await eventuallyInPhase(env.client, B, 'Active', 4);
    const x1Before = genesysUser(X1);
    // Both seasons' grants at once, on one user.
    expect(x1Before.grantNames).toEqual([...new Set([...A_GRANTS, ...B_GRANTS])].sort());
    expect(genesysUser(X3)).toMatchObject({ id: x3User.id, active: true });
    expect(env.genesys.inspect(ORG).users.filter((u) => u.externalId === X1)).toHaveLength(1);

    // A ends for X1 only: the user stays (same id, active) with B's grants; A's own grants go.
    const endX1 = await env.cli(['end-now', A, X1, '--yes']);
    expect(endX1).toMatchObject({ code: 0 });
    expect(endX1.stdout).toContain(`season ${A}: ended now for 1 agent, 0 failed`);
    await eventually(
      async () => (enrolmentIn(await agentState(env.client, X1), A).phase === 'Deprovisioned' ? true : undefined),
      'season A over for X1',
    );
    const x1State = await agentState(env.client, X1);
    expect(x1State.phase).toBe('Active');
    expect(enrolmentIn(x1State, B).phase).toBe('Active');
    const x1After = genesysUser(X1);
    expect(x1After).toMatchObject({ id: x1Before.id, active: true });
    expect(x1After.grantNames).toEqual(B_GRANTS);
    expect(x1State.grants.map((g) => `${g.role} @ ${g.division}`).sort()).toEqual(B_GRANTS);

    // Each season counts the person from its own side.
    await eventually(
      async () => ((await countIn(env.client, A, 'Deprovisioned')) === 2 ? true : undefined),
      'two agents deprovisioned in A',
    );
    const statusA = JSON.parse((await env.cli(['--json', 'status', A])).stdout) as StatusJson;
    expect(statusA.total).toBe(3);
    expect(statusA.phases).toEqual({
      Provisioning: 0,
      Active: 1,
      Suspended: 0,
      NeedsAttention: 0,
      Deprovisioning: 0,
      Deprovisioned: 2,
    });
    const statusB = JSON.parse((await env.cli(['--json', 'status', B])).stdout) as StatusJson;
    expect(statusB.total).toBe(4);
    expect(statusB.phases).toEqual({
      Provisioning: 0,
      Active: 4,
      Suspended: 0,
      NeedsAttention: 0,
      Deprovisioning: 0,
      Deprovisioned: 0,
    });

    // A's report: X1 and X3 are over in A but at work in B, so their licenses are B's, not leftovers of A.
    const report = await env.cli(['report', A, B, '--format', 'json']);
    expect(report).toMatchObject({ code: 0 });
    const seasons = (JSON.parse(report.stdout) as { seasons: Array<Record<string, unknown>> }).seasons;
    // What each season costs: X1 and X3 still log in for B, so A exposes no license after its end.
    const costs = seasons.map(({ costs }) => costs as { exposedAfterSeason: string[] });
    expect(costs.map((c) => c.exposedAfterSeason)).toEqual([[], []]);
    expect(seasons).toEqual([
      {
        orgId: ORG,
        seasonId: A,
        agents: 3,
        provisioned: 3,
        active: 1,
        needsAttention: 0,
        deprovisioned: 2,
        failed: 0,
        licensesHeld: 1,
        leftoverLicenses: [],
        // These seasons map no queues.
        inQueues: 0,
        leftInQueues: [],
        unreadable: 0,
        costs: expect.any(Object),
      },
      {
        orgId: ORG,
        seasonId: B,
        agents: 4,
        provisioned: 4,
        active: 4,
        needsAttention: 0,
        deprovisioned: 0,
        failed: 0,
        licensesHeld: 4,
        leftoverLicenses: [],
        inQueues: 0,
        leftInQueues: [],
        unreadable: 0,
        costs: expect.any(Object),
      },
    ]);

    // Offboarding X2 from A with --wait: the season is over for them, the user kept for B.
    const offX2 = await env.cli(['--json', 'offboard', A, X2, '--wait', '--yes']);
    expect(offX2).toMatchObject({ code: 0 });
    expect(JSON.parse(offX2.stdout)).toMatchObject({
      done: [{ oktaUserId: X2, result: `Deprovisioned (kept for season ${B})` }],
      failed: [],
    });
    expect(genesysUser(X2)).toMatchObject({ active: true, grantNames: B_GRANTS });
    // X3's run in A closed before they came back for B: A is over for them, not unknown.
    const endX3Again = await env.cli(['end-now', A, X3]);
    expect(endX3Again).toMatchObject({ code: 0 });
    expect(endX3Again.stdout).toContain(`already ended (nothing to do): ${X3}`);
    // The audit of A finds nothing wrong with the people A is over for (their users are B's now).
    const audit = JSON.parse((await env.cli(['--json', 'audit', A])).stdout) as {
      drift: Array<{ oktaUserId: string; kind: string }>;
    };
    expect(audit.drift.filter((d) => [X1, X2, X3].includes(d.oktaUserId as typeof X1))).toEqual([]);
    // A season that ended for a person stays ended: starting A again does not bring it back.
    const startAAgain = await env.cli([
      '--json',
      'start',
      A,
      '--roster',
      env.writeFile('rosters/a-again.csv', [HEADER, row(X1), row(X2)].join('\n')),
    ]);
    expect(JSON.parse(startAAgain.stdout)).toMatchObject({ started: 0, enrolled: 0, failed: [] });
    expect(enrolmentIn(await agentState(env.client, X1), A).phase).toBe('Deprovisioned');
  });
});
