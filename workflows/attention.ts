// Turning failures into a reason an operator can act on. Only ids, statuses and API messages: the activities
// never put tokens, secrets, emails or names into failure messages.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';

/** A stage cannot finish until someone fixes the cause (mapping, org setup, permissions). */
export class NeedsAttention extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NeedsAttention';
  }
}

export function attentionFromFailure(err: unknown): NeedsAttention {
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    const step = err.activityType ?? 'an activity';
    if (cause instanceof ApplicationFailure) {
      const kind = cause.nonRetryable ? (cause.type ?? 'error') : `${cause.type ?? 'error'} (retries exhausted)`;
      return new NeedsAttention(`${step}: ${kind}: ${cause.message}`);
    }
    if (cause instanceof TimeoutFailure)
      return new NeedsAttention(`${step}: timed out (${cause.timeoutType}) after all retries`);
    return new NeedsAttention(`${step}: ${cause?.message ?? err.message}`);
  }
  // Anything else is a bug in workflow code: let the workflow task fail and retry, so a fix can be deployed.
  throw err;
}
