// `season setup`'s Temporal part: the namespace and the search attributes the workflows write.
//
// A self-hosted server (or the dev server) lets a client register both, so setup does, idempotently. Temporal Cloud
// manages namespaces and their search attributes through its own control plane (the Cloud UI, tcld, the Cloud Ops
// API), not through the namespace's endpoint, so there setup does not try and says exactly what to do.
import { Connection } from '@temporalio/client';
import { google } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../../domain/search-attributes';
import { ensureSearchAttributes } from '../../../platform/search-attributes';
import { temporalClientConfig, type CommandContext } from '../context';
import type { SetupStep } from './setup-steps';

/** Long enough to read last week's closed agents in the Web UI; the dev server's own default is only 24 h. */
export const RETENTION_DAYS = 7;

/** gRPC status codes the answers are told apart by. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Temporal Cloud: an address in the Cloud's domains, or an API key (the Cloud's way to authenticate). */
  cloud: boolean;
}

/** Where the CLI's Temporal client will connect (the same standard environment and profiles as every command). */
export function temporalTarget(env: NodeJS.ProcessEnv): TemporalTarget {
  const loaded = temporalClientConfig(env);
  const address = loaded.connectionOptions.address ?? 'localhost:7233';
  const host = address.replace(/:\d+$/, '').toLowerCase();
  const cloud =
    host.endsWith('.tmprl.cloud') || host.endsWith('.api.temporal.io') || loaded.connectionOptions.apiKey !== undefined;
  return { address, namespace: loaded.namespace ?? 'default', cloud };
}

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function seconds(value: unknown): number {
  // Durations come as protobuf Longs (or numbers): their string form is the number.
  return typeof value === 'number' ? value : Number(String(value));
}

/** The lines a person runs on Temporal Cloud, with the names and types the workflows need. */
export function cloudSteps(namespace: string): SetupStep[] {
  const flags = SEARCH_ATTRIBUTES.map((sa) => `--search-attribute "${sa.name}=${sa.cliType}"`).join(' ');
  const listed = SEARCH_ATTRIBUTES.map((sa) => `${sa.name} (${sa.cliType})`).join(', ');
  return [
    {
      area: 'temporal',
      outcome: 'left',
      subject: `Temporal namespace ${namespace}`,
      detail: 'Temporal Cloud: setup does not create namespaces there',
      todo: [
        `if it does not exist, create it in the Temporal Cloud UI (Namespaces → Create Namespace) or with tcld namespace create, retention at least ${RETENTION_DAYS} days`,
      ],
    },
    {
      area: 'temporal',
      outcome: 'left',
      subject: 'Temporal search attributes',
      detail: 'Temporal Cloud: setup does not add search attributes there',
      todo: [
        `tcld namespace search-attributes add --namespace ${namespace} ${flags}`,
        `or in the Cloud UI: Namespaces → ${namespace} → Custom Search Attributes → ${listed}`,
        'the ones the namespace already has are refused as duplicates: add only the missing ones',
      ],
    },
  ];
}

async function namespaceStep(connection: Connection, namespace: string, dryRun: boolean): Promise<SetupStep> {
  const subject = `Temporal namespace ${namespace}`;
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    const ttl = described.config?.workflowExecutionRetentionTtl?.seconds;
    const days = ttl === undefined || ttl === null ? undefined : Math.round(seconds(ttl) / 86_400);
    return {
      area: 'temporal',
      outcome: 'unchanged',
      subject,
      detail: days === undefined ? 'exists' : `exists, retention ${days} day${days === 1 ? '' : 's'}`,
    };
  } catch (err) {
    if (grpcCode(err) !== NOT_FOUND) throw err;
  }
  if (dryRun)
    return { area: 'temporal', outcome: 'would register', subject, detail: `retention ${RETENTION_DAYS} days` };
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: google.protobuf.Duration.fromObject({ seconds: RETENTION_DAYS * 86_400 }),
    });
  } catch (err) {
    // Registered a moment ago by someone else: what setup wanted.
    if (grpcCode(err) === ALREADY_EXISTS) return { area: 'temporal', outcome: 'unchanged', subject, detail: 'exists' };
    return {
      area: 'temporal',
      outcome: 'failed',
      subject,
      detail: `the server refused to register it: ${messageOf(err)}`,
      todo: [
        `ask the cluster's operator: temporal operator namespace create --retention ${RETENTION_DAYS * 24}h ${namespace}`,
      ],
    };
  }
  await untilVisible(connection, namespace);
  return { area: 'temporal', outcome: 'registered', subject, detail: `retention ${RETENTION_DAYS} days` };
}

/** How long a namespace just registered may take to be served (the frontend's namespace cache refreshes). */
const VISIBLE_WITHIN_MS = 30_000;

/**
 * A namespace just registered answers NOT_FOUND until the server's namespace cache has it (seconds): the search
 * attributes can only be added once it is served.
 */
async function untilVisible(connection: Connection, namespace: string): Promise<void> {
  const deadline = Date.now() + VISIBLE_WITHIN_MS;
  for (;;) {
    try {
      await connection.operatorService.listSearchAttributes({ namespace });
      return;
    } catch (err) {
      if (grpcCode(err) !== NOT_FOUND || Date.now() > deadline) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function searchAttributeSteps(
  connection: Connection,
  namespace: string,
  dryRun: boolean,
  namespaceExists: boolean,
): Promise<SetupStep[]> {
  const all = SEARCH_ATTRIBUTES.map((sa) => sa.name);
  const subject = (names: string[]) => `Temporal search attributes ${names.join(', ')}`;
  try {
    let added: string[];
    if (dryRun) {
      const have = namespaceExists
        ? new Set(
            Object.keys((await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {}),
          )
        : new Set<string>();
      added = all.filter((name) => !have.has(name));
    } else {
      added = await ensureSearchAttributes(connection, namespace);
    }
    const kept = all.filter((name) => !added.includes(name));
    const steps: SetupStep[] = [];
    if (added.length > 0)
      steps.push({ area: 'temporal', outcome: dryRun ? 'would register' : 'registered', subject: subject(added) });
    if (kept.length > 0) steps.push({ area: 'temporal', outcome: 'unchanged', subject: subject(kept) });
    return steps;
  } catch (err) {
    return [
      {
        area: 'temporal',
        outcome: 'failed',
        subject: subject(all),
        detail: `could not list or add them: ${messageOf(err)}`,
        todo: SEARCH_ATTRIBUTES.map(
          (sa) =>
            `temporal operator search-attribute create --namespace ${namespace} --name ${sa.name} --type ${sa.cliType}`,
        ),
      },
    ];
  }
}

export async function setupTemporal(ctx: CommandContext, dryRun: boolean): Promise<SetupStep[]> {
  const target = temporalTarget(ctx.env);
  if (target.cloud) return cloudSteps(target.namespace);
  let connection: Connection;
  let namespace: string;
  try {
    const temporal = await ctx.temporal();
    namespace = temporal.namespace;
    // The context connects with a Connection; operatorService (search attributes) is on it.
    if (!(temporal.client.connection instanceof Connection)) throw new Error('not a Temporal Connection');
    connection = temporal.client.connection;
  } catch (err) {
    return [{ area: 'temporal', outcome: 'failed', subject: `Temporal at ${target.address}`, detail: messageOf(err) }];
  }
  let ns: SetupStep;
  try {
    ns = await namespaceStep(connection, namespace, dryRun);
  } catch (err) {
    return [
      { area: 'temporal', outcome: 'failed', subject: `Temporal namespace ${namespace}`, detail: messageOf(err) },
    ];
  }
  if (ns.outcome === 'failed') return [ns];
  return [ns, ...(await searchAttributeSteps(connection, namespace, dryRun, ns.outcome !== 'would register'))];
}
