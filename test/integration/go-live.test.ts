// Going live on the `npm start` topology (the dev server, the receiver and the worker as processes of their own,
// the emulators over HTTP): `season setup` registers the Okta event hook and Okta verifies it through the real
// receiver; a second run changes nothing; `season doctor` passes. Then the Genesys OAuth client loses each
// permission the season needs in turn: doctor and preflight fail naming it, and no agent is touched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createContext, type Output } from '../../client/commands/context';
import { doctorCommand } from '../../client/commands/doctor';
import { preflightCommand } from '../../client/commands/preflight';
import { loadConfig } from '../../config/load';
import { requiredPermissions, usesOfMapping } from '../../integrations/genesys/permissions';
import { runCli } from '../../scripts/demo/cli';
import { DEMO_ORG, MISSING_QUEUE, MISSING_ROLE } from '../../scripts/demo/season-config';
import { startDemoStack, type DemoStack } from '../../scripts/demo/stack';
import { ROSTER_COLUMNS } from '../../config/load-roster';
import { agentState, eventually, seasonYaml } from './cli-harness';
import { writeFileSync } from 'node:fs';

const CLIENT_ID = 'retail-us-provisioner';
const SEASON = 'go-live-season';

let work: string;
let stack: DemoStack;
const stackLog: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'go-live-'));
  const now = Date.now();
  stack = await startDemoStack({
    dataDir: work,
    runDir: work,
    seasonId: SEASON,
    rpm: 600,
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 86_400_000).toISOString(),
    log: (line) => stackLog.push(line),
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Runs a command in this process with its output captured (no child process per permission). */
async function inProcess(
  run: (ctx: ReturnType<typeof createContext>) => Promise<number>,
  json = false,
): Promise<{ code: number; out: string }> {
  let out = '';
  const output: Output = {
    line: (t) => {
      if (!json) out += `${t}\n`;
    },
    json: (v) => {
      if (json) out += JSON.stringify(v);
    },
    note: (t) => {
      out += `${t}\n`;
    },
    interactive: false,
  };
  const ctx = createContext({
    configDir: stack.configDir,
    json,
    env: { ...process.env, ...stack.childEnv },
    out: output,
  });
  try {
    return { code: await run(ctx), out };
  } finally {
    await ctx.close();
  }
}

function genesysUsers(): string {
  return JSON.stringify(stack.genesys.inspect(DEMO_ORG).users);
}

describe('going live with season setup and season doctor', () => {
  it('setup registered the hook and Okta verified it through the real receiver; doctor passed', () => {
    const log = stackLog.join('\n');
    expect(log).toContain(`go live: season setup ${DEMO_ORG}`);
    expect(log).toContain(`go live: season doctor ${DEMO_ORG}`);
    const hooks = stack.okta.inspect().eventHooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ status: 'ACTIVE', verificationStatus: 'VERIFIED' });
    // Okta's verification GET reached the receiver process with the secret.
    expect(stack.okta.inspect().verifications.some((v) => v.verified)).toBe(true);
  });

  it('a second setup changes nothing, and doctor passes every check', async () => {
    const before = stack.okta.inspect().apiRequests.length;
    const again = await runCli(['setup', DEMO_ORG, '--config', stack.configDir], stack.childEnv);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/unchanged/);
    const writes = stack.okta
      .inspect()
      .apiRequests.slice(before)
      .filter((r) => r.path.startsWith('/api/v1/eventHooks') && r.method !== 'GET' && !r.path.endsWith('/verify'));
    expect(writes).toEqual([]);

    const doctor = await runCli(['doctor', DEMO_ORG, '--config', stack.configDir], stack.childEnv);
    expect(doctor.code).toBe(0);
    for (const check of ['genesys.permissions', 'okta.credentials', 'okta.hook', 'receiver', 'temporal.workers'])
      expect(doctor.out).toMatch(new RegExp(`✔ (${DEMO_ORG} )?${check.replace('.', '\\.')}:`));
    expect(doctor.out).not.toContain('✘');
  });

  it('names each missing permission in doctor and preflight, before any agent is touched', async () => {
    const season = loadConfig(stack.configDir).seasons.get(SEASON)!;
    const needed = requiredPermissions(usesOfMapping(season.mapping)).map((p) => p.permission);
    expect(needed).toContain('routing:queueMember:manage');
    const full = stack.genesys.clientPermissions(DEMO_ORG, CLIENT_ID);
    const users = genesysUsers();
    try {
      for (const permission of needed) {
        stack.genesys.setClientPermissions(
          DEMO_ORG,
          CLIENT_ID,
          full.filter((p) => p !== permission),
        );
        const doctor = await inProcess((ctx) => doctorCommand(ctx, [DEMO_ORG]), true);
        expect(doctor.code).toBe(1);
        const checks = (JSON.parse(doctor.out) as { checks: Array<{ ok: boolean; permission?: string }> }).checks;
        expect(checks.filter((c) => !c.ok).map((c) => c.permission)).toEqual([permission]);
        const preflight = await inProcess((ctx) => preflightCommand(ctx, SEASON));
        expect(preflight.code).toBe(1);
        expect(preflight.out).toContain(`lacks the permission ${permission}`);
      }
    } finally {
      stack.genesys.setClientPermissions(DEMO_ORG, CLIENT_ID, full);
    }
    // With every permission back, preflight finds only the season's deliberate mistakes.
    const preflight = await inProcess((ctx) => preflightCommand(ctx, SEASON));
    expect(preflight.out).not.toContain('lacks the permission');
    expect(preflight.out).toContain(MISSING_ROLE);
    expect(preflight.out).toContain(MISSING_QUEUE);
    expect(genesysUsers()).toBe(users);
  });

  it('parks an agent whose permission was revoked mid-season with a reason naming it, and heals on retry', async () => {
    const season = 'go-live-revoked';
    const agent = '00ugolive000000001';
    writeFileSync(path.join(stack.configDir, 'seasons', `${season}.yaml`), seasonYaml(season));
    const roster = path.join(work, 'revoked.csv');
    writeFileSync(
      roster,
      [
        ROSTER_COLUMNS.join(','),
        `${agent},${agent}@retail.example,${agent}@retail.example,Given,Family,,Retail-Holiday-Agents`,
      ].join('\n'),
    );
    const cli = (args: string[]) => runCli([...args, '--config', stack.configDir], stack.childEnv);
    expect((await cli(['start', season, '--roster', roster])).code).toBe(0);
    await eventually(
      async () => ((await agentState(stack.client, agent)).phase === 'Active' ? true : undefined),
      'the agent active',
    );

    const full = stack.genesys.clientPermissions(DEMO_ORG, CLIENT_ID);
    // deleteAfterDays 0: the teardown's first Genesys call is the delete.
    stack.genesys.setClientPermissions(
      DEMO_ORG,
      CLIENT_ID,
      full.filter((p) => p !== 'directory:user:delete'),
    );
    try {
      expect((await cli(['end-now', season, agent, '--yes'])).code).toBe(0);
      let last = '';
      const parked = await eventually(async () => {
        const s = await agentState(stack.client, agent);
        last = JSON.stringify(s);
        return s.phase === 'NeedsAttention' ? s : undefined;
      }, 'the agent parked').catch((err: Error) => {
        throw new Error(`${err.message}; last state ${last}`);
      });
      expect(parked.attentionReason).toContain('lacks the permission directory:user:delete');
    } finally {
      stack.genesys.setClientPermissions(DEMO_ORG, CLIENT_ID, full);
    }
    expect((await cli(['retry', season, agent])).code).toBe(0);
    await eventually(
      async () => ((await agentState(stack.client, agent)).phase === 'Deprovisioned' ? true : undefined),
      'the agent deprovisioned',
    );
  });
});
