// One OAuth token per org client, shared by every request of that client. Genesys rate-limits per token
// (reference §5.1), so minting tokens freely would both waste budget and split it.

export interface FetchedToken {
  accessToken: string;
  /** Lifetime as granted by the server (expires_in), in milliseconds. */
  lifetimeMs: number;
}

interface CachedToken {
  accessToken: string;
  /** When we stop handing it out and fetch a new one (before real expiry, so in-flight requests stay valid). */
  refreshAt: number;
}

/** Refresh this long before expiry: 10% of the lifetime, capped at one minute (lifetimes are 300 s – 2 days). */
function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 10);
}

export class TokenCache {
  private cached: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token; concurrent callers during a refresh all await the same single token request. */
  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.accessToken;
    if (!this.inFlight) {
      this.inFlight = this.refresh().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  /**
   * Drops `token` after the API rejected it. Only that exact token: if another caller already replaced it,
   * the fresh one stays, so a burst of 401s for one stale token causes one refresh, not one each.
   */
  invalidate(token: string): void {
    if (this.cached?.accessToken === token) this.cached = undefined;
  }

  private async refresh(): Promise<string> {
    // Measured before the request: the server's clock for expires_in starts no later than this.
    const requestedAt = this.now();
    const fetched = await this.fetchToken();
    this.cached = {
      accessToken: fetched.accessToken,
      refreshAt: requestedAt + fetched.lifetimeMs - refreshMarginMs(fetched.lifetimeMs),
    };
    return fetched.accessToken;
  }
}
