// A tiny Genesys stand-in for the client's unit tests: a real HTTP server (fastify) that issues tokens and
// lets each test script the API's answers and see exactly what went over the wire. Deliberately not the
// emulator: these tests pin the client's request shapes and error handling, whatever the emulator models.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

export const FAKE_CLIENT_ID = 'unit-client';
export const FAKE_CLIENT_SECRET = 'unit-secret-do-not-log';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** The raw query string, to check its encoding. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | undefined;
  body: unknown;
}

/** What a scripted handler answers: a status with optional JSON body and headers, a dropped socket, or a stall. */
export type FakeAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { drop: true }
  | { stallMs: number; then: { status: number; body?: unknown } };

export type FakeHandler = (req: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeGenesys {
  url: string;
  /** Requests to /api/**, in arrival order (token requests are counted separately). */
  requests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  /** Tokens the API currently accepts; revoke one to make the API answer 401 for it. */
  validTokens: Set<string>;
  setHandler(handler: FakeHandler): void;
  /** Replaces the token endpoint's behaviour (default: issue a new token with tokenLifetimeSec). */
  setTokenHandler(handler: FakeHandler | undefined): void;
  close(): Promise<void>;
}

export async function startFakeGenesys(
  options: { tokenLifetimeSec?: number; tokenDelayMs?: number } = {},
): Promise<FakeGenesys> {
  const app = Fastify({ logger: false });
  // Keep every body as text; the tests parse what they need (SCIM JSON, form bodies, bare arrays).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const requests: RecordedRequest[] = [];
  const tokenRequests: RecordedRequest[] = [];
  const validTokens = new Set<string>();
  let issued = 0;
  let handler: FakeHandler = () => ({ status: 404, body: { message: 'no handler', code: 'not.found', status: 404 } });
  let tokenHandler: FakeHandler | undefined;

  const record = (req: FastifyRequest): RecordedRequest => {
    const [path, rawQuery = ''] = req.url.split('?', 2) as [string, string?];
    const text = typeof req.body === 'string' ? req.body : undefined;
    const contentType = req.headers['content-type'];
    let body: unknown = text;
    if (text !== undefined && contentType !== undefined && /json/.test(contentType)) body = JSON.parse(text);
    return {
      method: req.method,
      path,
      query: new URLSearchParams(rawQuery),
      rawQuery,
      headers: req.headers,
      contentType,
      body,
    };
  };

  const answer = async (reply: FastifyReply, a: FakeAnswer): Promise<void> => {
    if ('drop' in a) {
      reply.raw.socket?.destroy();
      return;
    }
    let final: { status: number; body?: unknown; headers?: Record<string, string> };
    if ('stallMs' in a) {
      await new Promise((resolve) => setTimeout(resolve, a.stallMs));
      final = a.then;
    } else {
      final = a;
    }
    if (final.headers) void reply.headers(final.headers);
    if (final.body === undefined) await reply.code(final.status).send();
    else await reply.code(final.status).type('application/json').send(JSON.stringify(final.body));
  };

  app.post('/oauth/token', async (req, reply) => {
    const rec = record(req);
    tokenRequests.push(rec);
    if (options.tokenDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
    if (tokenHandler) return answer(reply, await tokenHandler(rec));
    const expected = `Basic ${Buffer.from(`${FAKE_CLIENT_ID}:${FAKE_CLIENT_SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== expected || rec.body !== 'grant_type=client_credentials') {
      return answer(reply, { status: 401, body: { error: 'invalid_client', description: 'client not found' } });
    }
    const token = `token-${++issued}`;
    validTokens.add(token);
    return answer(reply, {
      status: 200,
      body: { access_token: token, token_type: 'bearer', expires_in: options.tokenLifetimeSec ?? 86400 },
    });
  });

  app.all('/api/*', async (req, reply) => {
    const rec = record(req);
    requests.push(rec);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !validTokens.has(auth.slice('Bearer '.length))) {
      return answer(reply, {
        status: 401,
        body: { message: 'Invalid login credentials.', code: 'bad.credentials', status: 401 },
      });
    }
    return answer(reply, await handler(rec));
  });

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    requests,
    tokenRequests,
    validTokens,
    setHandler: (h) => {
      handler = h;
    },
    setTokenHandler: (h) => {
      tokenHandler = h;
    },
    close: () => app.close(),
  };
}

export function fakeConnection(fake: FakeGenesys): {
  apiBaseUrl: string;
  loginBaseUrl: string;
  clientId: string;
  clientSecret: string;
  requestsPerMinute: number;
} {
  return {
    apiBaseUrl: fake.url,
    loginBaseUrl: fake.url,
    clientId: FAKE_CLIENT_ID,
    clientSecret: FAKE_CLIENT_SECRET,
    requestsPerMinute: 300,
  };
}
