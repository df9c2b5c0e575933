// Where the Okta activities get a client for an org: ready clients (tests, custom options) or the OrgConnections
// from config, from which one client per org is built lazily and kept.
import { ApplicationFailure } from '@temporalio/common';
import type { OrgConnection } from '../config/orgs';
import { OktaClient } from '../integrations/okta';

/** Anything with get(orgId): a Map<string, OrgConnection>, a Map<string, OktaClient>, or a custom registry. */
export interface OktaClientSource {
  get(orgId: string): OktaClient | OrgConnection | undefined;
}

const built = new WeakMap<OrgConnection, OktaClient>();

export function resolveOktaClient(source: OktaClientSource, orgId: string): OktaClient {
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
  let client = built.get(entry);
  if (!client) {
    client = OktaClient.fromConnection(entry.okta);
    built.set(entry, client);
  }
  return client;
}
