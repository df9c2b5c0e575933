// `npm run temporal -- [--port 7233] [--ui-port 8233] [--db data/temporal.db] [--headless]`
// Runs the Temporal dev server by hand (the CLI is found or built like in tests), until Ctrl-C.
import { Command, InvalidArgumentError } from 'commander';
import { startDevServer } from '../platform/dev-server';
import { runMain } from '../platform/errors';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
}

async function main(): Promise<void> {
  const opts = new Command('temporal')
    .description("Start the Temporal dev server with the project's search attributes")
    .option('--port <port>', 'gRPC port', port, 7233)
    .option('--ui-port <port>', 'Web UI port', port, 8233)
    .option('--headless', 'no Web UI')
    .option('--db <file>', 'SQLite file for persistence (in memory when omitted)')
    .option('--namespace <ns>', 'namespace', 'default')
    .parse()
    .opts<{ port: number; uiPort: number; headless?: boolean; db?: string; namespace: string }>();
  const server = await startDevServer({
    port: opts.port,
    uiPort: opts.headless ? false : opts.uiPort,
    dbFilename: opts.db,
    namespace: opts.namespace,
  });
  console.log(`TEMPORAL_ADDRESS=${server.address} TEMPORAL_NAMESPACE=${server.namespace}`);
  if (server.uiUrl) console.log(`Web UI: ${server.uiUrl}`);
  console.log('Ctrl-C stops the server.');
  // The server child keeps this process alive; Ctrl-C runs the registered shutdown (platform/shutdown.ts).
  await new Promise<never>(() => {});
}

runMain(main);
