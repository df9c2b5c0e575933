// Public surface of the Genesys Cloud client.
export { GenesysClient, MAX_QUEUE_MEMBERS_PER_CALL, scimEq } from './client';
export type {
  CallOptions,
  EntityPage,
  GenesysClientOptions,
  ListingPage,
  NamedEntity,
  NewScimUser,
  Proficiency,
  RoutingCatalogue,
  UserRouting,
  UserState,
} from './client';
export { GenesysApiError, isGenesysApiError, redactUpstreamMessage } from './errors';
export type { GenesysErrorKind } from './errors';
export { DEFAULT_TIMEOUT_MS } from './http';
export {
  GENESYS_REGION_DOMAINS,
  UnknownGenesysRegionError,
  genesysRegionUrls,
  isGenesysRegionDomain,
  normalizeBaseUrl,
  resolveGenesysBaseUrls,
} from './regions';
export type { GenesysBaseUrls, GenesysRegionDomain } from './regions';
export type { PlatformUser, ScimUser } from './schemas';
