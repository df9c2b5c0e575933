// Activities beyond Genesys and Okta that run on the lifecycle queue: the catch-up reconciliation of each season
// (workflows/catch-up.ts). Kept in one place so the worker entry point and the tests register the same set.
import type { Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createCatchUpActivities } from '../activities/catch-up';
import { createLoginSweepActivities } from '../activities/login-sweep';
import type { LoadedConfig } from '../config/load';
import type { OrgConnection } from '../config/orgs';
import type { NameResolution } from '../workflows/messages';

export interface ExtraActivityDeps {
  config: LoadedConfig;
  orgs: Map<string, OrgConnection>;
  client: Connection;
  namespace: string;
  /** Role/division ids per season, when known, for agents the catch-up starts. */
  resolved?: (seasonId: string) => Promise<NameResolution | undefined>;
  /** The worker's payload encryption: agents the catch-up starts carry names and emails in their input. */
  dataConverter?: DataConverter;
}

export async function extraActivities(
  deps: ExtraActivityDeps,
): Promise<Record<string, (...args: never[]) => Promise<unknown>>> {
  const catchUp = createCatchUpActivities({
    seasons: deps.config.seasons,
    okta: deps.orgs,
    connection: deps.client,
    namespace: deps.namespace,
    ...(deps.resolved ? { resolved: deps.resolved } : {}),
    dataConverter: deps.dataConverter,
  });
  const logins = createLoginSweepActivities({
    seasons: deps.config.seasons,
    orgs: deps.config.orgs,
    okta: deps.orgs,
    connection: deps.client,
    namespace: deps.namespace,
    dataConverter: deps.dataConverter,
  });
  return { ...catchUp, ...logins };
}
