// OktaApiError → Temporal failure. Rate limits, outages, lost responses and "still activating" heal by retrying;
// bad requests, missing permissions, unknown users and a wrong API token need a person. The non-retryable
// types are in the workflow's NON_HEALING_FAILURES (and so in its nonRetryableErrorTypes, which beats an
// ApplicationFailure's own flag): a failure that should be retried must carry a type outside that list.
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { applicationFailure } from './application-failure';
import type { OktaApiError } from '../integrations/okta';
import type { NON_HEALING_FAILURES } from './types';

type NonHealingType = (typeof NON_HEALING_FAILURES)[number];
export type OktaFailureType =
  | Extract<NonHealingType, 'OktaBadRequest' | 'OktaNotFound' | 'ConfigError'>
  | 'OktaRateLimited'
  | 'OktaServerError'
  | 'OktaInvalidResponse'
  | 'OktaConflictRetrying';

/** Types emitted as retryable; none may appear in NON_HEALING_FAILURES (a unit test checks). */
export const RETRYABLE_OKTA_FAILURES = [
  'OktaRateLimited',
  'OktaServerError',
  'OktaInvalidResponse',
  'OktaConflictRetrying',
] as const satisfies readonly OktaFailureType[];

const failure = (
  type: OktaFailureType,
  message: string,
  nonRetryable: boolean,
  extra: { nextRetryDelay?: number; benign?: boolean } = {},
): ApplicationFailure => applicationFailure(type, message, nonRetryable, extra);

export function toTemporalFailure(err: OktaApiError): ApplicationFailure | CancelledFailure {
  const msg = err.message;
  switch (err.kind) {
    case 'RateLimited':
      // Retry exactly when the window resets (X-Rate-Limit-Reset), not on the policy's backoff.
      return failure('OktaRateLimited', msg, false, { nextRetryDelay: err.retryAfterMs, benign: true });
    case 'ServerError':
      return failure('OktaServerError', msg, false);
    case 'InvalidResponse':
      return failure('OktaInvalidResponse', msg, false);
    case 'Conflict':
      // E0000112: the user is still being activated; it settles by itself.
      return failure('OktaConflictRetrying', msg, false);
    case 'NotFound':
      return failure('OktaNotFound', msg, true);
    case 'BadRequest':
      return failure('OktaBadRequest', msg, true);
    case 'Forbidden':
      return failure('OktaBadRequest', `${msg}; check the API token's admin role (groups and users)`, true);
    case 'Unauthorized':
      // An SSWS token has no refresh (a service app's token was already renewed once): a 401 means the credentials
      // are wrong, expired or revoked until someone replaces them. The message names which and what to do.
      return failure('ConfigError', msg, true);
    case 'Cancelled':
      return new CancelledFailure('Okta request cancelled');
  }
}
