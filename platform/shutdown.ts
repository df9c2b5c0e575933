// One place that stops what a process started when it is interrupted (Ctrl-C, SIGTERM, SIGHUP): every
// registered cleanup runs (newest first, bounded in time), then the process exits. Nothing is left orphaned.
type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
const lastResort = new Set<() => void>();
let installed = false;
let stopping = false;

async function runCleanups(): Promise<void> {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      await fn();
    } catch (err) {
      console.error(`shutdown: a cleanup failed: ${(err as Error).message}`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const timer = setTimeout(() => process.exit(130), 15_000);
      timer.unref();
      void runCleanups().then(() => process.exit(130));
    });
  }
  // A synchronous last resort (e.g. a crash): kill child processes outright.
  process.on('exit', () => {
    for (const kill of lastResort) kill();
  });
}

/** Registers a cleanup; returns a function that unregisters it (call it after a normal stop). */
export function onShutdown(cleanup: Cleanup, killNow?: () => void): () => void {
  install();
  cleanups.add(cleanup);
  if (killNow) lastResort.add(killNow);
  return () => {
    cleanups.delete(cleanup);
    if (killNow) lastResort.delete(killNow);
  };
}
