// Where the Okta activities get a client for an org: ready clients (tests, custom options) or the OrgConnections
// from config, from which one client per org is built lazily and kept.
import { ApplicationFailure } from '@temporalio/common';
import type { OrgConnection } from '../config/orgs';
import { OktaClient } from '../integrations/okta';

/** Anything with get(orgId): a Map<string, OrgConnection>, a Map<string, OktaClient>, or a custom registry. */
export interface OktaClientSource {
  get(orgId: string): OktaClient | OrgConnection | undefined;
}

const built = new WeakMap<OrgConnection, Map<string, OktaClient>>();

/**
 * `scopes`: what a service app's tokens ask for when this client is built from config (default: the provisioner's
 * OKTA_SCOPES); the login sweep asks for okta.logs.read alone. A ready client is used as it is.
 */
export function resolveOktaClient(source: OktaClientSource, orgId: string, scopes?: readonly string[]): OktaClient {
  const entry = source.get(orgId);
  if (entry instanceof OktaClient) return entry;
  if (entry?.okta === undefined) {
    // Not an Okta problem and not healing by retry: the worker was started without this org's Okta connection.
    throw ApplicationFailure.create({
      type: 'ConfigError',
      message: `no Okta connection configured for org "${orgId}"`,
      nonRetryable: true,
    });
  }
  const clients = built.get(entry) ?? new Map<string, OktaClient>();
  built.set(entry, clients);
  const key = scopes?.join(' ') ?? '';
  let client = clients.get(key);
  if (!client) {
    client = OktaClient.fromConnection(entry.okta, scopes ? { scopes } : {});
    clients.set(key, client);
  }
  return client;
}
