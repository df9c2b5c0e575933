// Requests per client address per minute, checked before anything else so a flood (or someone guessing the
// secret) costs almost nothing. Okta does not retry a 429, so the limit must sit well above real traffic.
export class RequestLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the caller may try again, or 0 when this request is allowed. */
  take(key: string): number {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    window.count += 1;
    return window.count <= this.perMinute ? 0 : window.start + 60_000 - now;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(key);
  }
}
