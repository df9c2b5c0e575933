// The provisioning wave against the rate-limit bound, from the Genesys emulator's own request counts. The wave runs
// from the delivery of the first event hooks to the last agent Active or in NeedsAttention; the bound is
// the time the org's budget needs for the requests the wave made (requests ÷ requests per minute); the workers
// keep some of it free (domain/rate-budget.ts: 288 of 300/min), so 0.96 is the most a saturated queue reaches.
import type { PlayHooks } from '../demo/play';
import type { RemoteGenesys, RequestTotals } from './emulators';

export interface WaveFigures {
  seconds: number;
  requests: number;
  boundSeconds: number;
  /** bound ÷ actual: 1 means the wave went exactly as fast as the budget allows. */
  ofBound: number;
  status429: number;
}

export interface TimelineSample {
  s: number;
  requests: number;
  status429: number;
  calls: Record<string, number>;
}

function callsSince(earlier: RequestTotals, later: RequestTotals): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const [endpoint, n] of Object.entries(later.byEndpoint)) {
    const made = n - (earlier.byEndpoint[endpoint] ?? 0);
    if (made > 0) calls[endpoint] = made;
  }
  return calls;
}

export function waveMeter(genesys: RemoteGenesys, rpm: number) {
  let startedAt = 0;
  let before: RequestTotals = { requests: 0, status429: 0, byEndpoint: {} };
  let figures: WaveFigures | undefined;
  // Requests and 429s every two seconds from the wave's start, with the calls made since the previous sample: when
  // a 429 came and what the minute before it was made of say which fault or burst caused it.
  const timeline: TimelineSample[] = [];
  let previous: RequestTotals | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const hooks: Required<Pick<PlayHooks, 'waveStarting' | 'waveDone'>> = {
    async waveStarting() {
      before = await genesys.requestCounts();
      startedAt = Date.now();
      sampler = setInterval(() => {
        genesys.requestCounts().then(
          (c) => {
            timeline.push({
              s: Math.round((Date.now() - startedAt) / 1000),
              requests: c.requests,
              status429: c.status429,
              calls: callsSince(previous ?? before, c),
            });
            previous = c;
          },
          () => {},
        );
      }, 2_000);
      sampler.unref();
    },
    async waveDone() {
      clearInterval(sampler);
      const seconds = (Date.now() - startedAt) / 1000;
      const now = await genesys.requestCounts();
      const requests = now.requests - before.requests - (now.status429 - before.status429);
      const boundSeconds = (requests / rpm) * 60;
      figures = {
        seconds,
        requests,
        boundSeconds,
        ofBound: boundSeconds / seconds,
        status429: now.status429 - before.status429,
      };
    },
  };
  return {
    hooks,
    figures: () => figures,
    timeline: () => timeline,
    /** When the first event hooks were delivered (epoch ms). */
    startedAt: () => startedAt,
    /** Every 429 the emulator answered since it started. */
    total429: async () => (await genesys.requestCounts()).status429,
  };
}

export function describeWave(w: WaveFigures, workers: number): string {
  return `provisioning wave with ${workers} worker process(es): ${w.seconds.toFixed(1)} s for ${w.requests} Genesys requests; bound ${w.boundSeconds.toFixed(1)} s → ${(w.ofBound * 100).toFixed(1)}% of the rate-limit bound, ${w.status429} × 429`;
}
