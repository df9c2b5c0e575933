// The transport under GenesysClient: bearer auth from the token cache, one retry after a 401 with a fresh
// token, a request timeout, typed errors and schema-checked bodies. It knows nothing about SCIM or grants.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { fillPath, plainHeaders, QueryValue, serializeQuery, transportFailure } from '../http-util';
import type { z } from 'zod';
import { GenesysApiError, errorFromResponse } from './errors';
import { tokenResponseSchema } from './schemas';
import { TokenCache } from './token-cache';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GenesysHttpOptions {
  apiBaseUrl: string;
  loginBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request, token requests included. */
  timeoutMs?: number;
  now?: () => number;
}

export interface RequestSpec<T> {
  method: HttpMethod;
  /** Path template such as /api/v2/authorization/subjects/{subjectId}; placeholders come from pathParams. */
  path: string;
  pathParams?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  contentType?: string;
  /** Present when the caller reads the response body; absent for 204-style calls. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal | undefined;
}

// Genesys answers in well under a second; 8 s leaves room for a slow answer while staying below the activities'
// 10 s start-to-close timeout, so a hung call fails as a typed, retryable error rather than as a timeout.
export const DEFAULT_TIMEOUT_MS = 8_000;
const TOKEN_OPERATION = 'POST /oauth/token';

function errorFromTransport(operation: string, err: unknown): GenesysApiError {
  return new GenesysApiError({ ...transportFailure(err), operation });
}

export class GenesysHttp {
  private readonly axios: AxiosInstance;
  private readonly tokens: TokenCache;
  private readonly tokenUrl: string;

  constructor(private readonly options: GenesysHttpOptions) {
    this.axios = axios.create({
      baseURL: options.apiBaseUrl,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Statuses are ours to interpret; redirects are refused so the bearer token never follows one.
      validateStatus: () => true,
      maxRedirects: 0,
      paramsSerializer: { serialize: serializeQuery },
    });
    this.tokenUrl = `${options.loginBaseUrl.replace(/\/+$/, '')}/oauth/token`;
    this.tokens = new TokenCache(() => this.fetchToken(), options.now);
  }

  /** Sends the request; on 401 drops the token and tries exactly once more with a fresh one. */
  async request<T>(spec: RequestSpec<T>): Promise<{ status: number; data: T }> {
    const operation = `${spec.method} ${spec.path}`;
    const url = fillPath(spec.path, spec.pathParams);
    let token = await this.tokens.get();
    let response = await this.send(operation, url, spec, token);
    if (response.status === 401) {
      this.tokens.invalidate(token);
      token = await this.tokens.get();
      response = await this.send(operation, url, spec, token);
    }
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse({
        operation,
        status: response.status,
        data: response.data,
        headers: plainHeaders(response.headers),
      });
    }
    if (!spec.schema) return { status: response.status, data: undefined as T };
    const parsed = spec.schema.safeParse(response.data);
    if (!parsed.success) {
      // Only the failing paths, never the values (they may be names or emails).
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new GenesysApiError({
        kind: 'InvalidResponse',
        operation,
        status: response.status,
        upstreamMessage: `unexpected body at ${where}`,
      });
    }
    return { status: response.status, data: parsed.data };
  }

  private async send(
    operation: string,
    url: string,
    spec: RequestSpec<unknown>,
    token: string,
  ): Promise<AxiosResponse<unknown>> {
    try {
      return await this.axios.request<unknown>({
        method: spec.method,
        url,
        params: spec.query,
        data: spec.body,
        signal: spec.signal,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json, application/scim+json',
          ...(spec.body !== undefined ? { 'Content-Type': spec.contentType ?? 'application/json' } : {}),
        },
      });
    } catch (err) {
      throw errorFromTransport(operation, err);
    }
  }

  private async fetchToken(): Promise<{ accessToken: string; lifetimeMs: number }> {
    let response: AxiosResponse<unknown>;
    try {
      response = await this.axios.request<unknown>({
        method: 'POST',
        url: this.tokenUrl,
        auth: { username: this.options.clientId, password: this.options.clientSecret },
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        data: 'grant_type=client_credentials',
      });
    } catch (err) {
      throw errorFromTransport(TOKEN_OPERATION, err);
    }
    if (response.status < 200 || response.status >= 300) {
      const error = errorFromResponse({
        operation: TOKEN_OPERATION,
        status: response.status,
        data: response.data,
        headers: plainHeaders(response.headers),
      });
      // The token endpoint answers bad credentials with 400/401 (OAuth invalid_client/invalid_grant): a config problem.
      if (error.kind === 'BadRequest' || error.kind === 'Forbidden') {
        throw new GenesysApiError({
          kind: 'Unauthorized',
          operation: TOKEN_OPERATION,
          status: error.status,
          code: error.code,
          upstreamMessage: error.upstreamMessage,
        });
      }
      throw error;
    }
    const parsed = tokenResponseSchema.safeParse(response.data);
    if (!parsed.success) {
      throw new GenesysApiError({
        kind: 'InvalidResponse',
        operation: TOKEN_OPERATION,
        status: response.status,
        upstreamMessage: 'unexpected token response',
      });
    }
    return { accessToken: parsed.data.access_token, lifetimeMs: parsed.data.expires_in * 1000 };
  }
}
