// The sleepers bench's figures: written to bench-results/sleepers.json and printed, against the product's scale
// targets (README, "Benchmark"): 10,000 sleeping agents on one worker within 300 MB RSS, and `season status`
// over them in ≤ 5 s.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type { CountTiming, Memory, StatusRun } from './bench-probes';

export const RSS_TARGET_MB = 300;
export const STATUS_TARGET_MS = 5_000;

export interface SleepersFigures {
  agents: number;
  /** How the worker ran: node flags, worker flags, environment. */
  workerSettings: string[];
  startAllMs: number;
  provisionAllMs: number;
  idle: Memory;
  asleep: Memory;
  asleepSamples: Memory[];
  devServer?: Memory;
  statusRuns: StatusRun[];
  counts: CountTiming[];
  genesysRequests: { total: number; byStatus: Record<string, number> };
  failedWorkflows: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mb = (m: Memory) => ({ rssMb: Math.round(m.rssMb), peakMb: Math.round(m.peakMb) });

/** Writes and prints the figures; true when every target holds. */
export function reportSleepers(f: SleepersFigures): boolean {
  const statusMs = f.statusRuns.map((r) => Math.round(r.ms));
  const last = f.statusRuns[f.statusRuns.length - 1]?.report;
  const allActive = last?.phases.Active === f.agents;
  const met =
    f.asleep.rssMb <= RSS_TARGET_MB &&
    Math.max(...statusMs) <= STATUS_TARGET_MS &&
    f.failedWorkflows === 0 &&
    allActive;
  const report = {
    agents: f.agents,
    machine: { cpus: cpus().length },
    worker: { process: 'node --import tsx worker/main.ts --bundle <prebuilt>', settings: f.workerSettings },
    startAllSeconds: seconds(f.startAllMs),
    provisionAllSeconds: seconds(f.provisionAllMs),
    agentsPerSecond: Math.round((f.agents / f.provisionAllMs) * 10_000) / 10,
    workerMemory: {
      idleBeforeWave: mb(f.idle),
      allAsleep: mb(f.asleep),
      samplesAsleepMb: f.asleepSamples.map((s) => Math.round(s.rssMb)),
    },
    devServerMemory: f.devServer ? mb(f.devServer) : null,
    statusCommand: { runsMs: statusMs, total: last?.total ?? null, phases: last?.phases ?? null },
    countByPhase: f.counts.map((c) => ({ ...c, ms: Math.round(c.ms) })),
    genesysRequests: f.genesysRequests,
    failedWorkflows: f.failedWorkflows,
    targets: { workerRssMb: RSS_TARGET_MB, statusMs: STATUS_TARGET_MS, met },
  };
  const out = path.resolve(__dirname, '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'sleepers.json'), `${JSON.stringify(report, null, 2)}\n`);

  const w = report.workerMemory;
  console.log(`\nbench: ${f.agents} sleeping agents on one worker process (${report.machine.cpus} CPUs)`);
  console.log(`  worker settings              ${f.workerSettings.join(' ') || '(defaults)'}`);
  console.log(`  started all workflows in     ${report.startAllSeconds} s`);
  console.log(`  all Active (asleep) after    ${report.provisionAllSeconds} s (${report.agentsPerSecond} agents/s)`);
  console.log(
    `  worker RSS asleep            ${w.allAsleep.rssMb} MB (highest ever ${w.allAsleep.peakMb} MB; idle ${w.idleBeforeWave.rssMb} MB) — target ≤ ${RSS_TARGET_MB} MB`,
  );
  console.log(`  season status (CLI, --json)  ${statusMs.join(' / ')} ms — target ≤ ${STATUS_TARGET_MS} ms`);
  console.log(
    `  count by phase               ${report.countByPhase.map((c) => `${c.what} ${c.count} in ${c.ms} ms`).join('; ')}`,
  );
  if (report.devServerMemory) console.log(`  dev server RSS               ${report.devServerMemory.rssMb} MB`);
  console.log(`  failed workflows: ${f.failedWorkflows}  (written to bench-results/sleepers.json)`);
  console.log(met ? 'bench: targets met' : 'bench: TARGET MISSED');
  return met;
}
