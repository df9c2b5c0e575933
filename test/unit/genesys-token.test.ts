// Token cache: single flight, refresh before expiry, 401 → one retry with a fresh token. Over real HTTP
// against the unit fake (no mocked axios), with a controllable clock.
import { GenesysClient, isGenesysApiError } from '../../integrations/genesys';
import { FAKE_CLIENT_SECRET, fakeConnection, startFakeGenesys, type FakeGenesys } from './genesys-fake-api';

const emptySubject = { id: 'u1', grants: [] };

describe('Genesys OAuth token cache', () => {
  let fake: FakeGenesys;
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000_000;
  });
  afterEach(async () => {
    await fake.close();
  });

  it('shares one token request among concurrent callers, then reuses the token', async () => {
    fake = await startFakeGenesys({ tokenDelayMs: 150 });
    fake.setHandler(() => ({ status: 200, body: emptySubject }));
    const client = new GenesysClient(fakeConnection(fake), { now });

    await Promise.all(Array.from({ length: 20 }, () => client.getDirectGrants('u1')));
    await client.getDirectGrants('u1');

    expect(fake.tokenRequests).toHaveLength(1);
    expect(fake.requests).toHaveLength(21);
    expect(new Set(fake.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer token-1']));
  });

  it('sends client credentials as Basic auth with a form body', async () => {
    fake = await startFakeGenesys();
    fake.setHandler(() => ({ status: 200, body: emptySubject }));
    await new GenesysClient(fakeConnection(fake), { now }).getDirectGrants('u1');

    const [tokenRequest] = fake.tokenRequests;
    expect(tokenRequest!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(tokenRequest!.body).toBe('grant_type=client_credentials');
    const basic = Buffer.from(String(tokenRequest!.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe(`unit-client:${FAKE_CLIENT_SECRET}`);
  });

  it('refreshes before expiry (10% of the lifetime, at most a minute)', async () => {
    fake = await startFakeGenesys({ tokenLifetimeSec: 300 });
    fake.setHandler(() => ({ status: 200, body: emptySubject }));
    const client = new GenesysClient(fakeConnection(fake), { now });

    await client.getDirectGrants('u1');
    clock += 269_000; // 31 s left of 300: still outside the 30 s margin
    await client.getDirectGrants('u1');
    expect(fake.tokenRequests).toHaveLength(1);

    clock += 2_000; // 29 s left: inside the margin, refresh before using it
    await client.getDirectGrants('u1');
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer token-2');
  });

  it('on a 401 drops the token and retries the request once with a fresh one', async () => {
    fake = await startFakeGenesys();
    fake.setHandler(() => ({ status: 200, body: emptySubject }));
    const client = new GenesysClient(fakeConnection(fake), { now });
    await client.getDirectGrants('u1');

    fake.validTokens.delete('token-1'); // revoked server-side
    await expect(client.getDirectGrants('u1')).resolves.toEqual([]);

    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('concurrent 401s for the same stale token cause one refresh, not one each', async () => {
    fake = await startFakeGenesys({ tokenDelayMs: 50 });
    fake.setHandler(() => ({ status: 200, body: emptySubject }));
    const client = new GenesysClient(fakeConnection(fake), { now });
    await client.getDirectGrants('u1');
    fake.validTokens.delete('token-1');

    await Promise.all(Array.from({ length: 10 }, () => client.getDirectGrants('u1')));
    expect(fake.tokenRequests).toHaveLength(2);
  });

  it('gives up after one retry: a second 401 is Unauthorized, without the token or secret in the message', async () => {
    fake = await startFakeGenesys();
    fake.setHandler(() => ({
      status: 401,
      body: { message: 'Invalid login credentials.', code: 'bad.credentials', status: 401 },
    }));
    const client = new GenesysClient(fakeConnection(fake), { now });

    const err: unknown = await client.getDirectGrants('u1').catch((e: unknown) => e);
    expect(isGenesysApiError(err, 'Unauthorized')).toBe(true);
    expect(fake.requests).toHaveLength(2);
    const message = (err as Error).message;
    expect(message).toContain('GET /api/v2/authorization/subjects/{subjectId} → 401');
    expect(message).not.toMatch(/token-\d|unit-secret/);
  });

  it('reports rejected client credentials as Unauthorized and tries again on the next call', async () => {
    fake = await startFakeGenesys();
    fake.setHandler(() => ({ status: 200, body: emptySubject }));
    const client = new GenesysClient({ ...fakeConnection(fake), clientSecret: 'wrong-secret' }, { now });

    const err: unknown = await client.getDirectGrants('u1').catch((e: unknown) => e);
    expect(isGenesysApiError(err, 'Unauthorized')).toBe(true);
    expect((err as Error).message).toMatch(/^Genesys POST \/oauth\/token → 401 \(Unauthorized\) invalid_client/);
    expect((err as Error).message).not.toContain('wrong-secret');

    await expect(client.getDirectGrants('u1')).rejects.toThrow(/oauth\/token/);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a 429 from the token endpoint to RateLimited with its Retry-After', async () => {
    fake = await startFakeGenesys();
    fake.setTokenHandler(() => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { message: 'Rate limit exceeded', code: 'too.many.requests', status: 429 },
    }));
    const err: unknown = await new GenesysClient(fakeConnection(fake), { now })
      .getDirectGrants('u1')
      .catch((e: unknown) => e);
    expect(isGenesysApiError(err, 'RateLimited')).toBe(true);
    expect((err as { retryAfterMs?: number }).retryAfterMs).toBe(7000);
  });
});
