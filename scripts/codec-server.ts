// `npm run codec-server -- [--port 8888] [--host 127.0.0.1] [--origin http://localhost:8233]…`
// Serves the payload codec (platform/payload-codec.ts) to the Temporal Web UI: set the UI's codec endpoint to this
// server's URL (`temporal server start-dev --ui-codec-endpoint`, TEMPORAL_CODEC_ENDPOINT of the UI container, or
// the UI's own "Codec Server" setting) and the UI shows agents' inputs decrypted. It needs the same
// PAYLOAD_ENCRYPTION_KEY (and PAYLOAD_DECRYPTION_KEYS) as the workers; CODEC_SERVER_TOKEN, when set, is a bearer
// token every request must carry. Anyone who can call it can read every payload: keep it on a trusted network.
import { Command, InvalidArgumentError } from 'commander';
import { runMain, UserError } from '../platform/errors';
import { startCodecServer } from '../platform/codec-server';
import { payloadCodecFromEnv } from '../platform/payload-codec';

interface Options {
  port: number;
  host: string;
  origin: string[];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
}

function origins(value: string, previous: string[] | undefined): string[] {
  const added = value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const o of added)
    if (!/^https?:\/\/[^/]+\/?$/.test(o))
      throw new InvalidArgumentError(`"${o}" is not an origin like http://localhost:8233`);
  return [...(previous ?? []), ...added];
}

async function main(): Promise<void> {
  const opts = new Command('codec-server')
    .description('Decrypt payloads for the Temporal Web UI (Temporal codec server protocol)')
    .option('--port <port>', 'port to listen on', port, 8888)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--origin <url>',
      'Web UI origin allowed to call (repeat or comma-separate; default http://localhost:8233 and http://127.0.0.1:8233)',
      origins,
    )
    .parse()
    .opts<Options>();
  const codec = payloadCodecFromEnv();
  if (!codec)
    throw new UserError('PAYLOAD_ENCRYPTION_KEY is not set: the codec server needs the key the workers encrypt with');
  const token = process.env.CODEC_SERVER_TOKEN?.trim() || undefined;
  const allowed = opts.origin ?? ['http://localhost:8233', 'http://127.0.0.1:8233'];
  const server = await startCodecServer({
    codec,
    origins: allowed,
    ...(token ? { token } : {}),
    host: opts.host,
    port: opts.port,
  });
  console.log(
    `codec server: ${server.url}/decode and /encode for ${allowed.join(', ')}; key id ${codec.keyId}; bearer token ${token ? 'required' : 'not required'}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}

runMain(main);
