// What every command gets: the config (loaded on first use), a Temporal client (connected on first use, from the
// standard TEMPORAL_* environment and profile files), and one output channel that honours --json. Commands take
// a context instead of reaching for globals, so tests can call them directly with captured output.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { createInterface } from 'node:readline/promises';
import { loadConfig, LoadedConfig } from '../../config/load';
import { UserError } from '../../platform/errors';
import { dataConverterFromEnv } from '../../platform/payload-codec';

export interface Output {
  /** A line of the human report (stdout). Suppressed in --json mode, where only the JSON document is printed. */
  line(text: string): void;
  /** The machine-readable result (stdout), printed once in --json mode. */
  json(value: unknown): void;
  /** Warnings, hints and progress (stderr): never mixed into the report or the JSON. */
  note(text: string): void;
  /** Whether progress bars may draw (an interactive terminal, not --json). */
  interactive: boolean;
}

export interface CommandContext {
  json: boolean;
  out: Output;
  env: NodeJS.ProcessEnv;
  config(): LoadedConfig;
  temporal(): Promise<{ client: Client; namespace: string }>;
  /** Asks a yes/no question on the terminal; false when there is no terminal to ask on. */
  confirm(question: string): Promise<boolean>;
  close(): Promise<void>;
}

export function consoleOutput(json: boolean): Output {
  return {
    line: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    json: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note: (text) => process.stderr.write(`${text}\n`),
    interactive: !json && process.stderr.isTTY === true,
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** The standard Temporal client configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, profiles). */
export function temporalClientConfig(env: NodeJS.ProcessEnv): ReturnType<typeof loadClientConnectConfig> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) vars[k] = v;
  try {
    return loadClientConnectConfig({ overrideEnvVars: vars });
  } catch (err) {
    throw new UserError(
      `cannot read the Temporal client configuration: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Connects with the standard Temporal environment. */
async function connectTemporal(env: NodeJS.ProcessEnv): Promise<{ connection: Connection; namespace: string }> {
  const loaded = temporalClientConfig(env);
  const { connectionOptions, namespace } = loaded;
  const address = connectionOptions.address ?? 'localhost:7233';
  try {
    const connection = await Connection.connect({
      address,
      ...(connectionOptions.tls !== undefined ? { tls: connectionOptions.tls } : {}),
      ...(connectionOptions.apiKey !== undefined ? { apiKey: connectionOptions.apiKey } : {}),
      ...(connectionOptions.metadata !== undefined ? { metadata: connectionOptions.metadata } : {}),
      connectTimeout: '10s',
    });
    return { connection, namespace: namespace ?? 'default' };
  } catch (err) {
    throw new UserError(
      `cannot reach Temporal at ${address} (set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export function createContext(options: {
  configDir: string;
  json: boolean;
  env?: NodeJS.ProcessEnv;
  out?: Output;
  confirm?: (q: string) => Promise<boolean>;
}): CommandContext {
  const env = options.env ?? process.env;
  let config: LoadedConfig | undefined;
  let temporal: Promise<{ connection: Connection; client: Client; namespace: string }> | undefined;
  return {
    json: options.json,
    out: options.out ?? consoleOutput(options.json),
    env,
    config: () => (config ??= loadConfig(options.configDir)),
    temporal: async () => {
      // The workers' payload encryption: the CLI starts agents (names, emails) and reads their states and results.
      temporal ??= (async () => {
        const dataConverter = dataConverterFromEnv(env);
        const { connection, namespace } = await connectTemporal(env);
        return { connection, namespace, client: new Client({ connection, namespace, dataConverter }) };
      })();
      const { client, namespace } = await temporal;
      return { client, namespace };
    },
    confirm: options.confirm ?? askOnTerminal,
    close: async () => {
      if (temporal) await (await temporal.catch(() => undefined))?.connection.close();
    },
  };
}
