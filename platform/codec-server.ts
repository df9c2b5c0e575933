// A codec server for the Temporal Web UI (and `temporal workflow show --codec-endpoint`): the UI's browser posts
// encrypted payloads here and shows what comes back, so people who can reach this server read agents' inputs and
// nobody else does. Temporal's codec protocol: POST …/encode and …/decode with `{ payloads: [{ metadata, data }] }`
// in proto3 JSON (bytes as base64); only the last path segment decides which, so it can be mounted at any depth.
//
// The browser calls it cross-origin from the UI's page: CORS answers the UI's origin only (never "*", which
// browsers refuse together with credentials). With CODEC_SERVER_TOKEN set, requests need `Authorization: Bearer
// <token>`; preflights never carry it, so OPTIONS is answered without.
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { headerMatches } from './header-auth';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Origins of the Web UI pages allowed to call (e.g. http://localhost:8233). */
  origins: string[];
  /** A bearer token every /encode and /decode must carry; none when omitted. */
  token?: string;
}

const ALLOWED_HEADERS = 'content-type,x-namespace,authorization';
/** Temporal's payload size limit is 2 MB each; a batch of them must fit. */
const BODY_LIMIT = 16 * 1024 * 1024;

const jsonPayloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).nullish(), data: z.string().nullish() })),
});
type JsonPayloads = z.infer<typeof jsonPayloads>;

function fromJson(body: JsonPayloads): Payload[] {
  return body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  }));
}

function toJson(payloads: Payload[]): JsonPayloads {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

export function buildCodecServer(opts: CodecServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  const origins = new Set(opts.origins.map((o) => o.replace(/\/+$/, '')));

  // CORS headers on every answer to an allowed origin, errors included: the browser hides a 401 without them.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !origins.has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    reply.header('access-control-allow-headers', ALLOWED_HEADERS);
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('vary', 'Origin');
  });

  app.options('/*', async (request, reply) => {
    const origin = request.headers.origin;
    // A page from another origin gets no CORS grant; saying so plainly beats a silent 204 it cannot use.
    return origin !== undefined && !origins.has(origin)
      ? reply.code(403).send({ message: `origin ${origin} is not allowed` })
      : reply.code(204).send();
  });

  app.post('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    const action = request.url.split('?')[0]!.replace(/\/+$/, '').split('/').pop();
    if (action !== 'encode' && action !== 'decode')
      return reply.code(404).send({ message: 'POST …/encode or …/decode' });
    if (opts.token !== undefined && !headerMatches(request.headers.authorization, `Bearer ${opts.token}`)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ message: 'a valid bearer token is required' });
    }
    const body = jsonPayloads.safeParse(request.body);
    if (!body.success)
      return reply.code(400).send({ message: 'expected { payloads: [{ metadata: { key: base64 }, data: base64 }] }' });
    try {
      const payloads = fromJson(body.data);
      return toJson(action === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads));
    } catch (err) {
      // The codec's messages name key ids and what to fix, never a key or a payload's content.
      return reply.code(400).send({ message: err instanceof Error ? err.message : String(err) });
    }
  });
  return app;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

export async function startCodecServer(
  opts: CodecServerOptions & { host?: string; port?: number },
): Promise<RunningCodecServer> {
  const app = buildCodecServer(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
