// OktaApiError → Temporal failure: what heals by retrying, and what waits for a person.
import { ApplicationFailure, ApplicationFailureCategory, CancelledFailure } from '@temporalio/common';
import { RETRYABLE_OKTA_FAILURES, toTemporalFailure } from '../../activities/okta-failures';
import { NON_HEALING_FAILURES } from '../../domain/failure-types';
import { OktaApiError, type OktaErrorKind } from '../../integrations/okta';

const op = 'DELETE /api/v1/groups/{groupId}/users/{userId}';
const mapped = (kind: OktaErrorKind, extra: Partial<ConstructorParameters<typeof OktaApiError>[0]> = {}) =>
  toTemporalFailure(new OktaApiError({ kind, operation: op, ...extra })) as ApplicationFailure;

describe('toTemporalFailure (Okta)', () => {
  it('retries a 429 exactly when the window resets, as a benign failure', () => {
    const f = mapped('RateLimited', { status: 429, retryAfterMs: 12_500 });
    expect(f).toMatchObject({
      type: 'OktaRateLimited',
      nonRetryable: false,
      nextRetryDelay: 12_500,
      category: ApplicationFailureCategory.BENIGN,
    });
  });

  it.each([
    ['ServerError', 'OktaServerError'],
    ['InvalidResponse', 'OktaInvalidResponse'],
    ['Conflict', 'OktaConflictRetrying'],
  ] as const)('retries %s', (kind, type) => {
    expect(mapped(kind)).toMatchObject({ type, nonRetryable: false });
  });

  it.each([
    ['BadRequest', 'OktaBadRequest'],
    ['Forbidden', 'OktaBadRequest'],
    ['NotFound', 'OktaNotFound'],
    ['Unauthorized', 'ConfigError'],
  ] as const)('does not retry %s', (kind, type) => {
    const f = mapped(kind, { status: 400 });
    expect(f).toMatchObject({ type, nonRetryable: true });
    expect(NON_HEALING_FAILURES).toContain(f.type);
  });

  it('turns a cancelled request into a cancellation', () => {
    expect(toTemporalFailure(new OktaApiError({ kind: 'Cancelled', operation: op }))).toBeInstanceOf(CancelledFailure);
  });

  it("keeps retryable types out of the workflow's non-retryable list (which would override them)", () => {
    for (const type of RETRYABLE_OKTA_FAILURES) expect(NON_HEALING_FAILURES as readonly string[]).not.toContain(type);
  });
});
