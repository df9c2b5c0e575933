// How much of an org's Genesys request budget (requests per minute per OAuth client) the workers' rate-limited
// queue may spend. The rest is kept free for two things Genesys counts against the same budget but the queue does
// not pace: the Temporal server's rate limiter starting (or restarting) with a full one-second burst, and calls
// made outside the queue — a worker process's OAuth token, the hook receiver's role/division catalog reads, the
// season CLI's reads. Measured on the production topology (deploy/README.md, `npm run test:stack`): a restarted
// server's burst (5 calls at 300/min) plus a restarted worker's token and catalog reads (4) filled the old 3%
// exactly and gave 429s.

/** Pacing slack in proportion to the budget: the limiter's burst is one second of it (1.7%). */
export const PACING_HEADROOM = 0.03;
/** Calls a minute outside the queue, whatever the budget: a token or two, a catalog read. */
export const OUTSIDE_CALLS_PER_MINUTE = 3;

/** Requests per minute the org's Genesys task queue may dispatch (never below half the budget). */
export function queueRequestsPerMinute(budget: number): number {
  return Math.max(budget * (1 - PACING_HEADROOM) - OUTSIDE_CALLS_PER_MINUTE, budget / 2);
}
