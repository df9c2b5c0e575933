// GenesysApiError → Temporal failure: the decision table, and its agreement with the workflow's retry policy.
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { NON_HEALING_FAILURES } from '../../activities/types';
import {
  CONFLICT_RETRY_ATTEMPTS,
  NEW_USER_NOT_FOUND_WINDOW_MS,
  NOT_FOUND_LAG_ATTEMPTS,
  NOT_FOUND_RETRY_DELAY_MS,
  RETRYABLE_GENESYS_FAILURES,
  toTemporalFailure,
  type FailureContext,
} from '../../activities/genesys-failures';
import { GenesysApiError, type GenesysErrorKind } from '../../integrations/genesys';

function apiError(
  kind: GenesysErrorKind,
  extra: Partial<ConstructorParameters<typeof GenesysApiError>[0]> = {},
): GenesysApiError {
  return new GenesysApiError({ kind, operation: 'POST /api/v2/authorization/subjects/{subjectId}/bulkadd', ...extra });
}

function mapped(err: GenesysApiError, ctx: Partial<FailureContext> = {}): ApplicationFailure {
  const f = toTemporalFailure(err, { attempt: 1, notFound: 'final', ...ctx });
  if (!(f instanceof ApplicationFailure)) throw new Error('expected an ApplicationFailure');
  return f;
}

describe('Genesys failure mapping', () => {
  it('429 → retryable, benign GenesysRateLimited with nextRetryDelay from Retry-After', () => {
    const f = mapped(apiError('RateLimited', { status: 429, retryAfterMs: 3000 }));
    expect(f).toMatchObject({
      type: 'GenesysRateLimited',
      nonRetryable: false,
      nextRetryDelay: 3000,
      category: 'BENIGN',
    });
  });

  it('429 without a known delay leaves the backoff to the retry policy', () => {
    expect(mapped(apiError('RateLimited', { status: 429 })).nextRetryDelay).toBeUndefined();
  });

  it.each<[GenesysErrorKind, string]>([
    ['ServerError', 'GenesysServerError'],
    ['InvalidResponse', 'GenesysInvalidResponse'],
  ])('%s → retryable %s at any attempt', (kind, type) => {
    expect(mapped(apiError(kind), { attempt: 20 })).toMatchObject({ type, nonRetryable: false });
  });

  it.each<[GenesysErrorKind, string]>([
    ['BadRequest', 'GenesysBadRequest'],
    ['Forbidden', 'GenesysForbidden'],
  ])('%s → non-retryable %s at once', (kind, type) => {
    expect(mapped(apiError(kind))).toMatchObject({ type, nonRetryable: true });
  });

  it('404 on a user that may be lagging: retried while attempt ≤ 5, then non-retryable GenesysNotFound with the hint', () => {
    const err = apiError('NotFound', { status: 404 });
    for (let attempt = 1; attempt <= NOT_FOUND_LAG_ATTEMPTS; attempt++) {
      expect(mapped(err, { attempt, notFound: 'user-lag' })).toMatchObject({
        type: 'GenesysNotFoundYet',
        nonRetryable: false,
      });
    }
    const last = mapped(err, { attempt: NOT_FOUND_LAG_ATTEMPTS + 1, notFound: 'user-lag', notFoundHint: 'user u1' });
    expect(last).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
    expect(last.message).toMatch(/\(user u1\)$/);
  });

  it('404 within 30 s of the create this run made: retried after 2 s at any attempt; from 30 s on, final', () => {
    const err = apiError('NotFound', { status: 404 });
    const now = 1_000_000;
    expect(
      mapped(err, { attempt: 12, notFound: 'user-lag', userCreatedAt: now - NEW_USER_NOT_FOUND_WINDOW_MS + 1, now }),
    ).toMatchObject({ type: 'GenesysNotFoundYet', nonRetryable: false, nextRetryDelay: NOT_FOUND_RETRY_DELAY_MS });
    const late = mapped(err, {
      attempt: 1,
      notFound: 'user-lag',
      userCreatedAt: now - NEW_USER_NOT_FOUND_WINDOW_MS,
      now,
      notFoundHint: 'user u1; roles [r1]; divisions [d1]',
    });
    expect(late).toMatchObject({ type: 'GenesysNotFound', nonRetryable: true });
    expect(late.message).toContain('roles [r1]; divisions [d1]');
    // A call whose 404 can only be final ignores the window.
    expect(mapped(err, { notFound: 'final', userCreatedAt: now, now })).toMatchObject({ type: 'GenesysNotFound' });
  });

  it('a final 404 is non-retryable on the first attempt', () => {
    expect(mapped(apiError('NotFound', { status: 404 }), { notFound: 'final' })).toMatchObject({
      type: 'GenesysNotFound',
      nonRetryable: true,
    });
  });

  it('409 heals on a retry or two, then is non-retryable GenesysConflict', () => {
    const err = apiError('Conflict', { status: 409 });
    expect(mapped(err, { attempt: 1 })).toMatchObject({ type: 'GenesysConflictRetrying', nonRetryable: false });
    expect(mapped(err, { attempt: CONFLICT_RETRY_ATTEMPTS - 1 }).nonRetryable).toBe(false);
    expect(mapped(err, { attempt: CONFLICT_RETRY_ATTEMPTS })).toMatchObject({
      type: 'GenesysConflict',
      nonRetryable: true,
    });
  });

  it('401 after a fresh token: retried briefly, then a ConfigError naming the credentials', () => {
    const err = apiError('Unauthorized', { status: 401 });
    expect(mapped(err, { attempt: 1 })).toMatchObject({ type: 'GenesysUnauthorized', nonRetryable: false });
    const last = mapped(err, { attempt: 3 });
    expect(last).toMatchObject({ type: 'ConfigError', nonRetryable: true });
    expect(last.message).toMatch(/client id and secret/);
  });

  it('cancellation stays a cancellation', () => {
    expect(toTemporalFailure(apiError('Cancelled'), { attempt: 1, notFound: 'final' })).toBeInstanceOf(
      CancelledFailure,
    );
  });

  it('retryable types are outside NON_HEALING_FAILURES (the retry policy would otherwise stop them)', () => {
    for (const type of RETRYABLE_GENESYS_FAILURES)
      expect(NON_HEALING_FAILURES as readonly string[]).not.toContain(type);
  });

  it('every non-retryable type is one the workflow knows as non-healing', () => {
    const kinds: GenesysErrorKind[] = [
      'RateLimited',
      'ServerError',
      'NotFound',
      'Conflict',
      'BadRequest',
      'Forbidden',
      'Unauthorized',
      'InvalidResponse',
    ];
    for (const kind of kinds) {
      for (const attempt of [1, 2, 3, 6, 30]) {
        const f = mapped(apiError(kind), { attempt, notFound: 'user-lag' });
        if (f.nonRetryable) expect(NON_HEALING_FAILURES as readonly string[]).toContain(f.type);
        else expect(NON_HEALING_FAILURES as readonly string[]).not.toContain(f.type);
      }
    }
  });
});
