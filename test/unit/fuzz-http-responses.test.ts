// Property-based fuzzing of the Genesys and Okta clients' response handling (issue 16), over real loopback HTTP
// from a raw node server that answers whatever the case says: any status, Retry-After / X-Rate-Limit-Reset / Date
// headers in seconds, as dates, negative, huge or garbage, and bodies that are random JSON, not JSON, empty or of
// the wrong shape. Every answer is either the parsed body (a 2xx of the right shape) or the client's typed error
// of the kind the status calls for, with the server's delay when it gave a readable one; the activities' mapping
// of that error to a Temporal failure is retryable exactly when the kind heals, and the failure converts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure, DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { toTemporalFailure as genesysFailure } from '../../activities/genesys-failures';
import { toTemporalFailure as oktaFailure } from '../../activities/okta-failures';
import { NON_HEALING_FAILURES } from '../../activities/types';
import { GenesysApiError, GenesysClient, type GenesysErrorKind } from '../../integrations/genesys';
import { scimUserSchema } from '../../integrations/genesys/schemas';
import { MAX_SERVER_DELAY_MS } from '../../integrations/http-util';
import { OktaApiError, OktaClient, type OktaErrorKind } from '../../integrations/okta';
import { userSchema } from '../../integrations/okta/schemas';
import { fuzzAsync } from '../support/fuzz';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One loopback server for the file; each case sets the answer of the API (the token endpoint always works). */
let answer: Answer = { status: 200, headers: {}, body: '' };
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'tok', token_type: 'bearer', expires_in: 86400 }));
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

// ---- generators ----------------------------------------------------------------------------------------------

const status = fc.oneof(
  fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 408, 409, 410, 422, 429, 500, 502, 503, 504),
  fc.integer({ min: 200, max: 599 }),
);

/** Header values a server, a proxy or a bug may send (printable ASCII: Node refuses anything else). */
const headerGarbage = fc.oneof(
  fc.constantFrom('-5', '0', '1.5', ' 7 ', '1e3', 'Infinity', 'NaN', '5, 6', '0x10', 'foo 2', '2030-01-01', 'soon'),
  fc.constantFrom('9'.repeat(400), '99999999999', '-1', ''),
  fc.stringMatching(/^[ -~]{0,20}$/),
);
const secondsValue = fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 2 ** 40 })).map(String);
/** An IMF-fixdate from a year ago to far ahead. */
const httpDate = fc
  .integer({ min: -365 * 86_400, max: 10 * 365 * 86_400 })
  .map((s) => new Date(Math.floor(Date.now() / 1000 + s) * 1000).toUTCString());
const retryAfter = fc.option(fc.oneof(secondsValue, httpDate, headerGarbage), { nil: undefined });

const jsonText = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
const GENESYS_USER = { id: 'u1', userName: 'a@b.example', active: true, externalId: '00u1' };
const OKTA_USER = { id: '00u1', status: 'ACTIVE', profile: { login: 'a@b.example', email: 'a@b.example' } };

/** The right shape, the right shape with one field of a wrong type, or anything else. */
function bodyFor(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const wrongField = fc
    .tuple(fc.constantFrom(...Object.keys(valid)), fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined)))
    .map(([key, value]) => JSON.stringify({ ...valid, [key]: value }));
  return fc.oneof(
    fc.constant(JSON.stringify(valid)),
    wrongField,
    jsonText,
    fc.constantFrom('', ' ', 'null', '<html>502 Bad Gateway</html>', '{"message":', 'Retry the request in [4] seconds'),
    fc.constant(JSON.stringify({ message: 'Rate limit exceeded. Retry the request in [4] seconds', code: 'x' })),
    fc.constant(JSON.stringify({ schemas: [], status: '400', scimType: 'invalidVers', detail: 'stale' })),
    fc.string({ maxLength: 40 }),
  );
}

const contentType = fc.constantFrom('application/json', 'application/scim+json', 'text/plain', undefined);

function answerOf(
  s: number,
  body: string,
  type: string | undefined,
  extra: Record<string, string | undefined>,
): Answer {
  const headers: Record<string, string> = {};
  if (type) headers['content-type'] = type;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) headers[k] = v;
  return { status: s, headers, body };
}

// ---- oracles, written from the HTTP and API documentation rather than from the clients ------------------------

/** What axios hands the client: the body parsed as JSON when it is JSON, else the text. Nothing for a 204. */
function bodyValue(s: number, text: string): unknown {
  if (s === 204) return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const IMF = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const bounded = (ms: number) => Math.min(MAX_SERVER_DELAY_MS, Math.max(0, ms));

/** Retry-After: delay-seconds or an HTTP date; else Genesys' documented message; else unknown. [ms, tolerance]. */
function expectedRetryAfter(header: string | undefined, body: unknown): [number, number] | undefined {
  const value = header?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(value)) return [bounded(Math.round(Number(value) * 1000)), 0];
  if (IMF.test(value) && !Number.isNaN(Date.parse(value))) return [bounded(Date.parse(value) - Date.now()), 3000];
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const m = typeof message === 'string' ? /retry the request in \[(\d+)\] seconds/i.exec(message) : null;
  return m ? [bounded(Number(m[1]) * 1000), 0] : undefined;
}

function expectedGenesysKind(s: number, body: unknown): GenesysErrorKind {
  if (s === 429) return 'RateLimited';
  if (s >= 500 || s === 408) return 'ServerError';
  if (s === 404 || s === 410) return 'NotFound';
  if (s === 409) return 'Conflict';
  if (s === 401) return 'Unauthorized';
  if (s === 403) return 'Forbidden';
  const scimType = typeof body === 'object' && body !== null ? (body as { scimType?: unknown }).scimType : undefined;
  if (s === 400 && scimType === 'invalidVers') return 'Conflict';
  return 'BadRequest';
}

function expectedOktaKind(s: number): OktaErrorKind {
  if (s === 429) return 'RateLimited';
  if (s >= 500 || s === 408) return 'ServerError';
  if (s === 404) return 'NotFound';
  if (s === 409) return 'Conflict';
  if (s === 401) return 'Unauthorized';
  if (s === 403) return 'Forbidden';
  return 'BadRequest';
}

/**
 * Kinds that heal by retrying, at a first attempt: the rest wait for a person. Genesys retries a 401 a few times
 * (a new client's grant may still be propagating); an Okta SSWS token has no refresh, so its 401 is final.
 */
const HEALING = {
  genesys: new Set(['RateLimited', 'ServerError', 'InvalidResponse', 'Conflict', 'Unauthorized']),
  okta: new Set(['RateLimited', 'ServerError', 'InvalidResponse', 'Conflict']),
};

function expectWithin(actual: number | undefined, expected: [number, number] | undefined): void {
  if (expected === undefined) {
    expect(actual).toBeUndefined();
    return;
  }
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected[0])).toBeLessThanOrEqual(expected[1]);
}

/** The Temporal failure of an activity: retryable as the kind says, its delay the server's, and sendable. */
function expectTemporalFailure(
  failure: unknown,
  healing: Set<string>,
  kind: string,
  retryAfterMs: number | undefined,
): void {
  expect(failure).toBeInstanceOf(ApplicationFailure);
  const f = failure as ApplicationFailure;
  expect(f.nonRetryable).toBe(!healing.has(kind));
  expect(NON_HEALING_FAILURES.includes(f.type as never)).toBe(f.nonRetryable);
  expect(f.nextRetryDelay).toBe(kind === 'RateLimited' ? retryAfterMs : undefined);
  // The worker converts the failure to send it; a delay Temporal cannot represent would throw here.
  expect(() => new DefaultFailureConverter().errorToFailure(f, defaultPayloadConverter)).not.toThrow();
}

describe('client response fuzz', () => {
  it('Genesys: any status, Retry-After and body → the user or the typed error of its kind (500 cases)', async () => {
    const client = new GenesysClient({ apiBaseUrl: url, loginBaseUrl: url, clientId: 'c', clientSecret: 's' });
    await fuzzAsync(
      'http: Genesys responses',
      fc.asyncProperty(
        status,
        retryAfter,
        bodyFor(GENESYS_USER),
        contentType,
        fc.option(fc.stringMatching(/^[ -~]{0,30}$/), { nil: undefined }),
        async (s, ra, body, type, correlation) => {
          answer = answerOf(s, body, type, { 'retry-after': ra, 'inin-correlation-id': correlation });
          const value = bodyValue(s, body);
          const outcome = await client.getUser('u1').then(
            (user) => ({ user }),
            (error: unknown) => ({ error }),
          );
          if ('user' in outcome) {
            expect(s >= 200 && s < 300).toBe(true);
            expect(outcome.user).toEqual(scimUserSchema.parse(value));
            return;
          }
          const err = outcome.error;
          expect(err).toBeInstanceOf(GenesysApiError);
          const e = err as GenesysApiError;
          const kind = s >= 200 && s < 300 ? 'InvalidResponse' : expectedGenesysKind(s, value);
          expect(e.kind).toBe(kind);
          expect(e.status).toBe(s);
          if (kind === 'InvalidResponse') expect(scimUserSchema.safeParse(value).success).toBe(false);
          if (kind === 'RateLimited') expectWithin(e.retryAfterMs, expectedRetryAfter(ra, value));
          else expect(e.retryAfterMs).toBeUndefined();
          expect(e.message).not.toMatch(/a@b\.example|\n/);
          expectTemporalFailure(
            genesysFailure(e, { attempt: 1, notFound: 'final' }),
            HEALING.genesys,
            kind,
            e.retryAfterMs,
          );
        },
      ),
      {
        numRuns: 500,
        examples: [
          // Found by this fuzz: V8's Date.parse read "-5" as a date in 2001, so a garbage Retry-After meant "now".
          [429, '-5', '{}', 'application/json', undefined],
          // Found by this fuzz: 400 nines is Infinity ms, and the failure could not be sent to Temporal.
          [429, '9'.repeat(400), '{}', 'application/json', undefined],
          [429, 'foo 2', '', undefined, undefined],
          [200, undefined, JSON.stringify(GENESYS_USER), 'application/json', undefined],
        ],
      },
    );
  });

  it('Okta: any status, X-Rate-Limit-Reset, Date and body → the user or the typed error of its kind (500 cases)', async () => {
    const client = new OktaClient({ orgUrl: url, apiToken: 'token' });
    const nowSeconds = () => Math.floor(Date.now() / 1000);
    const reset = fc.option(
      fc.oneof(
        fc.integer({ min: -60, max: 3600 }).map((d) => String(nowSeconds() + d)),
        fc
          .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }))
          .map(([a, b]) => `${nowSeconds() + a}, ${nowSeconds() + b}`),
        headerGarbage,
      ),
      { nil: undefined },
    );
    const date = fc.option(fc.oneof(httpDate, headerGarbage), { nil: undefined });
    await fuzzAsync(
      'http: Okta responses',
      fc.asyncProperty(status, reset, date, bodyFor(OKTA_USER), contentType, async (s, rs, d, body, type) => {
        answer = answerOf(s, body, type, { 'x-rate-limit-reset': rs, date: d });
        const value = bodyValue(s, body);
        const outcome = await client.getUser('00u1').then(
          (user) => ({ user }),
          (error: unknown) => ({ error }),
        );
        if ('user' in outcome) {
          expect(s >= 200 && s < 300).toBe(true);
          expect(outcome.user).toEqual(userSchema.parse(value));
          return;
        }
        expect(outcome.error).toBeInstanceOf(OktaApiError);
        const e = outcome.error as OktaApiError;
        const kind = s >= 200 && s < 300 ? 'InvalidResponse' : expectedOktaKind(s);
        expect(e.kind).toBe(kind);
        if (kind === 'RateLimited') {
          // The latest reset, against the server's Date when it is an HTTP date, plus half a second.
          const resets = (rs ?? '')
            .split(',')
            .map((v) => Number(v.trim()))
            .filter((v) => Number.isFinite(v) && v > 0);
          const serverNow = d !== undefined && IMF.test(d.trim()) ? Date.parse(d) : undefined;
          const expected: [number, number] | undefined =
            resets.length === 0
              ? undefined
              : [
                  bounded(Math.max(0, Math.max(...resets) * 1000 - (serverNow ?? Date.now())) + 500),
                  serverNow ? 0 : 3000,
                ];
          expectWithin(e.retryAfterMs, expected);
        } else expect(e.retryAfterMs).toBeUndefined();
        expect(e.message).not.toMatch(/a@b\.example|\n/);
        expectTemporalFailure(oktaFailure(e), HEALING.okta, kind, e.retryAfterMs);
      }),
      {
        numRuns: 500,
        examples: [
          // Found by this fuzz: a Date header V8 reads as 2001 made the wait about 25 years.
          [429, String(Math.floor(Date.now() / 1000) + 5), 'foo 2', '{}', 'application/json'],
          [429, '9'.repeat(400), undefined, '{}', 'application/json'],
        ],
      },
    );
  });
});
