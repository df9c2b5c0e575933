// One request bucket for the org's /api/v1 calls. Okta's windows are per minute but not aligned to wall-clock
// minutes, so a window opens with the first request after the previous one closed.
export interface RateLimitSettings {
  perMinute: number;
  /** Window length; one minute like Okta, shorter in tests that want to see a reset. */
  windowMs: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** UTC epoch seconds when the window resets (Okta's X-Rate-Limit-Reset). */
  resetEpochSeconds: number;
}

export class FixedWindowLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(private settings: RateLimitSettings) {}

  configure(settings: Partial<RateLimitSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.windowStart = 0;
    this.used = 0;
  }

  current(): RateLimitSettings {
    return { ...this.settings };
  }

  take(now = Date.now()): RateLimitVerdict {
    if (now >= this.windowStart + this.settings.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const allowed = this.used < this.settings.perMinute;
    if (allowed) this.used += 1;
    return {
      allowed,
      limit: this.settings.perMinute,
      remaining: Math.max(0, this.settings.perMinute - this.used),
      // Rounded up: a client that waits until this second never arrives before the reset.
      resetEpochSeconds: Math.ceil((this.windowStart + this.settings.windowMs) / 1000),
    };
  }
}
