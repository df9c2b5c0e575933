// Temporal connection settings from Temporal's standard environment configuration: TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* and TOML profiles (TEMPORAL_PROFILE). The same variables
// work for the dev server, a self-hosted cluster and Temporal Cloud.
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { UserError } from './errors';

export interface TemporalEnv {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
  address: string;
}

export function temporalEnv(env: NodeJS.ProcessEnv = process.env): TemporalEnv {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) vars[k] = v;
  try {
    const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: vars });
    const address = connectionOptions.address ?? 'localhost:7233';
    return { connectionOptions: { ...connectionOptions, address }, namespace: namespace ?? 'default', address };
  } catch (err) {
    throw new UserError(
      `cannot read the Temporal client configuration: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
