// A whole lifecycle stack for one test file: its own namespace on the shared dev server, a Genesys emulator,
// the real Genesys activities over HTTP, and the real workers (lifecycle + the org's rate-limited queue).
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startGenesysEmulator } from '../../emulators/genesys';
import type { GenesysEmulator, GenesysEmulatorOptions } from '../../emulators/genesys';
import { createGenesysActivities } from '../../activities/genesys';
import { createOktaActivities } from '../../activities/okta';
import type { OrgConnection } from '../../config/orgs';
import { createWorkers } from '../../worker/workers';
import { createTestNamespace, quietRuntime, temporalAddress } from './temporal';
import { RETAIL_ORG } from './agents';

export interface LifecycleEnv {
  namespace: string;
  client: Client;
  emulator: GenesysEmulator;
  orgs: Map<string, OrgConnection>;
  stopWorkers(): Promise<void>;
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startLifecycleEnv(
  opts: {
    emulator?: GenesysEmulatorOptions;
    requestsPerMinute?: number;
    namespacePrefix?: string;
    /** Payload encryption for both the client and the workers, as a deployment configures it. */
    dataConverter?: DataConverter;
  } = {},
): Promise<LifecycleEnv> {
  quietRuntime();
  const namespace = await createTestNamespace(opts.namespacePrefix ?? 'lifecycle');
  const requestsPerMinute = opts.requestsPerMinute ?? 6000;
  const emulator = await startGenesysEmulator({ port: 0, rateLimitPerMinute: requestsPerMinute, ...opts.emulator });
  const orgs = new Map<string, OrgConnection>([
    [
      RETAIL_ORG,
      {
        orgId: RETAIL_ORG,
        genesys: {
          apiBaseUrl: emulator.url,
          loginBaseUrl: emulator.url,
          clientId: 'retail-us-provisioner',
          clientSecret: 'emulator-retail-us-secret',
          requestsPerMinute,
        },
      },
    ],
  ]);
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace, dataConverter: opts.dataConverter });
  const native = await NativeConnection.connect({ address: temporalAddress() });

  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const startWorkers = async () => {
    workers = await createWorkers({
      connection: native,
      namespace,
      orgs: [{ orgId: RETAIL_ORG, requestsPerMinute }],
      genesysActivities: createGenesysActivities(orgs),
      oktaActivities: createOktaActivities(new Map()),
      workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      maxCachedWorkflows: 50,
      dataConverter: opts.dataConverter,
    });
    running = Promise.all(workers.map((w) => w.run()));
  };
  const stopWorkers = async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    workers = [];
  };
  await startWorkers();
  return {
    namespace,
    client,
    emulator,
    orgs,
    startWorkers,
    stopWorkers,
    async close() {
      await stopWorkers();
      await native.close();
      await connection.close();
      await emulator.close();
    },
  };
}
