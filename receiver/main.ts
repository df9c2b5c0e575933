// `tsx receiver/main.ts` — the Okta event-hook receiver as a service.
//
// Environment:
//   OKTA_HOOK_SECRET          the auth header value Okta sends (required; from the environment, never a file)
//   OKTA_HOOK_AUTH_HEADER     the header's name (default Authorization)
//   SEASONAL_CONFIG_DIR       config directory with orgs.yaml and seasons/ (default ./config)
//   HOOK_HOST, HOOK_PORT      where to listen (default 127.0.0.1:8088; put TLS in front, Okta only calls HTTPS)
//   HOOK_PATH                 default /okta/events
//   HOOK_LOG_LEVEL            pino level (default info)
//   HOOK_REQUESTS_PER_MINUTE  requests WITHOUT the hook secret per client address per minute before 429 (default 6000)
//   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, … the standard Temporal client environment
//   PAYLOAD_ENCRYPTION_KEY, PAYLOAD_ENCRYPTION_KEY_ID, PAYLOAD_DECRYPTION_KEYS  payload encryption, as the worker's
// No Okta credentials: the receiver never calls Okta (the worker reads Okta in the Okta-events workflow).
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { loadConfig, orgConnection } from '../config/load';
import { startNameResolver } from '../operations/name-resolver';
import { GenesysClient } from '../integrations/genesys';
import type { SeasonConfig } from '../config/types';
import { seasonsTakingHires } from '../domain/hire-window';
import { runMain, UserError } from '../platform/errors';
import { dataConverterFromEnv, describePayloadEncryption } from '../platform/payload-codec';
import { buildHookReceiver, DEFAULT_REQUESTS_PER_MINUTE } from './server';

/**
 * Seasons whose events are acted on: every season that has not ended, so a hire before the start is provisioned
 * just in time too; a season not started yet waits while a running season of its org maps the same groups
 * (domain/hire-window.ts says why).
 */
export function activeSeasons(all: Iterable<SeasonConfig>, now = Date.now()): SeasonConfig[] {
  return seasonsTakingHires(all, now);
}

/** The per-address limit on requests without the hook secret (Okta's own deliveries are never limited). */
export function requestsPerMinuteFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.HOOK_REQUESTS_PER_MINUTE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_REQUESTS_PER_MINUTE;
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < 1)
    throw new UserError(`HOOK_REQUESTS_PER_MINUTE must be a whole number of requests of at least 1, not "${raw}"`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new UserError(`environment variable ${name} is not set: it must hold ${what}`);
  return value.trim();
}

/**
 * Lazy: the receiver starts (and answers 503) while Temporal is down, so Okta's retry can still succeed.
 * Encrypting like the worker: the agents it starts carry names and emails in their input.
 */
function temporalClient(env: NodeJS.ProcessEnv, dataConverter: DataConverter | undefined): Client {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) vars[k] = v;
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: vars });
  const connection = Connection.lazy({
    address: connectionOptions.address ?? 'localhost:7233',
    ...(connectionOptions.tls !== undefined ? { tls: connectionOptions.tls } : {}),
    ...(connectionOptions.apiKey !== undefined ? { apiKey: connectionOptions.apiKey } : {}),
    ...(connectionOptions.metadata !== undefined ? { metadata: connectionOptions.metadata } : {}),
  });
  return new Client({ connection, namespace: namespace ?? 'default', dataConverter });
}

async function main(): Promise<void> {
  const env = process.env;
  const secret = required(env, 'OKTA_HOOK_SECRET', "the event hook's auth header value");
  const requestsPerMinute = requestsPerMinuteFromEnv(env);
  const dataConverter = dataConverterFromEnv(env);
  const config = loadConfig(env.SEASONAL_CONFIG_DIR ?? 'config');

  // With the org's Genesys secret at hand, pass resolved role/division ids so agents skip the lookups.
  const genesysClients = new Map<string, GenesysClient>();
  for (const org of config.orgs.values()) {
    const secret = env[org.genesys.clientSecretEnv];
    if (secret !== undefined && secret.trim() !== '')
      genesysClients.set(org.id, GenesysClient.fromConnection(orgConnection(org, { env }).genesys));
  }
  const resolver = startNameResolver({
    seasons: () => [...config.seasons.values()],
    genesys: (orgId) => genesysClients.get(orgId),
  });
  await resolver.refresh();

  const app = buildHookReceiver({
    temporalClient: temporalClient(env, dataConverter),
    resolved: (seasonId) => resolver.resolved(seasonId),
    seasons: () => activeSeasons(config.seasons.values()),
    authHeader: { name: env.OKTA_HOOK_AUTH_HEADER ?? 'Authorization', value: secret },
    path: env.HOOK_PATH ?? '/okta/events',
    logger: { level: env.HOOK_LOG_LEVEL ?? 'info' },
    requestsPerMinute,
  });
  const port = Number(env.HOOK_PORT ?? 8088);
  if (!Number.isInteger(port) || port < 0)
    throw new UserError(`HOOK_PORT must be a port number, not "${env.HOOK_PORT}"`);
  await app.listen({ host: env.HOOK_HOST ?? '127.0.0.1', port });
  app.log.info(`receiver: ${describePayloadEncryption(dataConverter)}`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Finishes requests in flight (their deliveries get their answer) before exiting.
  resolver.stop();
  await app.close();
}

if (require.main === module) runMain(main);
