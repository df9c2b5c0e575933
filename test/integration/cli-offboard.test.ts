// extend, offboard, end-now and the circuit breaker, through the real CLI process and the command functions.
import { ROSTER_COLUMNS } from '../../config/load-roster';
import { SeasonEndsAtKey } from '../../domain/search-attributes';
import { offboardCommand } from '../../client/commands/offboard';
import { endNowCommand } from '../../client/commands/end-now';
import {
  agentHandle,
  agentState,
  CliEnv,
  countIn as countAgents,
  enrolmentIn,
  eventually,
  eventuallyInPhase,
  expectNoStackTrace,
  ORG,
  seasonYaml,
  startCliEnv,
} from './cli-harness';

let env: CliEnv;
const SEASON = 'breaker-season';
const HEADER = ROSTER_COLUMNS.join(',');
const IDS = Array.from({ length: 10 }, (_, i) => `00ubreaker00000${String(i).padStart(3, '0')}`);

async function countIn(extra = ''): Promise<number> {
  return countAgents(env.client, SEASON, undefined, extra);
}

function handle(id: string) {
  return agentHandle(env.client, id);
}

beforeAll(async () => {
  env = await startCliEnv('cli-offboard');
  env.writeSeason(SEASON, seasonYaml(SEASON));
  const roster = env.writeFile(
    'rosters/breaker.csv',
    [
      HEADER,
      ...IDS.map((id) => `${id},${id}@retail.example,${id}@retail.example,Given,Family,,Retail-Holiday-Agents`),
    ].join('\n'),
  );
  const started = await env.cli(['start', SEASON, '--roster', roster]);
  expect(started.code).toBe(0);
  await eventuallyInPhase(env.client, SEASON, 'Active', 10);
});
afterAll(async () => {
  await env?.close();
});

describe('season extend', () => {
  it("moves one agent's end by a duration, and every agent's end to a local time in the season zone", async () => {
    const before = (await handle(IDS[0]!).describe()).typedSearchAttributes.get(SeasonEndsAtKey)!;
    const one = await env.cli(['extend', SEASON, IDS[0]!, '--by', '7d']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('end moved by 7d for 1 agent, 0 failed');
    const state = await agentState(env.client, IDS[0]!);
    expect(Date.parse(enrolmentIn(state, SEASON).seasonEndsAt)).toBe(before.getTime() + 7 * 86_400_000);

    const all = await env.cli(['--json', 'extend', SEASON, '--to', '2030-01-15 18:00']);
    expect(all.code).toBe(0);
    const out = JSON.parse(all.stdout) as { newEnd: string; done: unknown[]; failed: unknown[] };
    expect(out.newEnd).toBe('2030-01-15T23:00:00.000Z');
    expect(out.done).toHaveLength(10);
    expect(all.stderr).toContain("agents started later still end at the season file's end");
    for (const id of IDS) {
      await eventually(
        async () =>
          (await handle(id).describe()).typedSearchAttributes.get(SeasonEndsAtKey)?.toISOString() === out.newEnd
            ? true
            : undefined,
        `${id}'s end visible`,
      );
    }

    const past = await env.cli(['extend', SEASON, '--to', '2020-01-01 00:00']);
    expect(past.code).toBe(1);
    expect(past.stderr.trim()).toBe(
      'error: --to 2020-01-01 00:00 (America/New_York) is in the past: use end-now to end the season now',
    );
  });
});

describe('circuit breaker', () => {
  it('refuses to offboard more than 10% of the season without --yes, and offboards nothing', async () => {
    const refused = await env.cli(['offboard', SEASON, IDS[1]!, IDS[2]!]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `error: refusing to offboard 2 agents of season ${SEASON} (20% of the season's 10 agents, above the 10% threshold) without confirmation: rerun with --yes`,
    );
    expectNoStackTrace(refused.stderr);
    expect((await agentState(env.client, IDS[1]!)).phase).toBe('Active');
    expect((await agentState(env.client, IDS[2]!)).phase).toBe('Active');

    const all = await env.cli(['end-now', SEASON, '--all']);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain('refusing to end the season now for 10 agents');
    expect(await countIn(' AND ExecutionStatus = "Running"')).toBe(10);
  });

  it('lets 10% through without asking, and more with --yes or a raised --threshold', async () => {
    const one = await env.cli(['--json', 'offboard', SEASON, IDS[1]!, '--reason', 'left the company', '--wait']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      reason: 'left the company',
      done: [{ oktaUserId: IDS[1], result: 'Deprovisioned' }],
      failed: [],
    });
    const user = env.genesys.inspect(ORG).users.find((u) => u.externalId === IDS[1]);
    expect(user?.deleted).toBe(true);
    expect((await handle(IDS[1]!).result()).offboardReason).toBe('left the company');

    const threshold = await env.cli(['offboard', SEASON, IDS[2]!, IDS[3]!, '--threshold', '25%']);
    expect(threshold.code).toBe(0);
    const yes = await env.cli(['offboard', SEASON, IDS[4]!, IDS[5]!, '--yes']);
    expect(yes.code).toBe(0);
    for (const id of IDS.slice(2, 6)) expect((await handle(id).result()).phase).toBe('Deprovisioned');

    // Already ended: reported, nothing sent.
    const again = await env.cli(['offboard', SEASON, IDS[1]!]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already ended (nothing to do): ${IDS[1]}`);
  });

  it('asks on the terminal: a yes proceeds (end-now), a no refuses (offboard)', async () => {
    const no = env.context({ confirm: false });
    await expect(offboardCommand(no.ctx, SEASON, [], { all: true })).rejects.toThrow(/refusing to offboard 5 agents/);
    expect(await countIn(' AND ExecutionStatus = "Running"')).toBe(5);

    const yes = env.context({ confirm: true });
    expect(await endNowCommand(yes.ctx, SEASON, [], { all: true })).toBe(0);
    expect(yes.lines[0]).toBe(`season ${SEASON}: ended now for 5 agents, 0 failed`);
    for (const id of [IDS[0]!, ...IDS.slice(6)])
      expect((await handle(id).result()).offboardReason).toBe('season ended early (end-now)');
  });

  it('names an unknown agent instead of acting on nothing', async () => {
    const result = await env.cli(['offboard', SEASON, '00unobody000000000']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `error: no agent 00unobody000000000 in season ${SEASON} (org ${ORG}): check the Okta user id`,
    );
    const none = await env.cli(['offboard', SEASON]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe(
      'error: name the agents (Okta user ids), or use --all for every agent of the season',
    );
  });
});
