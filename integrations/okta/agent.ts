// An Okta user as a seasonal agent: when Okta says the person must not be (re)provisioned, and the identity the
// lifecycle workflow gets. Shared by the hook receiver and the catch-up reconciliation, so an agent started by
// either looks the same and a stopped user is treated the same way by both.
import type { AgentIdentity } from '../../domain/agent';
import type { OktaUser, OktaUserStatus } from './schemas';

/**
 * An Okta object id: letters and digits only (Okta management OpenAPI, `oktaUserId`: `pattern: ^[a-zA-Z0-9]+$`;
 * Okta mints 20, the length is not relied on). Anything else in an event cannot name a user of ours.
 */
const OKTA_ID = /^[A-Za-z0-9]{1,100}$/;

export function isOktaId(id: string): boolean {
  return OKTA_ID.test(id);
}

/** Okta statuses in which an agent must not be (re)provisioned; a running agent in one is offboarded. */
const STOPPED_STATUSES: ReadonlySet<OktaUserStatus> = new Set(['SUSPENDED', 'DEPROVISIONED']);

export function isStoppedInOkta(status: OktaUserStatus): boolean {
  return STOPPED_STATUSES.has(status);
}

/** The offboarding reason for a user Okta has stopped (deactivation keeps memberships, so this must be checked). */
export function stoppedReason(status: OktaUserStatus): string {
  return `Okta user is ${status.toLowerCase()}`;
}

/** Okta profile → workflow identity. Missing names stay empty rather than blocking the start (Okta allows them). */
export function agentIdentityOf(user: OktaUser): AgentIdentity {
  const p = user.profile;
  return {
    oktaUserId: user.id,
    login: p.login,
    email: p.email ?? p.login,
    givenName: p.firstName ?? '',
    familyName: p.lastName ?? '',
    ...(p.employeeNumber ? { employeeNumber: p.employeeNumber } : {}),
  };
}
