// Who may call the emulated org, as Okta decides it:
//   - SSWS API tokens: valid while used at least every 30 days, and only while the admin who made them is active
//     (help.okta.com "Manage Okta API tokens"); otherwise 401 E0000011 "Invalid token provided".
//   - OAuth 2.0 service apps: client credentials with private_key_jwt at POST /oauth2/v1/token (reference sheet
//     §3.2, OAUTH-SVC), Bearer access tokens that live one hour and carry only the granted scopes; a call whose
//     scope is missing is 403 E0000006 (scopes per endpoint: reference sheet §3.2, SPEC).
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { OktaProblem } from './errors';

export const API_TOKEN_IDLE_MS = 30 * 86_400_000;
/** Okta's org authorization server issues one-hour access tokens for service apps (OAUTH-SVC). */
export const ACCESS_TOKEN_TTL_S = 3600;

export interface ServiceAppConfig {
  clientId: string;
  /** The app's public key (PEM or JWK), as registered in the Admin Console. */
  publicKey: string | Record<string, unknown>;
  /** The Okta API scopes granted to the app. */
  scopes: string[];
  /** The app requires DPoP proofs (Okta's "Require DPoP" setting). */
  requireDpop?: boolean;
}

interface AccessToken {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
}

export type Caller = { kind: 'ssws' } | { kind: 'oauth'; clientId: string; scopes: Set<string> };

/** The scope each management call needs (`*.manage` implies `*.read`). */
export function requiredScope(method: string, path: string): string {
  const m = method.toUpperCase();
  if (path.startsWith('/api/v1/logs')) return 'okta.logs.read';
  if (path.startsWith('/api/v1/groups')) {
    const isMember = /^\/api\/v1\/groups\/[^/]+\/users\/[^/]+$/.test(path);
    return isMember && (m === 'PUT' || m === 'DELETE') ? 'okta.groups.manage' : 'okta.groups.read';
  }
  // Every Event Hooks operation: okta.eventHooks.read for the GETs, okta.eventHooks.manage for the rest (SPEC
  // listEventHooks/getEventHook vs create/replace/delete/activate/deactivate/verifyEventHook).
  if (path.startsWith('/api/v1/eventHooks')) return m === 'GET' ? 'okta.eventHooks.read' : 'okta.eventHooks.manage';
  return m === 'GET' ? 'okta.users.read' : 'okta.users.manage';
}

function hasScope(granted: Set<string>, needed: string): boolean {
  return granted.has(needed) || (needed.endsWith('.read') && granted.has(needed.replace(/\.read$/, '.manage')));
}

const b64url = (s: string) => Buffer.from(s, 'base64url');

function oauthError(status: number, error: string, description: string): OAuthError {
  return new OAuthError(status, error, description);
}

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export class Credentials {
  private tokenLastUsed: number;
  private tokenRevoked = false;
  private readonly apps = new Map<string, ServiceAppConfig & { key: KeyObject }>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly seenJti = new Set<string>();

  constructor(
    private readonly apiToken: string,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenLastUsed = now();
  }

  addServiceApp(app: ServiceAppConfig): void {
    const key =
      typeof app.publicKey === 'string'
        ? createPublicKey(app.publicKey)
        : createPublicKey({ key: app.publicKey as never, format: 'jwk' });
    this.apps.set(app.clientId, { ...app, key });
  }

  /** The admin who made the token was deactivated, or an admin revoked it. */
  revokeApiToken(): void {
    this.tokenRevoked = true;
  }

  /** Makes the token look unused for `ms` (e.g. 31 days: expired) without waiting. */
  ageApiToken(ms: number): void {
    this.tokenLastUsed = this.now() - ms;
  }

  /** The caller behind an Authorization header, or 401 E0000011 / 403 E0000006. */
  authorize(header: string | undefined, method: string, path: string): Caller {
    const invalid = new OktaProblem(401, 'E0000011', 'Invalid token provided');
    if (header === `SSWS ${this.apiToken}`) {
      const now = this.now();
      if (this.tokenRevoked || now - this.tokenLastUsed > this.idleMs) throw invalid;
      this.tokenLastUsed = now; // every use renews the 30 days
      return { kind: 'ssws' };
    }
    const bearer = /^Bearer (\S+)$/.exec(header ?? '');
    const token = bearer ? this.accessTokens.get(bearer[1]!) : undefined;
    if (!token || token.expiresAt <= this.now()) throw invalid;
    const needed = requiredScope(method, path);
    if (!hasScope(token.scopes, needed))
      throw new OktaProblem(403, 'E0000006', 'You do not have permission to perform the requested action');
    return { kind: 'oauth', clientId: token.clientId, scopes: token.scopes };
  }

  /** POST /oauth2/v1/token: client credentials with a private_key_jwt client assertion. */
  issueToken(form: Record<string, string | undefined>, tokenUrl: string, dpopHeader: string | undefined) {
    if (form.grant_type !== 'client_credentials')
      throw oauthError(400, 'unsupported_grant_type', 'The grant type is not supported by the authorization server.');
    if (
      form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      !form.client_assertion
    )
      throw oauthError(
        401,
        'invalid_client',
        'Client authentication failed: a private_key_jwt client assertion is required.',
      );
    const [h, p, sig] = form.client_assertion.split('.');
    if (!h || !p || !sig) throw oauthError(401, 'invalid_client', 'The client_assertion is not a JWT.');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string; exp?: number; iat?: number; jti?: string };
    try {
      header = JSON.parse(b64url(h).toString('utf8')) as typeof header;
      claims = JSON.parse(b64url(p).toString('utf8')) as typeof claims;
    } catch {
      throw oauthError(401, 'invalid_client', 'The client_assertion is not a JWT.');
    }
    const app = claims.iss ? this.apps.get(claims.iss) : undefined;
    if (!app || claims.sub !== claims.iss) throw oauthError(401, 'invalid_client', 'Invalid value for client_id.');
    const algs: Record<string, string> = {
      RS256: 'sha256',
      RS384: 'sha384',
      RS512: 'sha512',
      ES256: 'sha256',
      ES384: 'sha384',
      ES512: 'sha512',
    };
    const hash = header.alg ? algs[header.alg] : undefined;
    const signed = Buffer.from(`${h}.${p}`);
    const ok =
      hash !== undefined &&
      verify(
        hash,
        signed,
        header.alg!.startsWith('ES') ? { key: app.key, dsaEncoding: 'ieee-p1363' } : app.key,
        b64url(sig),
      );
    if (!ok) throw oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
    const nowS = Math.floor(this.now() / 1000);
    if (claims.aud !== tokenUrl)
      throw oauthError(401, 'invalid_client', "The audience claim must be the token endpoint's URL.");
    if (typeof claims.exp !== 'number' || claims.exp <= nowS || claims.exp > nowS + 3600)
      throw oauthError(401, 'invalid_client', 'The client_assertion must expire within the next hour.');
    if (claims.jti) {
      if (this.seenJti.has(claims.jti))
        throw oauthError(401, 'invalid_client', 'The client_assertion jti was already used.');
      this.seenJti.add(claims.jti);
    }
    if (app.requireDpop && !dpopHeader)
      throw oauthError(400, 'invalid_dpop_proof', 'The DPoP proof JWT header is missing.');
    const requested = (form.scope ?? '').split(' ').filter((s) => s !== '');
    if (requested.length === 0 || requested.some((s) => !app.scopes.includes(s)))
      throw oauthError(
        400,
        'invalid_scope',
        'The following scopes are not allowed: ' + requested.filter((s) => !app.scopes.includes(s)).join(' '),
      );
    const accessToken = randomBytes(24).toString('base64url');
    this.accessTokens.set(accessToken, {
      clientId: app.clientId,
      scopes: new Set(requested),
      expiresAt: this.now() + ACCESS_TOKEN_TTL_S * 1000,
    });
    return {
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      access_token: accessToken,
      scope: requested.join(' '),
    };
  }

  /** Every access token issued so far expires now (tests of the client's refresh). */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = 0;
  }
}
