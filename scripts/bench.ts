// `npm run bench -- [--agents 300] [--rpm 300]`: one provisioning wave and one season-end teardown wave against
// the Genesys emulator at the org's request budget, on a real dev server and real workers.
// Prints: wave time against the rate-limit bound (API calls needed ÷ budget), 429s, history events and Temporal
// actions per agent (happy path, whole life). Target: wave ≥ 0.9 of the bound, no failed workflow.
// `--scenario sleepers` runs the memory and visibility bench (scripts/bench-sleepers.ts) instead, `--scenario
// receiver` the Okta hook receiver under load (scripts/bench-receiver.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createGenesysActivities } from '../activities/genesys';
import { createOktaActivities } from '../activities/okta';
import type { OrgConnection } from '../config/orgs';
import { startGenesysEmulator } from '../emulators/genesys';
import { GenesysClient } from '../integrations/genesys';
import { startDevServer } from '../platform/dev-server';
import { runMain, UserError } from '../platform/errors';
import { seasonalAgentInput, enrolAgent } from '../operations/seasonal-agent';
import { createWorkers } from '../worker/workers';
import { computeEntitlements } from '../domain/entitlements';
import type { NameResolution } from '../domain/agent';
import { seasonalAgentWorkflowId, type SeasonalAgentInput } from '../workflows/agent/contract';
import { retailRoutedMapping, AGENTS_GROUP, CHAT_GROUP, teardownAtOnce } from '../test/support/agents';
import { analyseHistory, HistoryFigures } from './bench-history';
import { sleepersBench } from './bench-sleepers';
import { receiverBench } from './bench-receiver';
import { queueRequestsPerMinute } from '../domain/rate-budget';

const ORG = 'retail-us';
const SEASON = 'bench-holiday';

interface Options {
  agents: number;
  rpm: number;
}

async function main(): Promise<number> {
  const opts = new Command('bench')
    .option('--agents <n>', 'agents in the wave', (v) => Number(v), 300)
    .option('--rpm <n>', "the org's request budget per minute", (v) => Number(v), 300)
    .option('--scenario <name>', 'wave | sleepers | receiver (scripts/bench-sleepers.ts, bench-receiver.ts)', 'wave')
    .parse()
    .opts<Options>();
  Runtime.install({ logger: new DefaultLogger('ERROR') });

  const server = await startDevServer({ uiPort: false });
  const emulator = await startGenesysEmulator({ port: 0, rateLimitPerMinute: opts.rpm });
  const org: OrgConnection = {
    orgId: ORG,
    genesys: {
      apiBaseUrl: emulator.url,
      loginBaseUrl: emulator.url,
      clientId: 'retail-us-provisioner',
      clientSecret: 'emulator-retail-us-secret',
      requestsPerMinute: opts.rpm,
    },
  };
  const orgs = new Map([[ORG, org]]);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const native = await NativeConnection.connect({ address: server.address });
  const workers = await createWorkers({
    connection: native,
    namespace: server.namespace,
    orgs: [{ orgId: ORG, requestsPerMinute: opts.rpm }],
    genesysActivities: createGenesysActivities(orgs),
    oktaActivities: createOktaActivities(new Map()),
  });
  const running = Promise.all(workers.map((w) => w.run()));

  try {
    // What the season CLI's preflight does once: resolve the mapping's names (two reads, before the wave).
    const resolved = await resolveNames(GenesysClient.fromConnection(org.genesys));
    await new Promise((r) => setTimeout(r, 1_000));
    emulator.resetCounts();

    // Calls the happy path needs per agent: find user, create (skills and languages ride on it), bulkadd, read
    // back, one members POST per queue (2, or 3 for the quarter also in chat); teardown: deactivate, bulkremove,
    // delete (which takes the user out of every queue). The bound is what the budget allows for them; OAuth token
    // calls count too.
    const perAgentProvision = 4 + 2.25;
    const perAgentTeardown = 3;
    const boundProvisionMs = ((opts.agents * perAgentProvision) / opts.rpm) * 60_000;
    const waveStart = Date.now();
    const seasonEndsAt = new Date(waveStart + boundProvisionMs * 1.25 + 30_000).toISOString();
    const inputs = Array.from({ length: opts.agents }, (_, i) => agentInput(i, seasonEndsAt, resolved));
    console.log(`bench: starting ${opts.agents} agents at ${opts.rpm} requests/min; season ends ${seasonEndsAt}`);
    const startBegan = Date.now();
    for (let i = 0; i < inputs.length; i += 50)
      await Promise.all(inputs.slice(i, i + 50).map((input) => enrolAgent(client, input)));
    const startSeconds = (Date.now() - startBegan) / 1000;

    // Wait until every workflow has closed (provisioned, slept, torn down).
    const deadline =
      Date.now() + boundProvisionMs * 3 + ((opts.agents * perAgentTeardown) / opts.rpm) * 60_000 * 3 + 120_000;
    for (;;) {
      const open = (await client.workflow.count(`SeasonIds = "${SEASON}" AND ExecutionStatus = "Running"`)).count;
      process.stdout.write(`\rbench: ${opts.agents - open}/${opts.agents} agents closed…   `);
      if (open === 0) break;
      if (Date.now() > deadline) throw new Error('the wave did not finish in time');
      await new Promise((r) => setTimeout(r, 5_000));
    }
    process.stdout.write('\n');

    const figures: HistoryFigures[] = [];
    for (const input of inputs) {
      const handle = client.workflow.getHandle(seasonalAgentWorkflowId(ORG, input.agent.oktaUserId));
      figures.push(analyseHistory(await handle.fetchHistory()));
    }
    const failed = (await client.workflow.count(`SeasonIds = "${SEASON}" AND ExecutionStatus != "Completed"`)).count;
    const notClean = figures.filter((f) => f.finalPhase !== 'Deprovisioned').length;
    const counts = emulator.requestCounts();
    const status429 = counts.totals.byStatus['429'] ?? 0;
    const okCalls = counts.totals.requests - status429;

    const provisionedAt = Math.max(...figures.map((f) => f.activeAtMs ?? Infinity));
    const waveMs = provisionedAt - waveStart;
    const teardownStart = Date.parse(seasonEndsAt);
    const teardownMs = Math.max(...figures.map((f) => f.closedAtMs)) - teardownStart;
    const provisionCalls = figures.reduce((n, f) => n + f.genesysActivitiesUntilActive, 0);
    const teardownCalls = figures.reduce((n, f) => n + f.genesysActivitiesAfterActive, 0);
    const boundWaveMs = (provisionCalls / opts.rpm) * 60_000;
    const boundTeardownMs = (teardownCalls / opts.rpm) * 60_000;
    const avg = (pick: (f: HistoryFigures) => number) => figures.reduce((n, f) => n + pick(f), 0) / figures.length;

    const report = {
      agents: opts.agents,
      requestsPerMinute: opts.rpm,
      startSeconds,
      provisioning: {
        waveSeconds: waveMs / 1000,
        boundSeconds: boundWaveMs / 1000,
        ofBound: boundWaveMs / waveMs,
        genesysCalls: provisionCalls,
      },
      teardown: {
        waveSeconds: teardownMs / 1000,
        boundSeconds: boundTeardownMs / 1000,
        ofBound: boundTeardownMs / teardownMs,
        genesysCalls: teardownCalls,
      },
      emulator: { requests: counts.totals.requests, accepted: okCalls, status429 },
      perAgent: {
        genesysCallsToProvision: provisionCalls / opts.agents,
        genesysCallsToTearDown: teardownCalls / opts.agents,
        queueMemberCalls:
          (counts.totals.byEndpoint['POST /api/v2/routing/queues/:queueId/members']?.['204'] ?? 0) / opts.agents,
        historyEvents: avg((f) => f.events),
        actionsUntilActive: avg((f) => f.actionsUntilActive),
        actionsWholeLife: avg((f) => f.actions),
      },
      failedWorkflows: failed,
      agentsNotDeprovisioned: notClean,
    };
    const out = path.resolve(__dirname, '..', 'bench-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'wave.json'), JSON.stringify(report, null, 2));

    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `\nbench: ${opts.agents} agents, budget ${opts.rpm} requests/min (the workers' queue spends ${queueRequestsPerMinute(opts.rpm).toFixed(0)} of them)`,
    );
    console.log(`  started all workflows in          ${startSeconds.toFixed(1)} s`);
    console.log(
      `  provisioning wave                 ${(waveMs / 1000).toFixed(1)} s; bound ${(boundWaveMs / 1000).toFixed(1)} s (${provisionCalls} calls ÷ budget) → ${pct(boundWaveMs / waveMs)} of the bound`,
    );
    console.log(
      `  teardown wave                     ${(teardownMs / 1000).toFixed(1)} s; bound ${(boundTeardownMs / 1000).toFixed(1)} s (${teardownCalls} calls ÷ budget) → ${pct(boundTeardownMs / teardownMs)} of the bound`,
    );
    console.log(`  emulator: ${counts.totals.requests} requests, ${status429} answered 429`);
    console.log(
      `  Genesys calls per agent (skills, languages and queues mapped): ${(provisionCalls / opts.agents).toFixed(2)} to provision, ${(teardownCalls / opts.agents).toFixed(2)} to tear down`,
    );
    console.log(
      `  per agent: ${report.perAgent.historyEvents.toFixed(1)} history events; Temporal actions ${report.perAgent.actionsUntilActive.toFixed(1)} until Active, ${report.perAgent.actionsWholeLife.toFixed(1)} whole life`,
    );
    console.log(`  failed workflows: ${failed}; agents not deprovisioned: ${notClean}`);
    console.log(`  (written to bench-results/wave.json)`);
    const ok = failed === 0 && notClean === 0 && boundWaveMs / waveMs >= 0.9;
    console.log(ok ? 'bench: target met (≥ 0.9 of the bound, no failed workflow)' : 'bench: TARGET MISSED');
    return ok ? 0 : 1;
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    await native.close();
    await connection.close();
    await emulator.close();
    await server.stop();
  }
}

async function resolveNames(genesys: GenesysClient): Promise<NameResolution> {
  const roles = await genesys.listRoles({ pageSize: 100 });
  const divisions = await genesys.listDivisions({ pageSize: 100 });
  const queues = await genesys.listRouting('queues', { pageSize: 100 });
  return {
    roles: Object.fromEntries(roles.entities.map((r) => [r.name, r.id])),
    divisions: Object.fromEntries(divisions.entities.map((d) => [d.name, d.id])),
    queues: Object.fromEntries(queues.entities.map((q) => [q.name, q.id])),
  };
}

function agentInput(i: number, seasonEndsAt: string, resolved: NameResolution): SeasonalAgentInput {
  const id = `00ubench${String(i).padStart(6, '0')}`;
  const groups = i % 4 === 0 ? [AGENTS_GROUP, CHAT_GROUP] : [AGENTS_GROUP];
  if (computeEntitlements(retailRoutedMapping, groups).queues.length === 0)
    throw new Error('bench mapping gives no queues');
  const season = { id: SEASON, orgId: ORG, endsAt: seasonEndsAt, mapping: retailRoutedMapping, policy: teardownAtOnce };
  const agent = {
    oktaUserId: id,
    login: `bench.${i}@retail.example`,
    email: `bench.${i}@retail.example`,
    givenName: 'Bench',
    familyName: `Agent${i}`,
  };
  return seasonalAgentInput(season, agent, groups, new Date().toISOString(), resolved);
}

/** `--scenario wave|sleepers|receiver` (also `--scenario=…`); the wave stays the default so `npm run bench` is unchanged. */
function scenario(argv: string[]): string {
  const at = argv.indexOf('--scenario');
  const inline = argv.find((a) => a.startsWith('--scenario='));
  return inline ? inline.slice('--scenario='.length) : at >= 0 ? (argv[at + 1] ?? '') : 'wave';
}

const chosen = scenario(process.argv);
if (chosen === 'sleepers') runMain(() => sleepersBench(process.argv));
else if (chosen === 'receiver') runMain(() => receiverBench(process.argv));
else if (chosen === 'wave') runMain(main);
else
  runMain(async () => {
    throw new UserError(`unknown scenario "${chosen}" (use wave, sleepers or receiver)`);
  });
