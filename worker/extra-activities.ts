// Activities beyond Genesys and Okta that run on the lifecycle queue (e.g. the catch-up reconciliation).
// Kept in one place so the worker entry point and the tests register the same set.
import type { Connection } from '@temporalio/client';
import type { LoadedConfig } from '../config/load';
import type { OrgConnection } from '../config/orgs';

export interface ExtraActivityDeps {
  config: LoadedConfig;
  orgs: Map<string, OrgConnection>;
  client: Connection;
  namespace: string;
}

export async function extraActivities(_deps: ExtraActivityDeps): Promise<Record<string, (...args: never[]) => Promise<unknown>>> {
  return {};
}
