// A progress bar on stderr for long waves, drawn only on an interactive terminal (never in --json output,
// pipes or CI logs, where it would be noise).
import { SingleBar, Presets } from 'cli-progress';
import type { Output } from '../context';

export interface Progress {
  tick(): void;
  stop(): void;
}

export function progress(out: Output, total: number, label: string): Progress {
  if (!out.interactive || total === 0) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} · {eta_formatted} left`, hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
