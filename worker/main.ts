// The worker process: `npm run worker -- [--config config] [--queues lifecycle,genesys] [--metrics-port 9464]`.
// Connects by Temporal's standard environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS…),
// ensures the search attributes, polls the lifecycle queue and one rate-limited Genesys queue per org, and
// shuts down gracefully on SIGTERM/SIGINT (in-flight activities finish; workflows resume on any worker).
import { Command, InvalidArgumentError } from 'commander';
import { Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { jsonLogger } from './json-logger';
import { createGenesysActivities } from '../activities/genesys';
import { createOktaActivities } from '../activities/okta';
import { createOktaUserEventActivities } from '../activities/okta-user-events';
import type { OrgConnection } from '../config/orgs';
import { loadConfig, orgConnection } from '../config/load';
import { runMain, UserError } from '../platform/errors';
import { dataConverterFromEnv, describePayloadEncryption } from '../platform/payload-codec';
import { ensureSearchAttributes } from '../platform/search-attributes';
import { temporalEnv } from '../platform/temporal-env';
import { createWorkers, DEFAULT_MAX_CACHED_WORKFLOWS, runWorkers } from './workers';
import { startNameResolver } from '../operations/name-resolver';
import { GenesysClient } from '../integrations/genesys';
import { extraActivities } from './extra-activities';
import { checkOktaAccess } from './okta-check';

interface Options {
  config: string;
  queues: string;
  metricsPort?: number;
  metricsHost: string;
  bundle?: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  maxCachedWorkflows?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
}

function cacheSize(value: string): number {
  const n = Number(value);
  // The SDK treats 1 as 2; 0 turns the cache off.
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a whole number ≥ 0');
  return n;
}

async function main(): Promise<void> {
  const opts = new Command('worker')
    .description('Run the seasonal-agent worker')
    .option('--config <dir>', 'config directory (orgs.yaml, seasons/)', process.env.SEASONAL_CONFIG_DIR ?? 'config')
    .option('--queues <list>', 'which queues to poll: lifecycle, genesys, or both', 'lifecycle,genesys')
    .option('--metrics-port <port>', 'serve Prometheus metrics on <metrics-host>:<port>/metrics', port)
    .option('--metrics-host <host>', 'address the metrics endpoint binds (0.0.0.0 in a container)', '127.0.0.1')
    .option('--bundle <file>', 'prebuilt workflow bundle (production); otherwise bundled at start')
    .option('--log-level <level>', 'DEBUG, INFO, WARN or ERROR', 'INFO')
    // Sleeping agents need no cache (a timer firing replays a short history): the small default keeps a worker that
    // holds thousands of them small, and a wave is paced by Genesys's budget, not by replays. See README, Benchmark.
    .option(
      '--max-cached-workflows <n>',
      `workflows kept in memory between tasks (default ${DEFAULT_MAX_CACHED_WORKFLOWS})`,
      cacheSize,
    )
    .parse()
    .opts<Options>();
  const queues = new Set(opts.queues.split(',').map((q) => q.trim()));
  for (const q of queues)
    if (q !== 'lifecycle' && q !== 'genesys') throw new UserError(`unknown queue kind "${q}" (use lifecycle, genesys)`);
  // First: a malformed key stops the worker with one line, before it connects or touches any workflow.
  const dataConverter = dataConverterFromEnv();

  // Temporal's own runtime telemetry: task latencies, slots, poll counts, activity failures, as Prometheus.
  Runtime.install({
    logger: jsonLogger(opts.logLevel),
    ...(opts.metricsPort
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${opts.metricsHost}:${opts.metricsPort}` } } } }
      : {}),
  });

  const config = loadConfig(opts.config);
  const orgs = new Map<string, OrgConnection>();
  for (const org of config.orgs.values()) orgs.set(org.id, orgConnection(org));

  // One clear line per org whose Okta credentials Okta refuses (expired, revoked), before anything runs.
  await checkOktaAccess(orgs.values());

  const temporal = temporalEnv();
  const client = await Connection.connect(temporal.connectionOptions).catch((err: Error) => {
    throw new UserError(`cannot reach Temporal at ${temporal.address}: ${err.message}`);
  });
  const added = await ensureSearchAttributes(client, temporal.namespace);
  if (added.length > 0)
    console.log(`worker: registered search attributes ${added.join(', ')} on ${temporal.namespace}`);
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  // One Genesys client per org for the whole process, so the activities and the name resolver share one OAuth
  // token: each token request is a call outside the org's rate-limited queue.
  const genesysClients = new Map([...orgs.values()].map((o) => [o.orgId, GenesysClient.fromConnection(o.genesys)]));
  // Agents the catch-up starts get resolved role/division ids, as the hook receiver's do, read when it runs.
  const resolver = startNameResolver({
    seasons: () => [...config.seasons.values()],
    genesys: (orgId) => genesysClients.get(orgId),
    mode: 'on-demand',
  });

  const workers = await createWorkers({
    connection,
    namespace: temporal.namespace,
    orgs: [...orgs.values()].map((o) => ({ orgId: o.orgId, requestsPerMinute: o.genesys.requestsPerMinute })),
    genesysActivities: createGenesysActivities(genesysClients),
    oktaActivities: createOktaActivities(orgs),
    oktaEventActivities: createOktaUserEventActivities({
      okta: orgs,
      connection: client,
      namespace: temporal.namespace,
      dataConverter,
    }),
    extraActivities: await extraActivities({
      config,
      orgs,
      client,
      namespace: temporal.namespace,
      resolved: (id) => resolver.resolvedFresh(id),
      dataConverter,
    }),
    workflowBundlePath: opts.bundle,
    roles: { lifecycle: queues.has('lifecycle'), genesys: queues.has('genesys') },
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    dataConverter,
  });
  console.log(
    `worker: polling ${[...queues].join(' + ')} for ${orgs.size} org(s) on ${temporal.address}/${temporal.namespace}; ${describePayloadEncryption(dataConverter)}` +
      (opts.metricsPort ? `; metrics on http://${opts.metricsHost}:${opts.metricsPort}/metrics` : ''),
  );
  await runWorkers(workers);
  resolver.stop();
  await connection.close();
  await client.close();
  console.log('worker: stopped');
}

runMain(main);
