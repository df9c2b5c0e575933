// `npm run test:stack -- [--agents 200] [--rpm 300] [--workers 2]`
// The production topology (scripts/stack/topology.ts) under faults, with the same season as `npm start`: one worker
// process SIGKILLed and the Temporal server killed and restarted while the provisioning wave runs, PostgreSQL
// restarted while the agents sleep, then the season ends. Checked with the season report and the emulators' own
// state. Ends with one line: wave against the rate-limit bound, 429s, lost / duplicated / wrong, faults survived.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { runMain } from '../platform/errors';
import { positiveInteger } from './options';
import { queueRequestsPerMinute } from '../domain/rate-budget';
import { playSeason, type PlayHooks } from './demo/play';
import { buildReport, printReport } from './demo/report';
import { DEMO_CALLS_PER_AGENT, DEMO_ORG } from './demo/season-config';
import { faultPlan } from './stack/faults';
import { prepareStack, startStack } from './stack/topology';
import { describeWave, waveMeter } from './stack/wave';
import { describeSlowAgent, slowestAgents } from './stack/slowest';
import { queuePartitions } from './stack/partitions';
import { genesysTaskQueue } from '../workflows/messages';

const ROOT = path.resolve(__dirname, '..');
const MIN_WAVE_RATIO = 0.9;

/** Runs each moment's hooks in order: the wave is measured before the faults are waited for. */
function inOrder(...all: PlayHooks[]): PlayHooks {
  return {
    waveStarting: async () => {
      for (const h of all) await h.waveStarting?.();
    },
    waveDone: async () => {
      for (const h of all) await h.waveDone?.();
    },
    agentsSleeping: async () => {
      for (const h of all) await h.agentsSleeping?.();
    },
  };
}

/**
 * The preflight, the receiver's role catalog and each process's OAuth token are Genesys calls outside the
 * rate-limited queue, which the budget the workers keep free is for (domain/rate-budget.ts). They come just before the wave here (in a real season,
 * hours before); wait out the emulator's 60-s window so the wave's 429 count is about the workers alone.
 */
function quietMinute(log: (line: string) => void): PlayHooks {
  return {
    waveStarting: async () => {
      log("   (test:stack waits 60 s: the setup's own Genesys calls leave the rate-limit window before the wave)");
      await new Promise((r) => setTimeout(r, 60_000));
    },
  };
}

async function main(): Promise<number> {
  const opts = new Command('npm run test:stack')
    .description('The production topology under faults: worker kill and server restart mid-wave, PostgreSQL restart')
    .option('--workers <n>', 'worker processes', positiveInteger, 2)
    // Enough agents for a wave of minutes at the default budget: long enough to hit it with two faults.
    .option('--agents <n>', 'seasonal agents', positiveInteger, 200)
    .option(
      '--rpm <n>',
      "the Genesys org's request budget per minute (Genesys' default per client)",
      positiveInteger,
      300,
    )
    .parse()
    .opts<{ workers: number; agents: number; rpm: number }>();
  const log = (line: string) => console.log(line);
  const prepared = await prepareStack({ log });

  const startedAt = Date.now();
  const callsPerAgent = DEMO_CALLS_PER_AGENT;
  const expectedWaveMs = ((opts.agents * callsPerAgent) / queueRequestsPerMinute(opts.rpm)) * 60_000;
  // Plus the minute the setup's own Genesys calls take to leave the emulator's window (quietMinute below).
  const seasonMinutes = Math.ceil((expectedWaveMs / 60_000 + 3.5) * 2) / 2;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const seasonId = `holiday-faults-${stamp.toLowerCase()}`;
  const runDir = path.join(ROOT, 'data', 'runs', seasonId);
  mkdirSync(runDir, { recursive: true });
  const endsAt = new Date(startedAt + seasonMinutes * 60_000).toISOString();
  log(
    `test:stack — season ${seasonId}: ${opts.workers} worker processes, ${opts.agents} agents, ${opts.rpm} Genesys requests/min, season ${seasonMinutes} min`,
  );
  const stack = await startStack(
    {
      workers: opts.workers,
      rpm: opts.rpm,
      seasonId,
      startsAt: new Date(startedAt - 60_000).toISOString(),
      endsAt,
      runDir,
      log,
    },
    prepared,
  );
  try {
    const wave = waveMeter(stack.genesys, opts.rpm);
    const plan = faultPlan(stack, expectedWaveMs, log);
    const facts = await Promise.race([
      playSeason(stack, {
        seasonId,
        agents: opts.agents,
        seasonEndsAt: endsAt,
        extendBySeconds: 40,
        hooks: inOrder(quietMinute(log), wave.hooks, plan.hooks),
      }),
      stack.failure,
    ]);
    const report = await Promise.race([buildReport(stack, stack.client, seasonId, facts, startedAt), stack.failure]);
    printReport(report);

    // From the Genesys emulator's own state: every agent's users, whatever the workflows believe.
    const users = (await stack.genesys.inspect(DEMO_ORG)).users;
    const perAgent = facts.agents.map((a) => users.filter((u) => u.externalId === a.oktaUserId).length);
    const lost = perAgent.filter((n) => n === 0).length;
    const duplicated = perAgent.filter((n) => n > 1).length;
    const wrong = facts.grantMismatchesWhileActive.length;
    const failedCheck = report.checks.find((c) => c.name === 'workflows that did not complete');
    const failedWorkflows = Number(failedCheck?.actual ?? NaN);
    const status429 = await wave.total429();
    const figures = wave.figures();
    const faults = plan.faults();
    const survived = faults.filter((f) => f.onTime).length;
    if (figures) log(describeWave(figures, opts.workers));
    // The org's rate limit is whole only on one partition (deploy/temporal/server/dynamicconfig.yaml).
    const partitions = await queuePartitions(stack.serverMetricsUrl, genesysTaskQueue(DEMO_ORG), 'Activity');
    log(
      `  ${partitions.length === 1 ? '✔' : '✘'} the server ran the Genesys queue on ${partitions.length} partition(s) (its metrics; 1 keeps the org's rate limit whole)`,
    );
    const slowest = await slowestAgents(
      stack.client,
      DEMO_ORG,
      facts.agents.map((a) => a.oktaUserId),
      wave.startedAt(),
    );
    log('  the wave ended with (slowest agents first):');
    for (const a of slowest) log(`    ${describeSlowAgent(a)}`);
    for (const f of faults) log(`  ${f.onTime ? '✔' : '✘'} ${f.name} (recovered in ${f.recoverySeconds.toFixed(1)} s)`);

    const ratio = figures?.ofBound ?? 0;
    const ok =
      report.ok &&
      lost === 0 &&
      duplicated === 0 &&
      wrong === 0 &&
      failedWorkflows === 0 &&
      status429 === 0 &&
      partitions.length === 1 &&
      ratio >= MIN_WAVE_RATIO &&
      faults.length === 3 &&
      survived === 3;
    const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
    writeFileSync(
      path.join(runDir, 'test-stack.json'),
      JSON.stringify(
        {
          ok,
          opts,
          wave: figures,
          timeline: wave.timeline(),
          slowest,
          status429,
          genesysQueuePartitions: partitions.length,
          lost,
          duplicated,
          wrong,
          failedWorkflows,
          faults,
          report,
        },
        null,
        2,
      ),
    );
    console.log(
      `\ntest:stack: ${ok ? 'PASS' : 'FAIL'} — wave ${ratio.toFixed(2)} of the rate-limit bound (${figures?.seconds.toFixed(0) ?? '?'} s, ${opts.workers} workers, ${opts.agents} agents at ${opts.rpm}/min), ${status429} × 429, lost ${lost}, duplicated ${duplicated}, wrong grants ${wrong}, failed workflows ${failedWorkflows}, faults survived ${survived}/3 (worker SIGKILL and server restart mid-wave, PostgreSQL restart while asleep), report ${report.ok ? 'holds' : 'FAILED'}, ${minutes} min`,
    );
    return ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

// After a failure the season's own loops may still wait on timers: leave once everything is stopped.
runMain(() => main().finally(() => setTimeout(() => process.exit(), 200).unref()));
