// Public surface of the Okta client.
export { OktaClient, MEMBER_PAGE_SIZE, oktaString } from './client';
export type { CallOptions, OktaClientOptions } from './client';
export { OktaApiError, isOktaApiError, rateLimitWaitMs } from './errors';
export type { OktaErrorKind } from './errors';
export { DEFAULT_TIMEOUT_MS } from './http';
export { nextLink } from './link-header';
export type { OktaGroup, OktaUser, OktaUserStatus } from './schemas';
export { agentIdentityOf, isOktaId, isStoppedInOkta, stoppedReason } from './agent';
export { OKTA_SCOPES, parseServiceAppKey } from './oauth';
export type { OktaServiceApp } from './oauth';
