// `npm run bench -- --scenario receiver [--seconds 60] [--rate 50] [--events 20] [--people 500] [--seed 1]`:
// the Okta hook receiver under a busy org's load, on loopback (issue 16).
//
// The receiver runs here as in production (its defaults: 2.5 s deadline, dedupe memory, 16 users at once per
// delivery) against a real Temporal dev server; it never calls Okta: it hands each person's trigger to Temporal
// and answers. The workers' Okta-events workflows read the Okta emulator, which runs with the load generator in a
// child process (scripts/bench-receiver-load.ts); `--okta-latency-ms 2000` makes every Okta call 2 s slower.
// By default the workers start after the load (so the answer times are the receiver's and Temporal's, not two
// cores shared with workflow work; the triggers wait queued in Temporal); `--workers during` runs them alongside
// the load, reading the slow Okta while deliveries come. Then each of the people must end as Okta has them:
// active in a season group → an Active agent in Genesys with exactly the mapped home division and grants;
// suspended → no workflow, or a Suspended one whose Genesys user is inactive and kept; deactivated → no Genesys
// user left; never in a season group → no workflow, no Genesys user. Target: p99 answer ≤ 300 ms, no 5xx, no one
// lost.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createGenesysActivities } from '../activities/genesys';
import { createOktaActivities } from '../activities/okta';
import { createOktaUserEventActivities } from '../activities/okta-user-events';
import type { OrgConnection } from '../config/orgs';
import type { SeasonConfig } from '../config/types';
import { computeEntitlements } from '../domain/entitlements';
import type { OktaGroupRef } from '../domain/mapping';
import { startGenesysEmulator } from '../emulators/genesys';
import { OktaClient, type CallOptions, type OktaGroup, type OktaUser } from '../integrations/okta';
import { startDevServer } from '../platform/dev-server';
import { buildHookReceiver } from '../receiver/server';
import { createWorkers } from '../worker/workers';
import { seasonalAgentWorkflowId, type SeasonalAgentState } from '../workflows/agent/contract';
import { retailMapping, teardownAtOnce } from '../test/support/agents';
import { type FromLoad, type LoadResult, type PersonEnd, type ToLoad } from './bench-receiver-load';
import { positiveInteger } from './options';
import { percentile } from './bench-stats';

const ORG = 'retail-us';
const SECRET = 'bench-receiver-hook-secret';
/** The workers' budget after the load: high, because the Genesys rate limit is not what is measured here. */
const SETTLE_RPM = 30_000;

const season: SeasonConfig = {
  id: 'bench-receiver-holiday',
  orgId: ORG,
  startsAt: new Date(Date.now() - 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  timeZone: 'America/New_York',
  dormantAfterDays: 7,
  policy: teardownAtOnce,
  mapping: retailMapping,
};

/** What Genesys must show for someone active in these season groups: the mapping's home division and grants. */
function expectedAgent(groups: OktaGroupRef[]): { home: string; grants: string[] } {
  const e = computeEntitlements(season.mapping, groups);
  return { home: e.homeDivision, grants: e.grants.map((g) => `${g.role} @ ${g.division}`).sort() };
}

/** What Okta says a person must end as. */
type Expectation = 'active' | 'suspended' | 'stopped' | 'never';
function expectationOf(p: PersonEnd): Expectation {
  if (p.status === 'SUSPENDED') return 'suspended';
  if (p.status !== 'ACTIVE') return 'stopped';
  return p.seasonGroups.length > 0 ? 'active' : 'never';
}

interface Options {
  seconds: number;
  rate: number;
  events: number;
  people: number;
  seed: number;
  settleSeconds: number;
  oktaLatencyMs: number;
  workers: 'during' | 'after';
}

/** The p99 answer time the product promises (PRODUCT.md: the hook answered in ≤ 300 ms). */
const TARGET_P99_MS = 300;

/** Counts the workers' Okta reads for the hooks (what a real org's rate limit would see). */
class CountingOkta extends OktaClient {
  reads = 0;
  override getUser(id: string, opts?: CallOptions): Promise<OktaUser> {
    this.reads += 1;
    return super.getUser(id, opts);
  }
  override listUserGroups(id: string, opts?: CallOptions): Promise<OktaGroup[]> {
    this.reads += 1;
    return super.listUserGroups(id, opts);
  }
}

/** The load process's next message of this type; it rejects if the process exits first. */
function messageOf<T extends FromLoad['type']>(child: ChildProcess, type: T): Promise<Extract<FromLoad, { type: T }>> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: FromLoad) => {
      if (m.type === type) resolve(m as Extract<FromLoad, { type: T }>);
    });
    child.once('exit', (code) => reject(new Error(`the load process exited with ${code}`)));
  });
}

export async function receiverBench(argv: string[]): Promise<number> {
  const opts = new Command('bench --scenario receiver')
    .option('--scenario <name>', 'receiver')
    .option('--seconds <n>', 'length of the load', positiveInteger, 60)
    .option('--rate <n>', 'deliveries per second', positiveInteger, 50)
    .option('--events <n>', 'events per delivery', positiveInteger, 20)
    .option('--people <n>', 'distinct Okta users', positiveInteger, 500)
    .option('--seed <n>', 'of the load plan', positiveInteger, 1)
    .option('--settle-seconds <n>', 'time the workers get to bring everyone to their end state', positiveInteger, 300)
    .option('--okta-latency-ms <n>', 'added to every Okta API answer', (v) => (v === '0' ? 0 : positiveInteger(v)), 0)
    .option(
      '--workers <when>',
      'run the workers "after" the load (default) or "during" it',
      (v) => {
        if (v !== 'during' && v !== 'after') throw new Error(`--workers is "during" or "after", not "${v}"`);
        return v;
      },
      'after',
    )
    .parse(argv)
    .opts<Options>();
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const server = await startDevServer({ uiPort: false });
  const load = fork(path.join(__dirname, 'bench-receiver-load.ts'), [String(opts.oktaLatencyMs)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Both listeners from the start: a message that comes before it is awaited is not lost.
  const ready = messageOf(load, 'ready');
  const done = messageOf(load, 'done');
  // Awaited below; until then, the load process ending early (or being stopped at the end) is no unhandled error.
  for (const p of [ready, done]) p.catch(() => undefined);
  const tell = (m: ToLoad) => load.send(m);

  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const genesys = await startGenesysEmulator({ rateLimitPerMinute: SETTLE_RPM });
  let workers: Workers | undefined;
  try {
    const okta = await ready;
    const counter = new CountingOkta({ orgUrl: okta.oktaUrl, apiToken: okta.apiToken });
    const startWorkers = () => runWorkers(connection, server, genesys, counter);
    if (opts.workers === 'during') workers = await startWorkers();
    const receiver = buildHookReceiver({
      temporalClient: client,
      seasons: () => [season],
      authHeader: { name: 'Authorization', value: SECRET },
      logger: false,
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    const address = receiver.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    console.log(
      `bench: receiver under load: ${opts.rate} deliveries/s × ${opts.events} events for ${opts.seconds} s over ${opts.people} people (seed ${opts.seed}); Okta +${opts.oktaLatencyMs} ms per call; workers ${opts.workers} the load`,
    );
    tell({
      type: 'go',
      plan: {
        receiverUrl: `http://127.0.0.1:${port}/okta/events`,
        secret: SECRET,
        seconds: opts.seconds,
        deliveriesPerSecond: opts.rate,
        eventsPerDelivery: opts.events,
        people: opts.people,
        seed: opts.seed,
      },
    });
    const { result } = await done;
    const stats = structuredClone(receiver.hookStats);
    await receiver.close();

    // The workers run what the receiver queued, and everyone is checked against Okta's own state.
    workers ??= await startWorkers();
    const settle = await settleAndCheck(client, genesys, result.people, opts.settleSeconds);
    tell({ type: 'stop' });
    return report(opts, result, stats, counter.reads, settle);
  } finally {
    await workers?.stop();
    if (load.connected) tell({ type: 'stop' });
    load.kill();
    await connection.close();
    await genesys.close();
    await server.stop();
  }
}

interface Settle {
  seconds: number;
  expected: Record<Expectation, number>;
  wrong: Array<{ oktaUserId: string; want: string; got: string }>;
}

interface Workers {
  stop(): Promise<void>;
}

async function runWorkers(
  connection: Connection,
  server: Awaited<ReturnType<typeof startDevServer>>,
  genesys: Awaited<ReturnType<typeof startGenesysEmulator>>,
  okta: OktaClient,
): Promise<Workers> {
  const orgs = new Map<string, OrgConnection>([
    [
      ORG,
      {
        orgId: ORG,
        genesys: {
          apiBaseUrl: genesys.url,
          loginBaseUrl: genesys.url,
          clientId: 'retail-us-provisioner',
          clientSecret: 'emulator-retail-us-secret',
          requestsPerMinute: SETTLE_RPM,
        },
      },
    ],
  ]);
  const native = await NativeConnection.connect({ address: server.address });
  const oktaSource = { get: () => okta };
  const workers = await createWorkers({
    connection: native,
    namespace: server.namespace,
    orgs: [{ orgId: ORG, requestsPerMinute: SETTLE_RPM }],
    genesysActivities: createGenesysActivities(orgs),
    oktaActivities: createOktaActivities(oktaSource),
    oktaEventActivities: createOktaUserEventActivities({ okta: oktaSource, connection, namespace: server.namespace }),
  });
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      await native.close();
    },
  };
}

async function settleAndCheck(
  client: Client,
  genesys: Awaited<ReturnType<typeof startGenesysEmulator>>,
  people: PersonEnd[],
  settleSeconds: number,
): Promise<Settle> {
  const started = Date.now();
  const expected: Record<Expectation, number> = { active: 0, suspended: 0, stopped: 0, never: 0 };
  for (const p of people) expected[expectationOf(p)] += 1;
  let wrong: Settle['wrong'];
  for (;;) {
    wrong = await mismatches(client, genesys, people);
    process.stdout.write(`\rbench: ${people.length - wrong.length}/${people.length} people as Okta has them…   `);
    if (wrong.length === 0 || Date.now() - started > settleSeconds * 1000) break;
    await new Promise((r) => setTimeout(r, 3_000));
  }
  process.stdout.write('\n');
  return { seconds: (Date.now() - started) / 1000, expected, wrong };
}

async function mismatches(
  client: Client,
  genesys: Awaited<ReturnType<typeof startGenesysEmulator>>,
  people: PersonEnd[],
): Promise<Settle['wrong']> {
  const users = genesys.inspect(ORG).users.filter((u) => !u.deleted && u.externalId !== undefined);
  const wrong: Settle['wrong'] = [];
  for (const p of people) {
    const mine = users.filter((u) => u.externalId === p.oktaUserId);
    const genesysView = mine
      .map((u) => {
        const grants = u.grants
          .filter((g) => g.roleName !== 'employee')
          .map((g) => `${g.roleName} @ ${g.divisionName}`)
          .sort();
        return `${u.active ? 'active' : 'inactive'} home=${u.homeDivision.name} grants=[${grants.join(', ')}]`;
      })
      .join(' + ');
    const phase = await phaseOf(client, p.oktaUserId);
    const got = `workflow=${phase} genesys=${genesysView || 'none'}`;
    const expectation = expectationOf(p);
    if (expectation === 'suspended') {
      // Reversible: never started, or Suspended with the Genesys user kept but inactive (no login).
      const kept = phase === 'Suspended' && mine.length === 1 && !mine[0]!.active;
      if (!(kept || (phase === 'none' && mine.length === 0)))
        wrong.push({ oktaUserId: p.oktaUserId, want: 'workflow=none|Suspended genesys=none|inactive', got });
      continue;
    }
    if (expectation === 'stopped') {
      // Never started, or deprovisioned (the season's policy deletes the Genesys user).
      if ((phase !== 'none' && phase !== 'Deprovisioned') || mine.length > 0)
        wrong.push({ oktaUserId: p.oktaUserId, want: 'workflow=none|Deprovisioned genesys=none', got });
      continue;
    }
    const e = expectation === 'active' ? expectedAgent(p.seasonGroups) : undefined;
    const want = e
      ? `workflow=Active genesys=active home=${e.home} grants=[${e.grants.join(', ')}]`
      : 'workflow=none genesys=none';
    if (got !== want) wrong.push({ oktaUserId: p.oktaUserId, want, got });
  }
  return wrong;
}

async function phaseOf(client: Client, oktaUserId: string): Promise<string> {
  try {
    const state = await client.workflow
      .getHandle(seasonalAgentWorkflowId(ORG, oktaUserId))
      .query<SeasonalAgentState>('getState');
    return state.phase;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'none';
    throw err;
  }
}

function report(
  opts: Options,
  load: LoadResult,
  stats: ReturnType<typeof buildHookReceiver>['hookStats'],
  oktaReads: number,
  settle: Settle,
): number {
  const sorted = [...load.answerMs].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const status5xx = Object.entries(load.statuses)
    .filter(([s]) => Number(s) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  const lost = settle.wrong.length;
  const figures = {
    offered: {
      deliveries: load.deliveries,
      perSecond: load.deliveries / load.offeredSeconds,
      events: load.events,
      realOktaChanges: load.realEvents,
      eventsSentAgain: load.resentEvents,
      wholeRedeliveries: load.redeliveries,
      people: opts.people,
      seconds: load.offeredSeconds,
    },
    answers: {
      p50Ms: p50,
      p95Ms: percentile(sorted, 95),
      p99Ms: p99,
      maxMs: sorted[sorted.length - 1],
      statuses: load.statuses,
      status5xx,
      networkErrors: load.networkErrors,
    },
    receiver: stats,
    oktaLatencyMs: opts.oktaLatencyMs,
    workers: opts.workers,
    oktaReads: { total: oktaReads, perMinute: (oktaReads / load.offeredSeconds) * 60 },
    endState: { ...settle.expected, settleSeconds: settle.seconds, lost, wrong: settle.wrong.slice(0, 10) },
  };
  const out = path.resolve(__dirname, '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'receiver.json'), JSON.stringify(figures, null, 2));

  const ms = (x: number | undefined) => `${(x ?? NaN).toFixed(1)} ms`;
  console.log(
    `\nbench: ${load.deliveries} deliveries in ${load.offeredSeconds.toFixed(1)} s (${figures.offered.perSecond.toFixed(1)}/s), ${load.events} events: ${load.realEvents} real Okta changes, ${load.resentEvents} of them sent again, ${load.redeliveries} whole redeliveries, the rest noise`,
  );
  console.log(
    `  answer time p50 ${ms(p50)}, p95 ${ms(figures.answers.p95Ms)}, p99 ${ms(p99)}, max ${ms(figures.answers.maxMs)}; statuses ${JSON.stringify(load.statuses)}; 5xx ${status5xx}; network errors ${load.networkErrors}`,
  );
  console.log(
    `  receiver: ${stats.duplicateDeliveries} duplicate deliveries, ${stats.ignored.duplicate} duplicate events, ${stats.queued} triggers queued, no Okta call; the workers' Okta reads ${oktaReads} (${figures.oktaReads.perMinute.toFixed(0)}/min of load)`,
  );
  console.log(
    `  end state after the workers ran (${settle.seconds.toFixed(0)} s): ${opts.people - lost}/${opts.people} as Okta has them (${settle.expected.active} active agents, ${settle.expected.suspended} suspended, ${settle.expected.stopped} deactivated, ${settle.expected.never} never seasonal); lost ${lost}`,
  );
  for (const w of settle.wrong.slice(0, 5)) console.log(`    ${w.oktaUserId}: want ${w.want}; got ${w.got}`);
  console.log('  (written to bench-results/receiver.json)');
  const ok = p99 <= TARGET_P99_MS && status5xx === 0 && load.networkErrors === 0 && lost === 0;
  console.log(ok ? `bench: target met (p99 ≤ ${TARGET_P99_MS} ms, no 5xx, no one lost)` : 'bench: TARGET MISSED');
  return ok ? 0 : 1;
}
