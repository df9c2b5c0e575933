// `npm run bench -- [--agents 300] [--rpm 300] [--orgs 1|2] [--hook-agents 50]`: one provisioning wave and one
// season-end teardown wave per org against the Genesys emulator at each org's own request budget, on a real dev
// server and real workers (one process, one Genesys queue per org). With `--orgs 2` both orgs' waves run at the
// same time: each must reach its own bound (one org's backlog never starves the other). Before the waves, the
// hook → Active latency is measured unthrottled (scripts/bench-hook-to-active.ts).
// Writes bench-results/wave.json; target: each wave ≥ 0.9 of its bound, no failed workflow, no 429.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createGenesysActivities } from '../activities/genesys';
import { createOktaActivities } from '../activities/okta';
import type { OrgConnection } from '../config/orgs';
import { startGenesysEmulator, type GenesysEmulator } from '../emulators/genesys';
import { GenesysClient } from '../integrations/genesys';
import { startDevServer } from '../platform/dev-server';
import { enrolAgent } from '../operations/seasonal-agent';
import { createWorkers } from '../worker/workers';
import { queueRequestsPerMinute } from '../domain/rate-budget';
import { seasonalAgentWorkflowId, type SeasonalAgentInput } from '../workflows/agent/contract';
import { analyseHistory, type HistoryFigures } from './bench-history';
import { measureHookToActive, type HookToActive } from './bench-hook-to-active';
import { BENCH_ORGS, benchAgentInput, resolveNames, SEASON, type BenchOrg } from './bench-wave-orgs';
import { positiveInteger } from './options';

interface Options {
  agents: number;
  rpm: number;
  orgs: number;
  hookAgents: number;
}

/** One wave's figures: the bound is the Genesys calls it made ÷ the org's budget (token calls excluded). */
interface WaveFigures {
  seconds: number;
  boundSeconds: number;
  ratio: number;
  genesysCalls: number;
  genesysCallsPerAgent: number;
  http429: number;
}

interface OrgResult {
  orgId: string;
  agents: number;
  provisioning: WaveFigures;
  teardown: WaveFigures;
  failedWorkflows: number;
  agentsNotDeprovisioned: number;
  histories: HistoryFigures[];
}

type Counts = ReturnType<GenesysEmulator['requestCounts']>;

/** An org's Genesys calls (answered, not 429, no token requests) and 429s in a counts snapshot. */
function callsOf(counts: Counts, orgId: string): { calls: number; http429: number } {
  let calls = 0;
  let http429 = 0;
  for (const e of counts.entries) {
    if (e.orgId !== orgId || e.endpoint.endsWith('/oauth/token')) continue;
    if (e.status === 429) http429 += e.count;
    else calls += e.count;
  }
  return { calls, http429 };
}

function wave(ms: number, calls: number, http429: number, agents: number, rpm: number): WaveFigures {
  const boundSeconds = (calls / rpm) * 60;
  return {
    seconds: ms / 1000,
    boundSeconds,
    ratio: boundSeconds / (ms / 1000),
    genesysCalls: calls,
    genesysCallsPerAgent: calls / agents,
    http429,
  };
}

function orgCount(value: string): number {
  const n = positiveInteger(value);
  if (n > BENCH_ORGS.length) throw new InvalidArgumentError(`the emulator's fixture has ${BENCH_ORGS.length} orgs`);
  return n;
}

export async function waveBench(argv: string[]): Promise<number> {
  const opts = new Command('bench')
    .option('--scenario <name>', 'wave')
    .option('--agents <n>', 'agents in each org’s wave', positiveInteger, 300)
    .option('--rpm <n>', "each org's request budget per minute", positiveInteger, 300)
    .option('--orgs <n>', 'orgs whose waves run at the same time (1 or 2)', orgCount, 1)
    .option(
      '--hook-agents <n>',
      'agents for the unthrottled hook → Active figure (0: skip it)',
      (v) => (v === '0' ? 0 : positiveInteger(v)),
      50,
    )
    .parse(argv)
    .opts<Options>();
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  // Twice: with Genesys's lag after a create (production-faithful), and without it (the pipeline's own latency).
  const hookToActive: HookToActive[] = [];
  for (const withApiLag of opts.hookAgents > 0 ? [true, false] : []) {
    console.log(
      `bench: hook → Active with ${opts.hookAgents} agents, unthrottled (receiver and worker processes), ${withApiLag ? "with Genesys's lag after a create" : 'without API lags'}`,
    );
    hookToActive.push(await measureHookToActive(opts.hookAgents, withApiLag));
  }
  const orgs = BENCH_ORGS.slice(0, opts.orgs);
  const results = await runWaves(orgs, opts);

  const all = results.flatMap((r) => r.histories);
  const avg = (pick: (f: HistoryFigures) => number) => all.reduce((n, f) => n + pick(f), 0) / all.length;
  const perOrg = results.map(({ histories: _h, ...r }) => r);
  const first = perOrg[0]!;
  const report = {
    agents: opts.agents,
    rpm: opts.rpm,
    orgs: perOrg.length,
    provisioning: first.provisioning,
    teardown: first.teardown,
    temporalActionsPerAgent: avg((f) => f.actions),
    temporalActionsUntilActivePerAgent: avg((f) => f.actionsUntilActive),
    historyEventsPerAgent: avg((f) => f.events),
    failedWorkflows: perOrg.reduce((n, r) => n + r.failedWorkflows, 0),
    agentsNotDeprovisioned: perOrg.reduce((n, r) => n + r.agentsNotDeprovisioned, 0),
    hookToActive: hookToActive[0] ?? null,
    hookToActiveWithoutApiLag: hookToActive[1] ?? null,
    perOrg,
  };
  const out = path.resolve(__dirname, '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'wave.json'), JSON.stringify(report, null, 2));
  return printReport(report, perOrg, hookToActive);
}

async function runWaves(orgs: BenchOrg[], opts: Options): Promise<OrgResult[]> {
  const server = await startDevServer({ uiPort: false });
  const emulator = await startGenesysEmulator({ port: 0, rateLimitPerMinute: opts.rpm });
  const connections = new Map<string, OrgConnection>(
    orgs.map((o) => [
      o.orgId,
      {
        orgId: o.orgId,
        genesys: {
          apiBaseUrl: emulator.url,
          loginBaseUrl: emulator.url,
          clientId: o.clientId,
          clientSecret: o.clientSecret,
          requestsPerMinute: opts.rpm,
        },
      },
    ]),
  );
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const native = await NativeConnection.connect({ address: server.address });
  const workers = await createWorkers({
    connection: native,
    namespace: server.namespace,
    orgs: orgs.map((o) => ({ orgId: o.orgId, requestsPerMinute: opts.rpm })),
    genesysActivities: createGenesysActivities(connections),
    oktaActivities: createOktaActivities(new Map()),
  });
  const running = Promise.all(workers.map((w) => w.run()));

  try {
    // What the season CLI's preflight does once: resolve the mapping's names, before the wave.
    const resolved = new Map(
      await Promise.all(
        orgs.map(
          async (o) =>
            [o.orgId, await resolveNames(GenesysClient.fromConnection(connections.get(o.orgId)!.genesys))] as const,
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    emulator.resetCounts();

    // The season ends when the slowest org's wave should long be over: its calls at the budget, with room.
    const expectedCalls = Math.max(...orgs.map((o) => o.callsToProvision));
    const boundProvisionMs = ((opts.agents * expectedCalls) / opts.rpm) * 60_000;
    const waveStart = Date.now();
    const seasonEndsAt = Date.now() + boundProvisionMs * 1.25 + 30_000;
    const inputs = new Map<string, SeasonalAgentInput[]>(
      orgs.map((o) => [
        o.orgId,
        Array.from({ length: opts.agents }, (_, i) =>
          benchAgentInput(o, i, new Date(seasonEndsAt).toISOString(), resolved.get(o.orgId)!),
        ),
      ]),
    );
    console.log(
      `bench: ${opts.agents} agents in each of ${orgs.map((o) => o.orgId).join(' and ')} at ${opts.rpm} requests/min each; season ends ${new Date(seasonEndsAt).toISOString()}`,
    );
    // The orgs' starts interleaved: both waves begin together.
    const interleaved = Array.from({ length: opts.agents }, (_, i) => orgs.map((o) => inputs.get(o.orgId)![i]!)).flat();
    for (let i = 0; i < interleaved.length; i += 50)
      await Promise.all(interleaved.slice(i, i + 50).map((input) => enrolAgent(client, input)));

    // At the season end the provisioning wave is over: what was counted until then was spent on it.
    await new Promise((r) => setTimeout(r, Math.max(0, seasonEndsAt - Date.now())));
    const atSeasonEnd = emulator.requestCounts();

    const deadline = seasonEndsAt + boundProvisionMs * 3 + 120_000;
    const total = opts.agents * orgs.length;
    for (;;) {
      const open = (await client.workflow.count(`SeasonIds = "${SEASON}" AND ExecutionStatus = "Running"`)).count;
      process.stdout.write(`\rbench: ${total - open}/${total} agents closed…   `);
      if (open === 0) break;
      if (Date.now() > deadline) throw new Error('the teardown wave did not finish in time');
      await new Promise((r) => setTimeout(r, 2_000));
    }
    process.stdout.write('\n');
    const atEnd = emulator.requestCounts();

    const results: OrgResult[] = [];
    for (const o of orgs) {
      const histories: HistoryFigures[] = [];
      for (const input of inputs.get(o.orgId)!) {
        const handle = client.workflow.getHandle(seasonalAgentWorkflowId(o.orgId, input.agent.oktaUserId));
        histories.push(analyseHistory(await handle.fetchHistory()));
      }
      const provisioned = callsOf(atSeasonEnd, o.orgId);
      const whole = callsOf(atEnd, o.orgId);
      const activeAt = Math.max(...histories.map((f) => f.activeAtMs ?? Infinity));
      const closedAt = Math.max(...histories.map((f) => f.closedAtMs));
      results.push({
        orgId: o.orgId,
        agents: opts.agents,
        provisioning: wave(activeAt - waveStart, provisioned.calls, provisioned.http429, opts.agents, opts.rpm),
        teardown: wave(
          closedAt - seasonEndsAt,
          whole.calls - provisioned.calls,
          whole.http429 - provisioned.http429,
          opts.agents,
          opts.rpm,
        ),
        failedWorkflows: (
          await client.workflow.count(
            `SeasonIds = "${SEASON}" AND OrgId = "${o.orgId}" AND ExecutionStatus != "Completed"`,
          )
        ).count,
        agentsNotDeprovisioned: histories.filter((f) => f.finalPhase !== 'Deprovisioned').length,
        histories,
      });
    }
    return results;
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    await native.close();
    await connection.close();
    await emulator.close();
    await server.stop();
  }
}

function printReport(
  report: { agents: number; rpm: number; temporalActionsPerAgent: number; historyEventsPerAgent: number } & {
    temporalActionsUntilActivePerAgent: number;
  },
  perOrg: Array<Omit<OrgResult, 'histories'>>,
  hookToActive: HookToActive[],
): number {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const line = (name: string, w: WaveFigures) =>
    `  ${name.padEnd(13)} ${w.seconds.toFixed(1)} s; bound ${w.boundSeconds.toFixed(1)} s (${w.genesysCalls} calls ÷ budget) → ${pct(w.ratio)} of the bound; ${w.genesysCallsPerAgent.toFixed(2)} calls per agent; ${w.http429} × 429`;
  console.log(
    `\nbench: ${report.agents} agents per org, budget ${report.rpm} requests/min per org (the workers' queue spends ${queueRequestsPerMinute(report.rpm).toFixed(0)} of them)`,
  );
  for (const r of perOrg) {
    console.log(` ${r.orgId}:`);
    console.log(line('provisioning', r.provisioning));
    console.log(line('teardown', r.teardown));
    console.log(`  failed workflows: ${r.failedWorkflows}; agents not deprovisioned: ${r.agentsNotDeprovisioned}`);
  }
  console.log(
    `  per agent: ${report.historyEventsPerAgent.toFixed(1)} history events; Temporal actions ${report.temporalActionsUntilActivePerAgent.toFixed(1)} until Active, ${report.temporalActionsPerAgent.toFixed(1)} whole life`,
  );
  for (const h of hookToActive) {
    const p = h.partsP50Ms;
    console.log(
      `  hook → Active (${h.agents} agents, ${h.rpm} requests/min, Genesys 404s ${h.genesysNewUserNotFoundMs} ms after a create): p50 ${h.p50Ms} ms, p95 ${h.p95Ms} ms, max ${h.maxMs} ms (one person alone: ${h.aloneP50Ms} ms); medians: ${h.toWorkflowStartP50Ms} ms until the agent's workflow started, then workflow tasks waiting ${p.workflowTaskWaitMs} ms and running ${p.workflowTaskRunMs} ms, activities waiting ${p.activityWaitMs} ms (queue, retries) and running ${p.activityRunMs} ms, ${p.failedAttempts} failed attempts`,
    );
  }
  console.log(`  (written to bench-results/wave.json)`);
  const ok = perOrg.every(
    (r) =>
      r.failedWorkflows === 0 &&
      r.agentsNotDeprovisioned === 0 &&
      r.provisioning.ratio >= 0.9 &&
      r.teardown.ratio >= 0.9 &&
      r.provisioning.http429 + r.teardown.http429 === 0,
  );
  console.log(
    ok ? 'bench: target met (each wave ≥ 0.9 of its bound, no 429, no failed workflow)' : 'bench: TARGET MISSED',
  );
  return ok ? 0 : 1;
}
