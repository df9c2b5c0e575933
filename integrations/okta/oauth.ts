// Okta's recommended way for a service to call the management API: an OAuth 2.0 service app. Client credentials
// against the org authorization server, the client authenticated with private_key_jwt (the only method Okta
// allows for tokens with okta.* scopes), one-hour Bearer tokens (reference sheet §3.2, OAUTH-SVC).
//
// Scopes are exactly what the provisioner calls: okta.users.read (a user and their groups), okta.groups.manage
// (group reads and removing a member at a season's end), okta.users.manage (deactivating the Okta user when a
// season's policy says deactivateOktaUser). Grant these three to the app, and an admin role for its resources.
// `season setup` and `season doctor` manage the org's event hook and ask for OKTA_SETUP_SCOPES instead, with tokens
// of their own: the worker never asks for (or needs) okta.eventHooks.manage.
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { plainHeaders, transportFailure } from '../http-util';
import { kindForStatus, OktaApiError, rateLimitWaitMs } from './errors';

export const OKTA_SCOPES = ['okta.users.read', 'okta.groups.manage', 'okta.users.manage'] as const;
/** Event hooks: list, create, replace, activate, verify (`*.manage` implies `*.read`). Setup and doctor only. */
export const OKTA_SETUP_SCOPES = ['okta.eventHooks.manage'] as const;
/** The login sweep reads the System Log (Okta's SSO events for the org's Genesys app, `okta.genesysAppId`). */
export const OKTA_LOGS_SCOPES = ['okta.logs.read'] as const;

export interface OktaServiceApp {
  clientId: string;
  /** PKCS#8 or PKCS#1 PEM (RSA or EC): read from the environment or a file, never from config. */
  privateKey: string;
  /** The key's id in the app's JWKS, when it has several. */
  keyId?: string;
}

const TOKEN_PATH = '/oauth2/v1/token';
const OPERATION = `POST ${TOKEN_PATH}`;
/** A token is renewed this long before Okta's expiry, so a request never leaves with one about to die. */
const RENEW_BEFORE_MS = 5 * 60_000;

const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number() });
const errorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** A clear error for a key that cannot sign (wrong format, a public key, a passphrase-protected key). */
export function parseServiceAppKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec')
    throw new Error(`an ${key.asymmetricKeyType ?? 'unknown'} key: Okta signs with RSA or EC keys`);
  return key;
}

export class OktaTokenSource {
  private readonly key: KeyObject;
  private readonly http: AxiosInstance;
  private cached: { token: string; renewAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly orgUrl: string,
    private readonly app: OktaServiceApp,
    private readonly describe: string,
    timeoutMs: number,
    /** What the tokens are asked for: the provisioner's scopes unless a command needs others. */
    private readonly scopes: readonly string[] = OKTA_SCOPES,
  ) {
    this.key = parseServiceAppKey(app.privateKey);
    this.http = axios.create({ baseURL: orgUrl, timeout: timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  /** A valid access token (one token call per hour, shared by concurrent requests). */
  async token(signal?: AbortSignal): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    this.inFlight ??= this.fetch(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Okta refused the token (expired early, app changed): the next request fetches a new one. */
  forget(): void {
    this.cached = undefined;
  }

  private assertion(): string {
    const ec = this.key.asymmetricKeyType === 'ec';
    const header = { alg: ec ? 'ES256' : 'RS256', typ: 'JWT', ...(this.app.keyId ? { kid: this.app.keyId } : {}) };
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.app.clientId,
      sub: this.app.clientId,
      aud: `${this.orgUrl.replace(/\/+$/, '')}${TOKEN_PATH}`,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b64(header)}.${b64(claims)}`;
    const signature = sign('sha256', Buffer.from(body), ec ? { key: this.key, dsaEncoding: 'ieee-p1363' } : this.key);
    return `${body}.${signature.toString('base64url')}`;
  }

  private async fetch(signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.scopes.join(' '),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: this.assertion(),
    });
    let response;
    try {
      response = await this.http.post<unknown>(TOKEN_PATH, form.toString(), {
        signal,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
    } catch (err) {
      throw new OktaApiError({ ...transportFailure(err), operation: OPERATION });
    }
    const ok = tokenSchema.safeParse(response.data);
    if (response.status === 200 && ok.success) {
      this.cached = {
        token: ok.data.access_token,
        renewAt: Date.now() + Math.max(0, ok.data.expires_in * 1000 - RENEW_BEFORE_MS),
      };
      return ok.data.access_token;
    }
    if (response.status === 200)
      throw new OktaApiError({ kind: 'InvalidResponse', operation: OPERATION, status: 200, detail: 'no access token' });
    const headers = plainHeaders(response.headers);
    const kind = kindForStatus(response.status);
    if (kind === 'RateLimited' || kind === 'ServerError')
      throw new OktaApiError({
        kind,
        operation: OPERATION,
        status: response.status,
        retryAfterMs:
          kind === 'RateLimited' ? rateLimitWaitMs(headers['x-rate-limit-reset'], headers['date']) : undefined,
      });
    // Every other answer is the app's configuration: a person must fix it, retrying will not.
    const error = errorSchema.safeParse(response.data);
    const code = error.success ? error.data.error : undefined;
    throw new OktaApiError({
      kind: 'Unauthorized',
      operation: OPERATION,
      status: response.status,
      errorCode: code,
      detail: `${this.describe} was refused: ${adviceFor(code, this.scopes)}`,
    });
  }
}

/** What to fix, by the OAuth error code (RFC 6749 §5.2, RFC 9449 for DPoP): never Okta's free text. */
function adviceFor(code: string | undefined, scopes: readonly string[]): string {
  switch (code) {
    case 'invalid_client':
      return "check its clientId, that its public key (and keyId) is registered in the app, and that the app's client authentication is 'Public key / Private key'";
    case 'invalid_scope':
      return `grant the app the scopes ${scopes.join(', ')}`;
    case 'invalid_dpop_proof':
    case 'use_dpop_nonce':
      return "the app requires DPoP, which this provisioner does not send: turn off 'Require Demonstrating Proof of Possession (DPoP) header in token requests' for the app";
    case 'unauthorized_client':
      return "allow the app the 'Client Credentials' grant";
    default:
      return 'check the service app in the Okta Admin Console';
  }
}
