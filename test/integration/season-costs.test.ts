// What a season costs, end to end through the real CLI, workers and emulators: a season across a billing-period
// boundary whose end falls just inside the next period; agents log in before they were Active (backdated) and
// after it, through Okta SSO, Genesys, or both; the login sweep (catch-up) tells the agents; three agents never log
// in. The report's figures are computed here from what the two emulators recorded, not hard-coded.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { billedLicenses } from '../../domain/billing';
import { GenesysClient } from '../../integrations/genesys';
import { agentState, CliEnv, countIn, eventually, eventuallyInPhase, ORG, startCliEnv } from './cli-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEASON = 'costs-season';
const GROUP = 'Retail-Costs-Agents';

// The billing period boundary B0 lies two days back (a contract day ≤ 28, as Genesys contracts have it); the
// season started three days before it and ends six hours into the period after the next one starts (B1).
const now0 = Date.now();
const back = new Date(now0 - 2 * DAY);
const periodStartDay = Math.min(back.getUTCDate(), 28);
const B0 = Date.UTC(back.getUTCFullYear(), back.getUTCMonth(), periodStartDay);
const B1 = Date.UTC(back.getUTCFullYear(), back.getUTCMonth() + 1, periodStartDay);
const B_1 = Date.UTC(back.getUTCFullYear(), back.getUTCMonth() - 1, periodStartDay);
const startsAt = B0 - 3 * DAY;
const endsAt = B1 + 6 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

let env: CliEnv;
let agents: string[] = [];

interface CostsJson {
  seasons: Array<{
    seasonId: string;
    agents: number;
    costs: {
      readiness: {
        agents: number;
        loggedIn: number;
        ready: number;
        loggedInFirst: Array<{ oktaUserId: string; firstLogin: number; activeAt?: number }>;
        headline: string;
      };
      billing?: {
        model: string;
        periods: Array<{
          start: number;
          end: number;
          billable: number;
          exposed: number;
          licenses: Array<{ license: string; billable: number; exposed: number }>;
        }>;
        warnings: Array<{ kind: string; message: string; avoidBy: string }>;
      };
      dormant: Array<{ oktaUserId: string }>;
      exposedAfterSeason: string[];
    };
  }>;
}

function seasonYaml(): string {
  return `id: ${SEASON}
org: ${ORG}
start: ${iso(startsAt)}
end: "${iso(endsAt)}"
timeZone: UTC
dormantAfterDays: 1
deprovision:
  deactivate: true
  removeGrants: true
  deleteAfterDays: 0
  removeFromOktaGroups: false
  deactivateOktaUser: false
mapping:
  - group: ${GROUP}
    homeDivision: Holiday Overflow
    priority: 10
    roles:
      - role: Seasonal Agents
        divisions: [Holiday Overflow, Retail Stores]
      - role: Voice Agent
        divisions: [Holiday Overflow]
`;
}

const genesysUserOf = (oktaUserId: string) =>
  env.genesys.inspect(ORG).users.find((u) => u.externalId === oktaUserId)!.id;

function genesysLogIn(oktaUserId: string, at: number): void {
  env.genesys.logIn(ORG, genesysUserOf(oktaUserId), new Date(at));
}

function oktaSso(oktaUserId: string, at: number): void {
  env.okta.admin.ssoLogin(oktaUserId, env.okta.genesysAppId(), iso(at));
}

/** Every login the emulators recorded for the season's agents: Genesys's logins and Okta's SSO events. */
function recordedLogins(): Map<string, number[]> {
  const byAgent = new Map<string, number[]>(agents.map((a) => [a, []]));
  const genesys = env.genesys.inspect(ORG);
  for (const a of agents) for (const at of genesys.logins[genesysUserOf(a)] ?? []) byAgent.get(a)!.push(Date.parse(at));
  for (const e of env.okta.inspect().systemLog)
    if (e.eventType === 'user.authentication.sso' && e.target?.some((t) => t.id === env.okta.genesysAppId()))
      byAgent.get(e.actor.id)?.push(Date.parse(e.published));
  return byAgent;
}

async function catchUpNow(): Promise<void> {
  const r = await env.cli(['catch-up', SEASON, '--now']);
  expect(r.code).toBe(0);
}

/** Waits until every agent's workflow holds exactly the logins the emulators recorded (to the minute). */
async function loginsSwept(): Promise<void> {
  const minute = (t: number) => iso(t).slice(0, 16);
  await eventually(async () => {
    for (const [a, logins] of recordedLogins()) {
      const want = [...new Set(logins.map(minute))].sort();
      const have = ((await agentState(env.client, a)).logins?.seen ?? []).map((s) => minute(Date.parse(s)));
      if (JSON.stringify(have) !== JSON.stringify(want)) return undefined;
    }
    return true;
  }, 'the login sweep told every agent its logins');
}

async function report(): Promise<CostsJson['seasons'][number]> {
  const r = await env.cli(['--json', 'report', SEASON]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as CostsJson).seasons[0]!;
}

beforeAll(async () => {
  env = await startCliEnv('season-costs', {
    catchUp: true,
    orgYaml: ({ okta }) => `      genesysAppId: ${okta.genesysAppId()}
    billing:
      model: named
      periodStartDay: ${periodStartDay}
`,
  });
  env.okta.admin.createGroup({ name: GROUP });
  agents = Array.from({ length: 8 }, (_, i) => {
    const id = env.okta.admin.createUser({
      profile: { login: `costs.${i + 1}@retail.example.com`, firstName: 'Costs', lastName: `Agent ${i + 1}` },
    }).id;
    env.okta.admin.addUserToGroup(id, GROUP);
    return id;
  });
  env.writeSeason(SEASON, seasonYaml());
  // The lifecycle worker reads the config (the seasons, the org's Genesys app) when it starts.
  await env.stopWorkers();
  await env.startWorkers();
  expect((await env.cli(['start', SEASON, '--from-okta'])).code).toBe(0);
  await eventuallyInPhase(env.client, SEASON, 'Active', agents.length);
  expect((await env.cli(['catch-up', SEASON, '--install'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe('what a season costs', () => {
  it('logins before and after Active, across a billing-period boundary: the report equals what the emulators recorded', async () => {
    const [a1, a2, a3, a4, a5, a6, a7, a8] = agents as [string, string, string, string, string, string, string, string];
    // Before Active, in the period before B0 (backdated): through Okta and Genesys, and through Genesys alone.
    genesysLogIn(a1, B0 - 2 * HOUR);
    oktaSso(a1, B0 - 2 * HOUR);
    genesysLogIn(a2, B0 - 2 * HOUR);
    await catchUpNow();
    await loginsSwept();

    // After Active: Genesys alone, Okta alone (dateLastLogin may miss SSO), both.
    const later = Date.now();
    genesysLogIn(a1, later);
    oktaSso(a3, later);
    genesysLogIn(a4, later);
    genesysLogIn(a5, later);
    oktaSso(a5, later);
    await catchUpNow();
    await loginsSwept();

    const r = await report();
    const recorded = recordedLogins();
    const billing = r.costs.billing!;
    expect(billing.model).toBe('named');
    // The periods the season touches: before B0 (its start), B0–B1, and the one its end falls just inside.
    expect(billing.periods.map((p) => [iso(p.start), iso(p.end)])).toEqual([
      [iso(B_1), iso(B0)],
      [iso(B0), iso(B1)],
      [iso(B1), expect.any(String)],
    ]);
    for (const p of billing.periods) {
      const billable = agents.filter((a) => recorded.get(a)!.some((t) => t >= p.start && t < p.end));
      // Able to log in from their Genesys user's creation on (every agent here, from B0 on), or logged in.
      const exposed = agents.filter((a) => billable.includes(a) || p.end > B0);
      expect({ start: iso(p.start), billable: p.billable, exposed: p.exposed }).toEqual({
        start: iso(p.start),
        billable: billable.length,
        exposed: exposed.length,
      });
    }
    expect(billing.periods.map((p) => p.billable)).toEqual([2, 4, 0]);
    expect(billing.periods.map((p) => p.exposed)).toEqual([2, 8, 8]);

    // The licenses: what the Genesys emulator's license API says each user holds.
    const genesys = new GenesysClient({
      apiBaseUrl: env.genesys.url,
      loginBaseUrl: env.genesys.url,
      clientId: 'retail-us-provisioner',
      clientSecret: 'emulator-retail-us-secret',
    });
    const byUser = await genesys.licensesOfUsers(agents.map(genesysUserOf));
    // Billed at the highest license each holds (the employee role's communicate rides along).
    const held = agents.map((a) => billedLicenses(byUser.get(genesysUserOf(a)) ?? []));
    const licenseIds = [...new Set(held.flat())].sort();
    expect(licenseIds.length).toBeGreaterThan(0);
    expect(billing.periods[1]!.licenses).toEqual(
      licenseIds.map((license) => ({
        license,
        billable: [a1, a3, a4, a5].filter((a) => held[agents.indexOf(a)]!.includes(license)).length,
        exposed: held.filter((h) => h.includes(license)).length,
      })),
    );

    // Ready before their first login: a1 and a2 logged in first (named by Okta user id), the rest were on time.
    expect(r.costs.readiness).toMatchObject({ agents: 8, loggedIn: 5, ready: 6 });
    expect(r.costs.readiness.loggedInFirst.map((m) => m.oktaUserId).sort()).toEqual([a1, a2].sort());
    expect(r.costs.readiness.loggedInFirst[0]!.firstLogin).toBe(B0 - 2 * HOUR);
    expect(r.costs.readiness.headline).toMatch(
      /^6 of 8 ready before their first login \(median lead [^)]+\); 2 logged in first$/,
    );
    // Dormant: Active, no login a day after the season started.
    expect(r.costs.dormant.map((d) => d.oktaUserId).sort()).toEqual([a6, a7, a8].sort());
    expect(r.costs.exposedAfterSeason).toEqual([]);
    // The season's end just inside the period from B1, with the saving of ending before it.
    expect(billing.warnings.map((w) => [w.kind, w.avoidBy])).toEqual(
      expect.arrayContaining([['end-inside-period', iso(B1 - HOUR)]]),
    );
  });

  it('the table report prints the login, billing and dormant lines, and --format html writes one page', async () => {
    const table = await env.cli(['report', SEASON]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('6 of 8 ready before their first login');
    expect(table.stdout).toMatch(/: 4 billable \(logged in\), 8 exposed \(able to log in\)/);
    expect(table.stdout).toContain('dormant (Active, no login 1 day after the start): 3');
    const out = path.join(env.configDir, 'report.html');
    const html = await env.cli(['report', SEASON, '--format', 'html', '--out', out]);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain(`wrote the season report: ${out}`);
    expect(existsSync(out)).toBe(true);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('data-testid="billing-table"');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
  });

  it('plan and extend warn of the end just inside the new period, with the time to end by', async () => {
    const endBy = new Intl.DateTimeFormat('en-US', {
      timeZone: 'UTC',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(B1 - HOUR)
      .replace(',', '');
    const plan = await env.cli(['plan', SEASON, '--from-okta']);
    expect(plan.stdout + plan.stderr).toContain(
      `: up to 8 named licenses for that period; end by ${endBy} to avoid it`,
    );
    const extend = await env.cli(['extend', SEASON, '--by', '1h']);
    expect(extend.code).toBe(0);
    expect(extend.stdout + extend.stderr).toMatch(/warning: season costs-season ends .*, 7 h into the period from/);
    expect(extend.stdout + extend.stderr).toContain(`end by ${endBy} to avoid it`);
  });

  it('offboard --dormant offboards the agents who never logged in, and only them', async () => {
    const dormant = agents.slice(5);
    const r = await env.cli(['offboard', SEASON, '--dormant', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('3 dormant agents');
    await eventuallyInPhase(env.client, SEASON, 'Deprovisioned', dormant.length);
    expect(await countIn(env.client, SEASON, 'Active')).toBe(5);
    for (const a of dormant)
      expect(env.genesys.inspect(ORG).users.find((u) => u.externalId === a)?.state).not.toBe('active');
    const after = await report();
    expect(after.costs.dormant).toEqual([]);
  });
});
