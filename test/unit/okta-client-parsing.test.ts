// Pure pieces of the Okta client: Link headers, the wait from X-Rate-Limit-Reset, status → kind, and messages
// that carry no PII.
import { errorFromResponse, kindForStatus, rateLimitWaitMs } from '../../integrations/okta/errors';
import { nextLink } from '../../integrations/okta/link-header';

describe('nextLink', () => {
  it('finds rel="next" among separate or comma-joined link headers', () => {
    const self = '<https://acme.okta.com/api/v1/groups?limit=2>; rel="self"';
    const next = '<https://acme.okta.com/api/v1/groups?after=00g2&limit=2>; rel="next"';
    expect(nextLink([self, next])).toBe('https://acme.okta.com/api/v1/groups?after=00g2&limit=2');
    expect(nextLink(`${self}, ${next}`)).toBe('https://acme.okta.com/api/v1/groups?after=00g2&limit=2');
    expect(nextLink('<https://x/a>; rel=next')).toBe('https://x/a');
    expect(nextLink('<https://x/b>; title="a, b"; rel="prev next"')).toBe('https://x/b');
  });

  it('returns undefined when there is no next page', () => {
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink('<https://acme.okta.com/api/v1/groups>; rel="self"')).toBeUndefined();
    expect(nextLink('')).toBeUndefined();
  });
});

describe('rateLimitWaitMs', () => {
  const date = 'Sun, 29 Nov 2026 09:00:00 GMT';
  const at = Date.parse(date) / 1000;

  it('measures the reset against the server Date header, plus a small margin', () => {
    expect(rateLimitWaitMs(String(at + 12), date, 0)).toBe(12_500);
  });

  it('uses the local clock without a Date header, and never goes negative', () => {
    expect(rateLimitWaitMs(String(at + 3), undefined, at * 1000)).toBe(3_500);
    expect(rateLimitWaitMs(String(at - 10), date)).toBe(500);
  });

  it('takes the latest reset when several buckets answered, and nothing when the header is unusable', () => {
    expect(rateLimitWaitMs(`${at + 5}, ${at + 30}`, date)).toBe(30_500);
    expect(rateLimitWaitMs(undefined, date)).toBeUndefined();
    expect(rateLimitWaitMs('soon', date)).toBeUndefined();
  });
});

describe('Okta errors', () => {
  it('maps statuses to kinds', () => {
    expect([429, 500, 503, 408, 404, 409, 401, 403, 400, 405].map(kindForStatus)).toEqual([
      'RateLimited',
      'ServerError',
      'ServerError',
      'ServerError',
      'NotFound',
      'Conflict',
      'Unauthorized',
      'Forbidden',
      'BadRequest',
      'BadRequest',
    ]);
  });

  it("names the operation template and errorCode, never Okta's summary (it can echo a login)", () => {
    const err = errorFromResponse({
      operation: 'GET /api/v1/users/{userId}',
      status: 404,
      data: {
        errorCode: 'E0000007',
        errorSummary: 'Not found: Resource not found: jane.doe@acme.com (User)',
        errorId: 'oaeXYZ',
        errorCauses: [],
      },
      headers: { 'x-okta-request-id': 'req123' },
    });
    expect(err).toMatchObject({
      kind: 'NotFound',
      status: 404,
      errorCode: 'E0000007',
      errorId: 'oaeXYZ',
      requestId: 'req123',
    });
    expect(err.message).toBe('Okta GET /api/v1/users/{userId} → 404 (NotFound) E0000007 [errorId oaeXYZ]');
    expect(err.message).not.toContain('@');
  });

  it("carries the wait on a 429 and tolerates a body that is not Okta's", () => {
    const date = 'Sun, 29 Nov 2026 09:00:00 GMT';
    const err = errorFromResponse({
      operation: 'DELETE /api/v1/groups/{groupId}/users/{userId}',
      status: 429,
      data: '<html>busy</html>',
      headers: { 'x-rate-limit-reset': String(Date.parse(date) / 1000 + 7), date },
    });
    expect(err).toMatchObject({ kind: 'RateLimited', retryAfterMs: 7_500, errorCode: undefined });
  });
});
