// Typed Genesys errors. A message names the operation by method + path TEMPLATE, the status and Genesys'
// own error code/text: never a URL with its query (SCIM filters carry the userName, an email), a token,
// a secret, or a request body. These messages end up in Temporal history and logs.
import { boundedDelayMs, parseHttpDate } from '../http-util';
import { errorBodySchema, type ErrorBody } from './schemas';

export type GenesysErrorKind =
  | 'RateLimited' // 429
  | 'ServerError' // 5xx, 408, network error, timeout: the request may or may not have been applied
  | 'NotFound' // 404, 410
  | 'Conflict' // 409, and 400 "invalidVers" (the sheet documents both for a stale version)
  | 'BadRequest' // 400 and the other 4xx we cannot act on
  | 'Forbidden' // 403
  | 'Unauthorized' // 401 even after a fresh token, or the token endpoint rejecting our credentials
  | 'InvalidResponse' // a 2xx body that does not match its schema
  | 'Cancelled'; // the caller aborted the request (activity cancellation)

export interface GenesysErrorDetails {
  kind: GenesysErrorKind;
  /** e.g. "POST /api/v2/scim/v2/users/{userId}" — a template, never a concrete URL. */
  operation: string;
  status?: number | undefined;
  /** Genesys `code`, SCIM `scimType` or OAuth `error`. */
  code?: string | undefined;
  /** Genesys' own text, with anything that looks like an email address removed. */
  upstreamMessage?: string | undefined;
  /** From Retry-After on a 429 (seconds on the wire, milliseconds here). */
  retryAfterMs?: number | undefined;
  /** inin-correlation-id, for a Genesys support case. */
  correlationId?: string | undefined;
  /** Node/axios error code for network failures (ECONNRESET, ECONNABORTED, …). */
  networkCode?: string | undefined;
}

export class GenesysApiError extends Error {
  override readonly name = 'GenesysApiError';
  readonly kind: GenesysErrorKind;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly upstreamMessage: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly correlationId: string | undefined;
  readonly networkCode: string | undefined;

  constructor(details: GenesysErrorDetails) {
    super(describe(details));
    this.kind = details.kind;
    this.operation = details.operation;
    this.status = details.status;
    this.code = details.code;
    this.upstreamMessage = details.upstreamMessage;
    this.retryAfterMs = details.retryAfterMs;
    this.correlationId = details.correlationId;
    this.networkCode = details.networkCode;
  }
}

export function isGenesysApiError(err: unknown, kind?: GenesysErrorKind): err is GenesysApiError {
  return err instanceof GenesysApiError && (kind === undefined || err.kind === kind);
}

function describe(d: GenesysErrorDetails): string {
  const parts = [`Genesys ${d.operation}`];
  if (d.status !== undefined) parts.push(`→ ${d.status}`);
  else if (d.networkCode !== undefined) parts.push(`→ network error ${d.networkCode}`);
  parts.push(`(${d.kind})`);
  if (d.code) parts.push(d.code);
  let text = parts.join(' ');
  if (d.upstreamMessage) text += `: ${d.upstreamMessage}`;
  if (d.retryAfterMs !== undefined) text += ` [retry after ${d.retryAfterMs} ms]`;
  if (d.correlationId) text += ` [correlation ${d.correlationId}]`;
  return text;
}

const EMAIL_LIKE = /[^\s"'<>()[\]{},;:]+@[^\s"'<>()[\]{},;:]+/g;
const MAX_UPSTREAM_MESSAGE = 200;

/** Upstream messages may echo request values (a userName is an email); drop those before keeping the text. */
export function redactUpstreamMessage(text: string): string {
  const redacted = text.replace(EMAIL_LIKE, '<redacted>').replace(/\s+/g, ' ').trim();
  return redacted.length > MAX_UPSTREAM_MESSAGE ? `${redacted.slice(0, MAX_UPSTREAM_MESSAGE)}…` : redacted;
}

export function parseErrorBody(data: unknown): ErrorBody {
  const parsed = errorBodySchema.safeParse(data);
  return parsed.success ? parsed.data : {};
}

/**
 * Retry-After is integer seconds at Genesys; HTTP also allows a date, which we accept too. When the header is
 * missing or unreadable, the documented 429 message "Retry the request in [3] seconds" still tells us. Bounded
 * by MAX_SERVER_DELAY_MS.
 */
export function retryAfterMs(
  header: string | undefined,
  body: ErrorBody,
  now: number = Date.now(),
): number | undefined {
  if (header !== undefined && header.trim() !== '') {
    const value = header.trim();
    if (/^\d+(\.\d+)?$/.test(value)) return boundedDelayMs(Math.round(Number(value) * 1000));
    const at = parseHttpDate(value);
    if (at !== undefined) return boundedDelayMs(at - now);
  }
  const inMessage = /retry the request in \[(\d+)\] seconds/i.exec(body.message ?? '');
  return inMessage ? boundedDelayMs(Number(inMessage[1]) * 1000) : undefined;
}

export function kindForStatus(status: number, body: ErrorBody): GenesysErrorKind {
  if (status === 429) return 'RateLimited';
  if (status >= 500 || status === 408) return 'ServerError';
  if (status === 404 || status === 410) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  // A stale version is documented both as 409 and as 400 scimType invalidVers; both heal on a retry.
  if (status === 400 && body.scimType === 'invalidVers') return 'Conflict';
  return 'BadRequest';
}

/** Builds the error for an HTTP response with a non-success status. */
export function errorFromResponse(input: {
  operation: string;
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
}): GenesysApiError {
  const body = parseErrorBody(input.data);
  const kind = kindForStatus(input.status, body);
  const text = body.message ?? body.detail ?? body.error_description ?? undefined;
  return new GenesysApiError({
    kind,
    operation: input.operation,
    status: input.status,
    code: body.code ?? body.scimType ?? body.error ?? undefined,
    upstreamMessage: text ? redactUpstreamMessage(text) : undefined,
    retryAfterMs: kind === 'RateLimited' ? retryAfterMs(input.headers['retry-after'], body) : undefined,
    correlationId: input.headers['inin-correlation-id'],
  });
}
