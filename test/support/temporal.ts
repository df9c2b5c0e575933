// Helpers for integration tests: a client on the shared dev server and a real worker with the prebuilt bundle.
import { Client, Connection } from '@temporalio/client';
import { google } from '@temporalio/proto';
import { ensureSearchAttributes } from '../../platform/search-attributes';
import { NativeConnection, Worker, WorkerOptions, Runtime, DefaultLogger } from '@temporalio/worker';

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process.
  }
}

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error(
      'TEMPORAL_ADDRESS is not set: run integration tests through jest (global setup starts the dev server)',
    );
  return address;
}

export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE ?? 'default';
}

export async function connectClient(
  namespace = temporalNamespace(),
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection, namespace }), connection };
}

/**
 * A fresh namespace (with the project's search attributes) for one test file. Production task queue names are
 * fixed (`seasonal-agents`, `genesys-<org>`), so test files running in parallel on the shared dev server are
 * kept apart by namespace: no worker can steal another file's tasks, and visibility counts stay per file.
 */
export async function createTestNamespace(prefix = 'test'): Promise<string> {
  const namespace = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const connection = await Connection.connect({ address: temporalAddress() });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: google.protobuf.Duration.fromObject({ seconds: 86_400 }),
    });
    await ensureSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
  return namespace;
}

export async function createTestWorker(
  options: Omit<WorkerOptions, 'connection' | 'namespace' | 'workflowBundle'>,
  namespace = temporalNamespace(),
): Promise<{ worker: Worker; connection: NativeConnection }> {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  // The product's workflows come prebuilt when the global setup built them; `workflowsPath` picks others (a
  // test-only workflow under test/support/workflows/), bundled here.
  const workflows = options.workflowsPath
    ? {}
    : bundlePath
      ? { workflowBundle: { codePath: bundlePath } }
      : { workflowsPath: require.resolve('../../workflows') };
  const worker = await Worker.create({
    connection,
    namespace,
    ...workflows,
    ...options,
  });
  return { worker, connection };
}

/** A task queue name unique to one test, so tests sharing the server never steal each other's tasks. */
export function uniqueQueue(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
