// The faults `npm run test:stack` injects into the production topology, each at the moment of the season it is
// meant for: a worker process SIGKILLed and the Temporal server killed and restarted while the provisioning wave
// runs, PostgreSQL restarted while the agents sleep until the season ends.
import type { PlayHooks } from '../demo/play';
import type { Stack } from './topology';

export interface InjectedFault {
  name: string;
  /** Milliseconds after the wave started (negative: not injected). */
  atMs: number;
  /** How long the stack took to answer again, from the kill to the replacement serving. */
  recoverySeconds: number;
  /** Injected at the moment it was meant for (mid-wave or while the agents sleep). */
  onTime: boolean;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hooks for playSeason that inject the faults. The mid-wave ones are timed as fractions of the expected wave,
 * and waveDone waits for them, so a fault never lands after the wave it was meant to hit.
 */
export function faultPlan(stack: Stack, expectedWaveMs: number, log: (line: string) => void) {
  const faults: InjectedFault[] = [];
  let waveStartedAt = 0;
  let waveEndedAt = 0;
  let midWave: Promise<void> = Promise.resolve();
  const timed = async (name: string, during: 'wave' | 'sleep', run: () => Promise<void>) => {
    const atMs = Date.now() - waveStartedAt;
    const started = Date.now();
    await run();
    const fault = { name, atMs, recoverySeconds: (Date.now() - started) / 1000, onTime: true };
    faults.push(fault);
    const when = during === 'wave' ? `at ${(atMs / 1000).toFixed(0)} s into the wave` : 'while the agents sleep';
    log(`  fault: ${name} ${when}; serving again after ${fault.recoverySeconds.toFixed(1)} s`);
    return fault;
  };
  /** The server answers a visibility query again: it reconnected to the database. */
  const serving = async () => {
    for (;;) {
      try {
        await stack.client.workflow.count('ExecutionStatus = "Running"');
        return;
      } catch {
        await pause(200);
      }
    }
  };

  const hooks: Required<PlayHooks> = {
    waveStarting() {
      waveStartedAt = Date.now();
      midWave = (async () => {
        // Past the wave's first minute: the server's limiter starts it with a burst of one second's tasks, and a
        // restarted worker's OAuth token call on top of that would be a 429 of the setup, not of the workers.
        await pause(expectedWaveMs * 0.4);
        await timed('worker process SIGKILLed (restarted 2 s later)', 'wave', () => stack.killWorker(0, 2_000));
        await pause(Math.max(0, waveStartedAt + expectedWaveMs * 0.7 - Date.now()));
        await timed('Temporal server killed and restarted', 'wave', () => stack.killServer(1_000));
      })();
      // Failures surface in waveDone; until then the season goes on.
      midWave.catch(() => {});
    },
    async waveDone() {
      waveEndedAt = Date.now();
      await midWave;
      // A fault that finished after the wave was over did not hit the wave.
      for (const f of faults) f.onTime = f.atMs < waveEndedAt - waveStartedAt;
    },
    async agentsSleeping() {
      await timed('PostgreSQL restarted', 'sleep', async () => {
        await stack.restartPostgres();
        await serving();
      });
    },
  };
  return { hooks, faults: () => faults, waveMs: () => waveEndedAt - waveStartedAt };
}
