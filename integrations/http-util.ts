// Request plumbing both API clients (Genesys, Okta) share: paths, queries, headers and transport failures.
// Each client keeps its own error class and retry semantics; only the mechanics live here.
import axios, { AxiosError, AxiosResponse } from 'axios';

export type QueryValue = string | number | boolean | undefined;

/** Every header value as a plain string, names lower-cased (axios headers can be arrays or numbers). */
export function plainHeaders(headers: AxiosResponse['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** RFC 3986 encoding (%20, not '+', for spaces: "Returns & Exchanges" and Okta search expressions need it). */
export function serializeQuery(query: Record<string, QueryValue>): string {
  return Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** `/users/{userId}` + params → an encoded path; a missing parameter is a programming error. */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

/**
 * What a thrown axios error (no usable response) means, without keeping the error itself: its config holds the
 * Authorization header and the full URL. A timeout or reset after the request left may hide a committed write,
 * so it is a retryable server error (callers are idempotent).
 */
export function transportFailure(err: unknown): { kind: 'Cancelled' } | { kind: 'ServerError'; networkCode: string } {
  if (axios.isCancel(err)) return { kind: 'Cancelled' };
  return { kind: 'ServerError', networkCode: err instanceof AxiosError ? (err.code ?? 'ERR_NETWORK') : 'ERR_UNKNOWN' };
}

/**
 * The longest wait a server's Retry-After or X-Rate-Limit-Reset may impose: real ones are seconds to a minute.
 * A larger value (a typo, a skewed clock, "999…9" which is Infinity) would park the activity for years, or, as
 * Infinity, make the failure impossible to send to Temporal at all; it is waited this long instead.
 */
export const MAX_SERVER_DELAY_MS = 60 * 60 * 1000;

export function boundedDelayMs(ms: number): number {
  return Math.min(MAX_SERVER_DELAY_MS, Math.max(0, ms));
}

const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * An HTTP date (IMF-fixdate, the form servers must send) in ms, or undefined. Date.parse alone is far too lenient
 * for headers: it reads "-5", "1" or "foo 2" as dates in 2001, which turned garbage into a zero or huge wait.
 */
export function parseHttpDate(text: string | undefined): number | undefined {
  if (text === undefined || !IMF_FIXDATE.test(text.trim())) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}
