// Small HTTP helpers for the Genesys emulator tests: plain fetch, so the tests see exactly what goes over
// the wire (status, headers, body) without a client library smoothing anything over.
export const RETAIL = { orgId: 'retail-us', clientId: 'retail-us-provisioner', secret: 'emulator-retail-us-secret' };
export const OUTLET = { orgId: 'outlet-eu', clientId: 'outlet-eu-provisioner', secret: 'emulator-outlet-eu-secret' };

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GENESYS = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';
export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * The emulator's production-faithful lags (Authorization 404s after a create, search lag) switched off, for tests of
 * other behaviour that create a user and use it at once. The lags have their own tests
 * (genesys-emulator-rehire.test.ts, and the 404 window in genesys-emulator-authorization.test.ts).
 */
export const NO_LAGS = { newUserNotFoundMs: 0, searchLagMs: 0 } as const;

export interface Response<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

export async function getToken(base: string, creds: { clientId: string; secret: string } = RETAIL): Promise<string> {
  const basic = Buffer.from(`${creds.clientId}:${creds.secret}`).toString('base64');
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

let counter = 0;
/** A unique userName per call, so tests in one file never collide. */
export function uniqueUserName(prefix = 'seasonal'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@retail-us.example`;
}

export function newUserBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE, ENTERPRISE, GENESYS],
    userName,
    displayName: `Agent ${userName.split('@')[0]}`,
    active: true,
    ...extra,
  };
}

export async function createUser(
  base: string,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; userName: string }> {
  const userName = uniqueUserName();
  const res = await call<{ id: string }>(base, 'POST', '/api/v2/scim/v2/users', {
    token,
    body: newUserBody(userName, extra),
    contentType: 'application/scim+json',
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, userName };
}
