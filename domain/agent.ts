// Who an agent is and how the end of a season treats them: the types the domain logic, the configuration and the
// workflows share. The workflow contract (workflows/messages.ts) uses them; it does not own them.

export interface DeprovisionPolicy {
  /** SCIM active=false first (always recommended: the license stops at once). */
  deactivate: boolean;
  /** Remove the grants this workflow gave before deleting. */
  removeGrants: boolean;
  /** Delete (SCIM DELETE) this long after deactivation; 0 = at once; null = never delete. */
  deleteAfterMs: number | null;
  /** Remove the agent from the season's Okta groups at the end (so nothing provisions them again). */
  removeFromOktaGroups: boolean;
  /** Also deactivate the Okta user at the end. */
  deactivateOktaUser: boolean;
}

export interface AgentIdentity {
  /** Okta user id (00u…): the only identifier used in ids, search attributes and logs. */
  oktaUserId: string;
  /** Okta login, used as the Genesys SCIM userName. Kept out of ids, search attributes and logs. */
  login: string;
  email: string;
  givenName: string;
  familyName: string;
  employeeNumber?: string;
}

/** Role/division/queue name → id, as resolved by the starter (preflight) so the happy path makes no lookup calls. */
export interface NameResolution {
  roles: Record<string, string>;
  divisions: Record<string, string>;
  /** Queue name → id (absent in what earlier versions passed). */
  queues?: Record<string, string>;
}
