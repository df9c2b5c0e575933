// The transport under OktaClient: SSWS token auth, a request timeout, typed errors, schema-checked bodies and
// Link-header paging. It knows nothing about users or groups.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { fillPath, plainHeaders, QueryValue, serializeQuery, transportFailure } from '../http-util';
import type { z } from 'zod';
import { errorFromResponse, OktaApiError } from './errors';
import { nextLink } from './link-header';
import { OktaTokenSource, type OktaServiceApp } from './oauth';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OktaHttpOptions {
  /** e.g. https://acme.okta.com, or the emulator's http://127.0.0.1:PORT. */
  orgUrl: string;
  /** SSWS API token; or `oauth` (exactly one). */
  apiToken?: string | undefined;
  oauth?: OktaServiceApp | undefined;
  /** Which credentials, for error messages (e.g. "the Okta API token of org retail-us (OKTA_API_TOKEN)"). */
  credentialSource?: string | undefined;
  timeoutMs?: number;
  /** OAuth scopes the service app's tokens ask for (default OKTA_SCOPES); ignored with an API token. */
  scopes?: readonly string[] | undefined;
}

export interface RequestSpec<T> {
  method: HttpMethod;
  /** Path template such as /api/v1/users/{userId}; placeholders come from pathParams. */
  path: string;
  pathParams?: Record<string, string>;
  query?: Record<string, QueryValue>;
  /** Present when the caller reads the body; absent for 204-style calls. */
  schema?: z.ZodType<T>;
  /** A JSON body for POST/PUT (sent as is: a caller's secret in it never reaches a log or an error). */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** A runaway `next` chain (a server bug) must not loop forever. */
const MAX_PAGES = 1000;

function errorFromTransport(operation: string, err: unknown): OktaApiError {
  return new OktaApiError({ ...transportFailure(err), operation });
}

export class OktaHttp {
  private readonly axios: AxiosInstance;
  private readonly origin: string;
  private readonly tokens: OktaTokenSource | undefined;
  private readonly credentials: string;

  constructor(private readonly options: OktaHttpOptions) {
    const base = options.orgUrl.replace(/\/+$/, '');
    this.origin = new URL(base).origin;
    if ((options.apiToken === undefined) === (options.oauth === undefined))
      throw new Error('an Okta connection needs either an API token or an OAuth service app, not both or neither');
    this.credentials =
      options.credentialSource ?? (options.oauth ? `the service app ${options.oauth.clientId}` : 'the API token');
    this.tokens = options.oauth
      ? new OktaTokenSource(
          base,
          options.oauth,
          this.credentials,
          options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          options.scopes,
        )
      : undefined;
    this.axios = axios.create({
      baseURL: base,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Statuses are ours to interpret; redirects are refused so the API token never follows one.
      validateStatus: () => true,
      maxRedirects: 0,
      paramsSerializer: { serialize: serializeQuery },
    });
  }

  async request<T>(spec: RequestSpec<T>): Promise<{ status: number; data: T }> {
    const operation = `${spec.method} ${spec.path}`;
    const response = await this.send(
      operation,
      { url: fillPath(spec.path, spec.pathParams), params: spec.query },
      spec,
    );
    return { status: response.status, data: this.parse(operation, response, spec.schema) };
  }

  /** GETs the first page, then follows `rel="next"` links until none is left; returns every item. */
  /**
   * Follows `next` links to the end. `untilEmptyPage`: the System Log announces a next page even at the end of
   * what there is (its polling semantics), so an empty page ends the list too.
   */
  async listAll<T>(spec: RequestSpec<T[]> & { schema: z.ZodType<T[]>; untilEmptyPage?: boolean }): Promise<T[]> {
    const operation = `${spec.method} ${spec.path}`;
    const items: T[] = [];
    let target: { url: string; params?: Record<string, QueryValue> } | undefined = {
      url: fillPath(spec.path, spec.pathParams),
      params: spec.query,
    };
    for (let page = 0; target; page++) {
      if (page >= MAX_PAGES)
        throw new OktaApiError({ kind: 'InvalidResponse', operation, detail: `more than ${MAX_PAGES} pages` });
      const response = await this.send(operation, target, spec);
      const pageItems = this.parse(operation, response, spec.schema);
      items.push(...pageItems);
      if (spec.untilEmptyPage && pageItems.length === 0) break;
      const next = nextLink(response.headers['link'] as string | string[] | undefined);
      target = next === undefined ? undefined : { url: this.sameOrigin(operation, next) };
    }
    return items;
  }

  /** The token goes only to the org: a `next` link to another host is refused, not followed. */
  private sameOrigin(operation: string, link: string): string {
    let url: URL;
    try {
      url = new URL(link, this.origin);
    } catch {
      throw new OktaApiError({ kind: 'InvalidResponse', operation, detail: 'unparsable next link' });
    }
    if (url.origin !== this.origin)
      throw new OktaApiError({ kind: 'InvalidResponse', operation, detail: 'next link points to another host' });
    return url.toString();
  }

  private parse<T>(operation: string, response: AxiosResponse<unknown>, schema: z.ZodType<T> | undefined): T {
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      // Only the failing paths, never the values (they may be names or emails).
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new OktaApiError({
        kind: 'InvalidResponse',
        operation,
        status: response.status,
        detail: `unexpected body at ${where}`,
      });
    }
    return parsed.data;
  }

  private async authorization(signal: AbortSignal | undefined): Promise<string> {
    return this.tokens ? `Bearer ${await this.tokens.token(signal)}` : `SSWS ${this.options.apiToken}`;
  }

  private async send(
    operation: string,
    target: { url: string; params?: Record<string, QueryValue> | undefined },
    spec: RequestSpec<unknown>,
  ): Promise<AxiosResponse<unknown>> {
    let response = await this.once(operation, target, spec);
    if (response.status === 401 && this.tokens) {
      // An access token Okta no longer takes (expired early, the app changed): one new token, one more try.
      this.tokens.forget();
      response = await this.once(operation, target, spec);
    }
    if (response.status < 200 || response.status >= 300) {
      const error = errorFromResponse({
        operation,
        status: response.status,
        data: response.data,
        headers: plainHeaders(response.headers),
        ...(response.status === 401 ? { detail: this.unauthorizedAdvice() } : {}),
      });
      throw error;
    }
    return response;
  }

  /** Says which credentials Okta refused and what to do: the operator reads this in a log line or a reason. */
  private unauthorizedAdvice(): string {
    return this.tokens
      ? `Okta refused the access token of ${this.credentials}; check the app in the Okta Admin Console, then restart the worker`
      : `Okta refused ${this.credentials}: it is wrong, expired (API tokens expire after 30 days unused) or revoked (they die with the admin who made them); create a new token, set it, and restart the worker`;
  }

  private async once(
    operation: string,
    target: { url: string; params?: Record<string, QueryValue> | undefined },
    spec: RequestSpec<unknown>,
  ): Promise<AxiosResponse<unknown>> {
    const hasBody = spec.method === 'POST' || spec.method === 'PUT';
    const authorization = await this.authorization(spec.signal);
    try {
      return await this.axios.request<unknown>({
        method: spec.method,
        url: target.url,
        params: target.params,
        signal: spec.signal,
        // Okta answers 411 to a POST/PUT without Content-Length: send an explicit (empty or JSON) body.
        ...(hasBody
          ? { data: spec.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(spec.body)) }
          : {}),
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
        },
      });
    } catch (err) {
      throw errorFromTransport(operation, err);
    }
  }
}
