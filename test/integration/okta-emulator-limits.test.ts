// The Okta emulator's tokens and limits over real HTTP (issue 12): SSWS tokens that expire after 30 days unused
// or die with their admin (401 E0000011), per-endpoint rate-limit buckets, the org's concurrency limit (429 with
// Limit and Remaining 0), and OAuth 2.0 service apps (client credentials with private_key_jwt, scoped Bearer
// tokens, DPoP refused when the app requires it).
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { startOktaEmulator, EMULATOR_OKTA_TOKEN, type OktaEmulator } from '../../emulators/okta';
import { bucketOf, BUCKET_DEFAULTS } from '../../emulators/okta/rate-limit';

const AVA = '00uretailagent0001a7';
const AGENTS = '00gholidayagents01a7';
const CLIENT_ID = '0oaprovisioner001a7x';

let emulator: OktaEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function call(e: OktaEmulator, path: string, auth = `SSWS ${EMULATOR_OKTA_TOKEN}`, method = 'GET'): Promise<Response> {
  return fetch(`${e.url}${path}`, { method, headers: { authorization: auth, accept: 'application/json' } });
}

describe('Okta emulator: SSWS token lifetime', () => {
  it('expires when unused longer than the idle limit; every use renews it', async () => {
    // Uses 300 ms apart stay within a 2 s idle limit, and span more than it (8 uses: 2.4 s): each use renewed it.
    const e = (emulator = await startOktaEmulator({ fixture: 'retail', apiTokenIdleMs: 2000 }));
    const started = Date.now();
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 300));
      expect((await call(e, `/api/v1/users/${AVA}`)).status).toBe(200);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(2400);
    await new Promise((r) => setTimeout(r, 2500));
    const expired = await call(e, `/api/v1/users/${AVA}`);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
  });

  it('30 days unused (the default) or a revoked token: 401 E0000011 on every call', async () => {
    const e = (emulator = await startOktaEmulator({ fixture: 'retail' }));
    e.admin.ageApiToken(29 * 86_400_000);
    expect((await call(e, `/api/v1/users/${AVA}`)).status).toBe(200);
    e.admin.ageApiToken(31 * 86_400_000);
    expect((await call(e, `/api/v1/users/${AVA}`)).status).toBe(401);
    e.admin.reset();
    expect((await call(e, `/api/v1/groups/${AGENTS}`)).status).toBe(200);
    e.admin.revokeApiToken();
    const revoked = await call(e, `/api/v1/groups/${AGENTS}`);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ errorCode: 'E0000011' });
  });
});

describe('Okta emulator: rate limits', () => {
  it("buckets per endpoint with Okta's former published defaults", () => {
    expect(bucketOf('GET', `/api/v1/users/${AVA}`)).toBe('GET /api/v1/users/{id}');
    expect(bucketOf('POST', `/api/v1/users/${AVA}/lifecycle/deactivate`)).toBe('POST|PUT|DELETE /api/v1/users/{id}*');
    expect(bucketOf('GET', `/api/v1/users/${AVA}/groups`)).toBe('other /api/v1');
    expect(bucketOf('GET', '/api/v1/groups')).toBe('/api/v1/groups');
    expect(bucketOf('DELETE', `/api/v1/groups/${AGENTS}/users/${AVA}`)).toBe('/api/v1/groups/{id}*');
    expect(bucketOf('GET', '/api/v1/logs')).toBe('/api/v1/logs');
    expect(BUCKET_DEFAULTS).toMatchObject({ 'GET /api/v1/users/{id}': 2000, '/api/v1/logs': 120 });
  });

  it('a full bucket answers 429 while the other endpoints still answer', async () => {
    const e = (emulator = await startOktaEmulator({ fixture: 'retail', rateLimitPerMinute: 2 }));
    expect((await call(e, `/api/v1/users/${AVA}`)).status).toBe(200);
    expect((await call(e, `/api/v1/users/${AVA}`)).status).toBe(200);
    const limited = await call(e, `/api/v1/users/${AVA}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-limit')).toBe('2');
    expect((await call(e, `/api/v1/users/${AVA}/groups`)).status).toBe(200);
    expect((await call(e, `/api/v1/groups/${AGENTS}`)).status).toBe(200);
  });

  it('the default buckets are the published numbers', async () => {
    const e = (emulator = await startOktaEmulator({ fixture: 'retail' }));
    const res = await call(e, `/api/v1/users/${AVA}`);
    expect(res.headers.get('x-rate-limit-limit')).toBe('2000');
    expect((await call(e, `/api/v1/groups/${AGENTS}`)).headers.get('x-rate-limit-limit')).toBe('1000');
    expect(e.inspect().rateLimit).toMatchObject({ concurrency: 75, buckets: { '/api/v1/groups': 500 } });
  });

  it('over the concurrency limit: 429 E0000047 with Limit and Remaining 0; in-flight slots come back', async () => {
    const e = (emulator = await startOktaEmulator({ fixture: 'retail', concurrencyLimit: 2, latencyMs: 300 }));
    const answers = await Promise.all([1, 2, 3].map(() => call(e, `/api/v1/users/${AVA}`)));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429]);
    expect(limited[0]!.headers.get('x-rate-limit-limit')).toBe('0');
    expect(limited[0]!.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(limited[0]!.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(await limited[0]!.json()).toMatchObject({ errorCode: 'E0000047' });
    const again = await Promise.all([1, 2].map(() => call(e, `/api/v1/users/${AVA}`)));
    expect(again.map((a) => a.status)).toEqual([200, 200]);
  });
});

describe('Okta emulator: OAuth 2.0 service apps (private_key_jwt)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  function assertion(e: OktaEmulator, key: KeyObject = privateKey, over: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const body = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: `${e.url}/oauth2/v1/token`,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      ...over,
    })}`;
    return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
  }

  async function token(e: OktaEmulator, scope: string, jwt = assertion(e)): Promise<Response> {
    return fetch(`${e.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }).toString(),
    });
  }

  const app = (over = {}) => ({
    clientId: CLIENT_ID,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    scopes: ['okta.users.read', 'okta.groups.read'],
    ...over,
  });

  it('issues a one-hour Bearer token with the granted scopes; calls outside them are 403 E0000006', async () => {
    const e = (emulator = await startOktaEmulator({ fixture: 'retail', serviceApps: [app()] }));
    const res = await token(e, 'okta.users.read okta.groups.read');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read okta.groups.read' });
    const bearer = `Bearer ${body.access_token}`;
    expect((await call(e, `/api/v1/users/${AVA}`, bearer)).status).toBe(200);
    expect((await call(e, `/api/v1/groups/${AGENTS}/users`, bearer)).status).toBe(200);
    const denied = await call(e, `/api/v1/groups/${AGENTS}/users/${AVA}`, bearer, 'DELETE');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ errorCode: 'E0000006' });
    e.admin.expireAccessTokens();
    expect((await call(e, `/api/v1/users/${AVA}`, bearer)).status).toBe(401);
  });

  it('refuses a wrong signature, a wrong audience, a scope not granted, a reused jti, and DPoP-less calls to a DPoP app', async () => {
    const e = (emulator = await startOktaEmulator({ fixture: 'retail', serviceApps: [app()] }));
    const wrongKey = await token(e, 'okta.users.read', assertion(e, other));
    expect([wrongKey.status, ((await wrongKey.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
    const wrongAud = await token(e, 'okta.users.read', assertion(e, privateKey, { aud: 'https://elsewhere' }));
    expect(wrongAud.status).toBe(401);
    const notGranted = await token(e, 'okta.users.manage');
    expect([notGranted.status, ((await notGranted.json()) as { error: string }).error]).toEqual([400, 'invalid_scope']);
    const once = assertion(e);
    expect((await token(e, 'okta.users.read', once)).status).toBe(200);
    expect((await token(e, 'okta.users.read', once)).status).toBe(401);
    await e.close();

    const d = (emulator = await startOktaEmulator({ fixture: 'retail', serviceApps: [app({ requireDpop: true })] }));
    const dpop = await token(d, 'okta.users.read');
    expect([dpop.status, ((await dpop.json()) as { error: string }).error]).toEqual([400, 'invalid_dpop_proof']);
  });
});
