// A stand-in event-hook receiver for emulator tests: records every request Okta's side sends and answers as
// told (by default, Okta's verification echo for GET and 204 for POST).
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface HookCapture {
  url: string;
  requests: CapturedRequest[];
  /** Decides the status of each POST (default 204); `index` counts POSTs from this call on. */
  respondWith(fn: (request: CapturedRequest, index: number) => number): void;
  close(): Promise<void>;
}

export async function startHookCapture(): Promise<HookCapture> {
  const requests: CapturedRequest[] = [];
  let statusFor: (request: CapturedRequest, index: number) => number = () => 204;
  let posts = 0;
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.get('/okta/events', async (request) => {
    requests.push({ method: 'GET', headers: request.headers, body: undefined });
    return { verification: request.headers['x-okta-verification-challenge'] };
  });
  app.post('/okta/events', async (request, reply) => {
    const captured = { method: 'POST', headers: request.headers, body: request.body };
    requests.push(captured);
    return reply.code(statusFor(captured, posts++)).send();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/okta/events`,
    requests,
    respondWith(fn) {
      statusFor = fn;
      posts = 0;
    },
    close: () => app.close(),
  };
}
