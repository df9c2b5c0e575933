// Fault injection. Every API request draws the same three numbers from the seeded generator whatever the
// configuration, so changing one fault rate does not reshuffle when the others fire.
import { SeededRandom } from './random';
import type { FaultConfig, FaultState } from './types';

export const DEFAULT_FAULTS: FaultConfig = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  errorStatuses: [500, 502, 503, 504],
  dropRate: 0,
  throttleNext: 0,
  throttleRetryAfterSeconds: 5,
  outageSeconds: 0,
};

export type FaultDecision =
  | { kind: 'outage'; retryAfterSeconds: number }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'error'; status: number; latencyMs: number }
  | { kind: 'pass'; latencyMs: number; dropAfterCommit: boolean };

function checkFraction(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be between 0 and 1`);
}

export class FaultInjector {
  private config: FaultConfig;
  private outageUntilMs = 0;
  private random: SeededRandom;

  constructor(initial: Partial<FaultConfig> = {}, seed = 1) {
    this.random = new SeededRandom(seed);
    this.config = { ...DEFAULT_FAULTS };
    this.update(initial);
  }

  update(partial: Partial<FaultConfig>): FaultState {
    const next: FaultConfig = { ...this.config, ...partial };
    checkFraction('errorRate', next.errorRate);
    checkFraction('dropRate', next.dropRate);
    if (next.latencyMs < 0 || next.latencyJitterMs < 0) throw new Error('latency must not be negative');
    if (next.errorStatuses.length === 0 || next.errorStatuses.some((s) => s < 500 || s > 599))
      throw new Error('errorStatuses must be 5xx codes');
    if (!Number.isInteger(next.throttleNext) || next.throttleNext < 0)
      throw new Error('throttleNext must be a non-negative integer');
    this.config = next;
    // Setting outageSeconds (re)starts the outage from now; 0 ends it.
    if (partial.outageSeconds !== undefined)
      this.outageUntilMs = partial.outageSeconds > 0 ? Date.now() + partial.outageSeconds * 1000 : 0;
    return this.state();
  }

  reseed(seed: number): void {
    this.random = new SeededRandom(seed);
  }

  state(): FaultState {
    return {
      ...this.config,
      outageUntil: this.outageUntilMs > Date.now() ? new Date(this.outageUntilMs).toISOString() : null,
    };
  }

  /** Decides the fate of one API request, before authentication. */
  decide(isWrite: boolean, nowMs: number = Date.now()): FaultDecision {
    const [errorDraw, dropDraw, jitterDraw] = [this.random.next(), this.random.next(), this.random.next()];
    if (this.outageUntilMs > nowMs)
      return { kind: 'outage', retryAfterSeconds: Math.max(1, Math.ceil((this.outageUntilMs - nowMs) / 1000)) };
    if (this.config.throttleNext > 0) {
      this.config.throttleNext -= 1;
      return { kind: 'throttle', retryAfterSeconds: this.config.throttleRetryAfterSeconds };
    }
    const latencyMs = this.config.latencyMs + Math.floor(jitterDraw * this.config.latencyJitterMs);
    if (errorDraw < this.config.errorRate) {
      const statuses = this.config.errorStatuses;
      const status =
        statuses[Math.min(statuses.length - 1, Math.floor((errorDraw / this.config.errorRate) * statuses.length))];
      return { kind: 'error', status, latencyMs };
    }
    return { kind: 'pass', latencyMs, dropAfterCommit: isWrite && dropDraw < this.config.dropRate };
  }
}
