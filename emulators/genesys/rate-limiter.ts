// Per-OAuth-client budget over a ROLLING window (a log of accepted request times). Rolling rather than fixed
// because it is the stricter reading of "N requests per minute": a fixed window would let a client send 2N
// across a window boundary, and a service tuned against that would 429 in production.
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RollingRateLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(
    private limit: number,
    private windowMs: number,
  ) {}

  configure(limit: number, windowMs: number = this.windowMs): void {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('rate limit must be a positive integer');
    if (!Number.isFinite(windowMs) || windowMs < 1) throw new Error('rate-limit window must be positive');
    this.limit = limit;
    this.windowMs = windowMs;
  }

  get settings(): { limit: number; windowMs: number } {
    return { limit: this.limit, windowMs: this.windowMs };
  }

  /** Only accepted requests enter the log: a client hammering through its 429s is not locked out forever. */
  take(key: string, nowMs: number = Date.now()): RateDecision {
    const log = this.accepted.get(key) ?? [];
    const cutoff = nowMs - this.windowMs;
    let expired = 0;
    while (expired < log.length && log[expired] <= cutoff) expired += 1;
    if (expired > 0) log.splice(0, expired);
    if (log.length >= this.limit) {
      const freeAt = log[log.length - this.limit] + this.windowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - nowMs) / 1000)) };
    }
    log.push(nowMs);
    this.accepted.set(key, log);
    return { allowed: true };
  }

  reset(): void {
    this.accepted.clear();
  }
}
