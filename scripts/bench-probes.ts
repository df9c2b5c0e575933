// Measurements the sleepers bench takes from outside: a process's memory as the kernel counts it, the season
// CLI's `status` as an admin runs it (a fresh process, wall clock), and visibility counts by phase.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { PHASES, seasonQuery } from '../operations/visibility';
import type { StatusReport } from '../client/commands/status';

const ROOT = path.resolve(__dirname, '..');

export interface Memory {
  /** Resident set size now (VmRSS). */
  rssMb: number;
  /** The highest RSS the process ever had (VmHWM). */
  peakMb: number;
}

/** From /proc/<pid>/status (Linux): what `ps -o rss` shows, plus the high-water mark. */
export function processMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export interface StatusRun {
  ms: number;
  report: StatusReport;
}

/** `node --import tsx client/cli.ts status <season> --config <dir> --json`, timed from spawn to exit. */
export async function timeStatusCommand(opts: {
  seasonId: string;
  configDir: string;
  address: string;
  namespace: string;
}): Promise<StatusRun> {
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'client/cli.ts', 'status', opts.seasonId, '--config', opts.configDir, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: opts.address, TEMPORAL_NAMESPACE: opts.namespace },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`season status exited with ${code}: ${stderr.trim()}`);
  return { ms, report: JSON.parse(stdout) as StatusReport };
}

export interface CountTiming {
  what: string;
  count: number;
  ms: number;
}

/** One `client.workflow.count` per phase (the queries `status` makes), each timed on its own. */
export async function timeCountsByPhase(client: Client, season: { id: string; orgId: string }): Promise<CountTiming[]> {
  const queries: Array<[string, string]> = [
    ['all', seasonQuery(season)],
    ...PHASES.map((p): [string, string] => [p, seasonQuery(season, `AgentPhase = "${p}"`)]),
  ];
  const out: CountTiming[] = [];
  for (const [what, query] of queries) {
    const started = process.hrtime.bigint();
    const { count } = await client.workflow.count(query);
    out.push({ what, count, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  }
  return out;
}
