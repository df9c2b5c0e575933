// Where the Genesys activities get a client for an org. The worker may hand over ready clients (tests, custom
// options) or the OrgConnections from config; in the latter case one client per org is built lazily and kept,
// so all activities of an org on this worker share one token cache.
import { ApplicationFailure } from '@temporalio/common';
import type { OrgConnection } from '../config/orgs';
import { GenesysClient } from '../integrations/genesys';

/** Anything with get(orgId): a Map<string, OrgConnection>, a Map<string, GenesysClient>, or a custom registry. */
export interface GenesysClientSource {
  get(orgId: string): GenesysClient | OrgConnection | undefined;
}

const built = new WeakMap<OrgConnection, GenesysClient>();

function isOrgConnection(value: GenesysClient | OrgConnection): value is OrgConnection {
  return !(value instanceof GenesysClient) && typeof (value as OrgConnection).genesys === 'object';
}

export function resolveClient(source: GenesysClientSource, orgId: string): GenesysClient {
  const entry = source.get(orgId);
  if (entry === undefined) {
    // Not a Genesys problem and not healing by retry: the worker was started without this org.
    throw ApplicationFailure.create({
      type: 'ConfigError',
      message: `no Genesys connection configured for org "${orgId}"`,
      nonRetryable: true,
    });
  }
  if (!isOrgConnection(entry)) return entry;
  let client = built.get(entry);
  if (!client) {
    client = GenesysClient.fromConnection(entry.genesys);
    built.set(entry, client);
  }
  return client;
}
