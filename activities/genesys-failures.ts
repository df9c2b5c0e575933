// GenesysApiError → Temporal failure. Decides what heals by retrying (rate limits, outages, lost responses,
// lagging reads right after a create) and what needs a person (bad input, missing permission, unknown ids).
// The non-retryable types are the ones the workflow lists in NON_HEALING_FAILURES. Those names are also in
// the workflow's retry.nonRetryableErrorTypes, which beats an ApplicationFailure's own nonRetryable=false:
// so a failure that SHOULD be retried must carry a type outside that list (GenesysNotFoundYet, …).
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { applicationFailure } from './application-failure';
import type { GenesysApiError } from '../integrations/genesys';
import { permissionsOf } from '../integrations/genesys/permissions';
import type { NON_HEALING_FAILURES } from './types';

type NonHealingType = (typeof NON_HEALING_FAILURES)[number];
export type GenesysFailureType =
  | NonHealingType
  | 'GenesysRateLimited'
  | 'GenesysServerError'
  | 'GenesysInvalidResponse'
  | 'GenesysUnauthorized'
  /** 404 while the user may still be propagating after a create: retried, then GenesysNotFound. */
  | 'GenesysNotFoundYet'
  /** 409 / stale version: retried, then GenesysConflict. */
  | 'GenesysConflictRetrying';

/** Types that this module emits as retryable; none of them may appear in NON_HEALING_FAILURES. */
export const RETRYABLE_GENESYS_FAILURES = [
  'GenesysRateLimited',
  'GenesysServerError',
  'GenesysInvalidResponse',
  'GenesysUnauthorized',
  'GenesysNotFoundYet',
  'GenesysConflictRetrying',
] as const satisfies readonly GenesysFailureType[];

/**
 * Attempts during which a 404 on a user that may have just been created counts as the API's lag, when the caller
 * does not say when the user was created (Terraform retries ~10 times).
 */
export const NOT_FOUND_LAG_ATTEMPTS = 5;
/**
 * How long after a create (or a revival or restore) a 404 on an Authorization or queue call is the API's lag: the
 * Terraform provider retries such 404s for 30 s after creating a user (`custom_retry_timeout`). Past it, the 404
 * is final and names the ids asked for.
 */
export const NEW_USER_NOT_FOUND_WINDOW_MS = 30_000;
/** The wait before trying a lagging 404 again: the emulator's default lag, and a fraction of the window. */
export const NOT_FOUND_RETRY_DELAY_MS = 2_000;
/** Attempts during which a version conflict is expected to heal. */
export const CONFLICT_RETRY_ATTEMPTS = 3;
/** Attempts during which a 401 after a fresh token may be a propagation blip rather than bad credentials. */
export const UNAUTHORIZED_RETRY_ATTEMPTS = 3;

export interface FailureContext {
  /** Temporal activity attempt, 1-based. */
  attempt: number;
  /**
   * How a 404 reads for this call: 'user-lag' — the user may have just been created (retry a few times);
   * 'final' — retrying will not help.
   */
  notFound: 'user-lag' | 'final';
  /**
   * When the workflow created (revived, restored) the user, epoch ms, if it did so in this run: a 'user-lag' 404
   * is then retried while within NEW_USER_NOT_FOUND_WINDOW_MS of it, and final after. Without it, a 'user-lag'
   * 404 is retried for NOT_FOUND_LAG_ATTEMPTS attempts.
   */
  userCreatedAt?: number | undefined;
  /** Now, epoch ms (tests pass it). */
  now?: number | undefined;
  /** Extra words for a final 404 (e.g. which role/division ids were asked for). Ids only, no PII. */
  notFoundHint?: string | undefined;
}

/** Whether a 404 may still be the API's lag after a create: decided from the call and the time, never the text. */
function mayBeLag(ctx: FailureContext): boolean {
  if (ctx.notFound !== 'user-lag') return false;
  if (ctx.userCreatedAt === undefined) return ctx.attempt <= NOT_FOUND_LAG_ATTEMPTS;
  return (ctx.now ?? Date.now()) - ctx.userCreatedAt < NEW_USER_NOT_FOUND_WINDOW_MS;
}

const failure = (
  type: GenesysFailureType,
  message: string,
  nonRetryable: boolean,
  extra: { nextRetryDelay?: number; benign?: boolean } = {},
): ApplicationFailure => applicationFailure(type, message, nonRetryable, extra);

/**
 * A 403 names the permission the call needs, from the product's permission table (never from Genesys' text), so
 * the agent parks with a reason an admin can act on: a permission revoked mid-season, a role edited.
 */
function forbiddenReason(err: GenesysApiError): string {
  const needed = permissionsOf(err.operation);
  const what =
    needed.length === 1
      ? `the OAuth client lacks the permission ${needed[0]} for ${err.operation}`
      : needed.length > 1
        ? `the OAuth client lacks one of the permissions ${err.operation} needs (${needed.join(', ')})`
        : `the OAuth client may not call ${err.operation}`;
  return `${what}: add it to the client's role (in the divisions the season maps), then retry the agent [${err.message}]`;
}

export function toTemporalFailure(err: GenesysApiError, ctx: FailureContext): ApplicationFailure | CancelledFailure {
  const msg = err.message;
  switch (err.kind) {
    case 'RateLimited':
      return failure('GenesysRateLimited', msg, false, { nextRetryDelay: err.retryAfterMs, benign: true });
    case 'ServerError':
      return failure('GenesysServerError', msg, false);
    case 'InvalidResponse':
      // Usually a proxy or truncated body; the call is idempotent, and the retry policy bounds the attempts.
      return failure('GenesysInvalidResponse', msg, false);
    case 'NotFound': {
      const hint = ctx.notFoundHint ? ` (${ctx.notFoundHint})` : '';
      if (!mayBeLag(ctx)) return failure('GenesysNotFound', `${msg}${hint}`, true);
      return failure(
        'GenesysNotFoundYet',
        `${msg}; retrying, the user may have just been created (attempt ${ctx.attempt})`,
        false,
        ctx.userCreatedAt !== undefined ? { nextRetryDelay: NOT_FOUND_RETRY_DELAY_MS } : {},
      );
    }
    case 'Conflict':
      return ctx.attempt < CONFLICT_RETRY_ATTEMPTS
        ? failure('GenesysConflictRetrying', `${msg}; retrying (attempt ${ctx.attempt})`, false)
        : failure('GenesysConflict', msg, true);
    case 'BadRequest':
      return failure('GenesysBadRequest', msg, true);
    case 'Forbidden':
      return failure('GenesysForbidden', forbiddenReason(err), true);
    case 'Unauthorized':
      return ctx.attempt < UNAUTHORIZED_RETRY_ATTEMPTS
        ? failure('GenesysUnauthorized', `${msg}; retrying (attempt ${ctx.attempt})`, false)
        : failure('ConfigError', `${msg}; check the org's OAuth client id and secret`, true);
    case 'Cancelled':
      return new CancelledFailure('Genesys request cancelled');
  }
}
