// The one way the Genesys and Okta activities build a Temporal failure: typed, retryable or not, with the
// server's own retry delay when it gave one.
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';

export function applicationFailure<T extends string>(
  type: T,
  message: string,
  nonRetryable: boolean,
  extra: { nextRetryDelay?: number; benign?: boolean } = {},
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable,
    ...(extra.nextRetryDelay !== undefined ? { nextRetryDelay: extra.nextRetryDelay } : {}),
    // A 429 is the system working as designed: keep it out of error metrics and logs.
    ...(extra.benign ? { category: ApplicationFailureCategory.BENIGN } : {}),
  });
}
