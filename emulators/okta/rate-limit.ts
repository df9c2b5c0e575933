// Okta's rate limits for /api/v1, as the emulator applies them:
//   - per-endpoint buckets, each a fixed window that opens with the first request after the previous one
//     closed (Okta's windows are per minute but not aligned to wall-clock minutes); defaults are the former
//     published Workforce numbers (reference sheet §3.7, RL-OLD);
//   - a per-org concurrency limit: requests in flight at once (developer.okta.com/docs/reference/rl2-concurrency:
//     75 for Workforce and Customer Identity orgs). Over it: 429 with X-Rate-Limit-Limit and -Remaining 0 and a
//     Reset that is only an estimate (reference sheet §3.7).
export interface RateLimitSettings {
  /** When set, every bucket allows this many requests per window (tests); otherwise each its own default. */
  perMinute?: number;
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

  constructor(private settings: { perMinute: number; windowMs: number }) {}

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

/** The former published per-minute defaults (Workforce), by bucket. */
export const BUCKET_DEFAULTS = {
  'GET /api/v1/users/{id}': 2000,
  'POST|PUT|DELETE /api/v1/users/{id}*': 600,
  '/api/v1/users': 600,
  '/api/v1/groups': 500,
  '/api/v1/groups/{id}*': 1000,
  '/api/v1/logs': 120,
  'other /api/v1': 1200,
} as const;
export type BucketName = keyof typeof BUCKET_DEFAULTS;

/** The bucket a request counts against. `/users/{id}/groups` falls under "most other" (the stricter reading). */
export function bucketOf(method: string, path: string): BucketName {
  const p = path.replace(/^\/api\/v1/, '');
  const m = method.toUpperCase();
  if (p === '/users') return '/api/v1/users';
  if (/^\/users\/[^/]+$/.test(p) && m === 'GET') return 'GET /api/v1/users/{id}';
  if (/^\/users\/[^/]+(\/lifecycle\/.*)?$/.test(p) && m !== 'GET') return 'POST|PUT|DELETE /api/v1/users/{id}*';
  if (p === '/groups') return '/api/v1/groups';
  if (/^\/groups\/[^/]+/.test(p)) return '/api/v1/groups/{id}*';
  if (p.startsWith('/logs')) return '/api/v1/logs';
  return 'other /api/v1';
}

export class OktaRateLimits {
  private buckets = new Map<BucketName, FixedWindowLimiter>();
  private inFlight = 0;

  constructor(
    private settings: RateLimitSettings,
    private concurrency: number,
  ) {}

  configure(settings: Partial<RateLimitSettings> & { concurrency?: number }): void {
    const { concurrency, ...rest } = settings;
    this.settings = { ...this.settings, ...rest };
    if (concurrency !== undefined) this.concurrency = concurrency;
    this.buckets.clear();
  }

  current(): RateLimitSettings & { concurrency: number; buckets: Record<BucketName, number> } {
    const buckets = Object.fromEntries(
      (Object.keys(BUCKET_DEFAULTS) as BucketName[]).map((b) => [b, this.settings.perMinute ?? BUCKET_DEFAULTS[b]]),
    ) as Record<BucketName, number>;
    return { ...this.settings, concurrency: this.concurrency, buckets };
  }

  take(method: string, path: string, now = Date.now()): RateLimitVerdict {
    const name = bucketOf(method, path);
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = new FixedWindowLimiter({
        perMinute: this.settings.perMinute ?? BUCKET_DEFAULTS[name],
        windowMs: this.settings.windowMs,
      });
      this.buckets.set(name, bucket);
    }
    return bucket.take(now);
  }

  /** A request starts: false (and nothing counted) when the org already has `concurrency` in flight. */
  enter(): boolean {
    if (this.inFlight >= this.concurrency) return false;
    this.inFlight += 1;
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
