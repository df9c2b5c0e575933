// Client-side pacing for the CLI's own Genesys reads (preflight, plan, report, audit): requests are spread to
// stay under the org's budget, a few run at once, and a 429 or a 5xx is retried after the server's Retry-After.
// Without it a plan of 300 agents would burst 600 reads and meet a wall of 429s.
import { setTimeout as sleep } from 'node:timers/promises';
import { isGenesysApiError } from '../../../integrations/genesys';

const MAX_ATTEMPTS = 6;

export class Pacer {
  private readonly intervalMs: number;
  private nextStart = 0;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    requestsPerMinute: number,
    private readonly concurrency = 8,
  ) {
    this.intervalMs = 60_000 / Math.max(1, requestsPerMinute);
  }

  /** Runs one request (one API call) within the budget, retrying what heals by waiting. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        await this.waitForTurn();
        try {
          return await call();
        } catch (err) {
          const healing = isGenesysApiError(err, 'RateLimited') || isGenesysApiError(err, 'ServerError');
          if (!healing || attempt >= MAX_ATTEMPTS) throw err;
          await sleep(err.retryAfterMs ?? Math.min(30_000, 500 * 2 ** attempt));
        }
      }
    } finally {
      this.release();
    }
  }

  private async waitForTurn(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextStart);
    this.nextStart = at + this.intervalMs;
    if (at > now) await sleep(at - now);
  }

  private async acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
