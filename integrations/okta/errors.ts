// Typed Okta errors. A message names the operation by method + path TEMPLATE, the status and Okta's stable
// errorCode (plus errorId for a support case): never a concrete URL, a query, a token, or Okta's errorSummary,
// which can echo a login or an email. These messages end up in Temporal history and logs.
import { z } from 'zod';
import { boundedDelayMs, parseHttpDate } from '../http-util';

export type OktaErrorKind =
  | 'RateLimited' // 429 (E0000047)
  | 'ServerError' // 5xx, network error, timeout: the request may or may not have been applied
  | 'NotFound' // 404 (E0000007)
  | 'Conflict' // 409 (E0000112: the user is still being activated) — heals by waiting
  | 'BadRequest' // 400 and other 4xx we cannot act on
  | 'Forbidden' // 403 (missing admin role/scope, or not allowed in the user's status)
  | 'Unauthorized' // 401: the API token is wrong or revoked
  | 'InvalidResponse' // a 2xx body that does not match its schema, or a paging link to another host
  | 'Cancelled'; // the caller aborted the request (activity cancellation)

export interface OktaErrorDetails {
  kind: OktaErrorKind;
  /** e.g. "DELETE /api/v1/groups/{groupId}/users/{userId}" — a template, never a concrete URL. */
  operation: string;
  status?: number | undefined;
  /** Okta's errorCode (E0000…), the only part of the body Okta calls stable. */
  errorCode?: string | undefined;
  errorId?: string | undefined;
  /** For a 429: how long to wait, from X-Rate-Limit-Reset against the server's Date. */
  retryAfterMs?: number | undefined;
  /** X-Okta-Request-Id, for a support case. */
  requestId?: string | undefined;
  /** Node/axios error code for network failures (ECONNREFUSED, ECONNABORTED, …). */
  networkCode?: string | undefined;
  detail?: string | undefined;
}

export class OktaApiError extends Error {
  override readonly name = 'OktaApiError';
  readonly kind: OktaErrorKind;
  readonly operation: string;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly networkCode: string | undefined;

  constructor(details: OktaErrorDetails) {
    super(describe(details));
    this.kind = details.kind;
    this.operation = details.operation;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorId = details.errorId;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.networkCode = details.networkCode;
  }
}

export function isOktaApiError(err: unknown, kind?: OktaErrorKind): err is OktaApiError {
  return err instanceof OktaApiError && (kind === undefined || err.kind === kind);
}

function describe(d: OktaErrorDetails): string {
  const parts = [`Okta ${d.operation}`];
  if (d.status !== undefined) parts.push(`→ ${d.status}`);
  else if (d.networkCode !== undefined) parts.push(`→ network error ${d.networkCode}`);
  parts.push(`(${d.kind})`);
  if (d.errorCode) parts.push(d.errorCode);
  let text = parts.join(' ');
  if (d.detail) text += `: ${d.detail}`;
  if (d.retryAfterMs !== undefined) text += ` [retry after ${d.retryAfterMs} ms]`;
  if (d.errorId) text += ` [errorId ${d.errorId}]`;
  return text;
}

const errorBodySchema = z.object({ errorCode: z.string().optional(), errorId: z.string().optional() });

export function kindForStatus(status: number): OktaErrorKind {
  if (status === 429) return 'RateLimited';
  if (status >= 500 || status === 408) return 'ServerError';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  return 'BadRequest';
}

/** A small margin past the reset second: the Date header and the reset are both whole seconds. */
const RESET_MARGIN_MS = 500;

/**
 * Wait until the rate-limit window resets. X-Rate-Limit-Reset is UTC epoch seconds; measured against the
 * response's Date header (the server's clock) when present, so a skewed local clock does not matter.
 * Several values (more than one bucket answered) → the latest reset, the only safe one. A Date header that is
 * not an HTTP date is ignored; the wait is bounded by MAX_SERVER_DELAY_MS.
 */
export function rateLimitWaitMs(
  resetHeader: string | undefined,
  dateHeader: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (resetHeader === undefined) return undefined;
  const resets = resetHeader
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isFinite(v) && v > 0);
  if (resets.length === 0) return undefined;
  const resetMs = Math.max(...resets) * 1000;
  const serverNow = parseHttpDate(dateHeader) ?? now;
  return boundedDelayMs(Math.max(0, resetMs - serverNow) + RESET_MARGIN_MS);
}

/** Builds the error for an HTTP response with a non-success status. */
export function errorFromResponse(input: {
  operation: string;
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
  /** What the caller knows and Okta's body does not (which credentials were refused). */
  detail?: string;
}): OktaApiError {
  const parsed = errorBodySchema.safeParse(input.data);
  const body = parsed.success ? parsed.data : {};
  const kind = kindForStatus(input.status);
  return new OktaApiError({
    kind,
    operation: input.operation,
    status: input.status,
    errorCode: body.errorCode,
    errorId: body.errorId,
    retryAfterMs:
      kind === 'RateLimited' ? rateLimitWaitMs(input.headers['x-rate-limit-reset'], input.headers['date']) : undefined,
    requestId: input.headers['x-okta-request-id'],
    detail: input.detail,
  });
}
