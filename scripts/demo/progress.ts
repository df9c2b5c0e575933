// Agents by phase, from the same search attributes the Web UI filters on (one count query per phase).
import type { Client } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import type { AgentPhase } from '../../workflows/messages';

export const PHASES: AgentPhase[] = [
  'Provisioning',
  'Active',
  'Suspended',
  'NeedsAttention',
  'Deprovisioning',
  'Deprovisioned',
];
export type PhaseCounts = Record<AgentPhase, number>;

export async function countByPhase(client: Client, seasonId: string): Promise<PhaseCounts> {
  const counts = {} as PhaseCounts;
  await Promise.all(
    PHASES.map(async (phase) => {
      counts[phase] = (
        await client.workflow.count(`SeasonIds = "${seasonId}" AND SeasonPhases = "${seasonId}:${phase}"`)
      ).count;
    }),
  );
  return counts;
}

function describe(c: PhaseCounts): string {
  return PHASES.map((p) => `${p} ${c[p]}`).join(' │ ');
}

/**
 * Waits until `done(counts)` holds, drawing a progress bar (on a terminal) or a line every 10 s (in logs).
 * `value` says how far along the step is, out of `total`.
 */
export async function watchPhases(
  client: Client,
  seasonId: string,
  o: {
    title: string;
    total: number;
    value: (c: PhaseCounts) => number;
    done: (c: PhaseCounts) => boolean;
    timeoutMs: number;
  },
): Promise<PhaseCounts> {
  const tty = process.stdout.isTTY === true;
  const bar = tty
    ? new SingleBar({
        format: `  ${o.title.padEnd(26)} [{bar}] {value}/{total}  {phases}`,
        barsize: 24,
        hideCursor: true,
      })
    : undefined;
  bar?.start(o.total, 0, { phases: '' });
  const deadline = Date.now() + o.timeoutMs;
  let lastLine = 0;
  try {
    let last: PhaseCounts | undefined;
    for (;;) {
      // A server restart (npm run test:stack) fails a count for a moment: count again until the deadline.
      const counts = await countByPhase(client, seasonId).catch((err: unknown) => {
        if (Date.now() > deadline || last === undefined) throw err;
        return last;
      });
      last = counts;
      bar?.update(Math.min(o.total, o.value(counts)), { phases: describe(counts) });
      if (!tty && Date.now() - lastLine > 10_000) {
        console.log(`  ${o.title}: ${describe(counts)}`);
        lastLine = Date.now();
      }
      if (o.done(counts)) {
        if (!tty) console.log(`  ${o.title}: ${describe(counts)}`);
        return counts;
      }
      if (Date.now() > deadline) throw new Error(`${o.title}: timed out (${describe(counts)})`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } finally {
    bar?.stop();
  }
}
