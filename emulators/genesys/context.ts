// What every route can reach, and what the hooks learn about each request (its org, its OAuth client,
// whether its connection is to be dropped after the write).
import type { FastifyRequest } from 'fastify';
import type { RehireMode } from './scim/user-writes';
import { PlatformError } from './errors';
import type { FaultInjector } from './faults';
import type { RollingRateLimiter } from './rate-limiter';
import type { RequestCounter } from './request-counter';
import type { EmulatorStore, OrgStore } from './store';
import type { TokenStore } from './tokens';

export interface EmulatorSettings {
  tokenTtlSeconds: number;
  newUserNotFoundMs: number;
  versionMismatchStatus: 400 | 409;
  deactivationRemovesGrants: boolean;
  rehire: RehireMode;
}

export interface EmulatorContext {
  store: EmulatorStore;
  tokens: TokenStore;
  limiter: RollingRateLimiter;
  faults: FaultInjector;
  counter: RequestCounter;
  settings: EmulatorSettings;
  /** Schedules a state-file write (no-op without a state file). */
  markDirty(): void;
}

export interface RequestState {
  /** Set by the org-pinned prefix /orgs/:orgId. */
  pinnedOrgId?: string;
  /** The org and client the request's token (or Basic credentials) belong to. */
  orgId?: string;
  clientId?: string;
  dropAfterCommit: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    emu: RequestState;
  }
}

/** The org of an authenticated API request. */
export function requestOrg(ctx: EmulatorContext, request: FastifyRequest): OrgStore {
  const orgId = request.emu.orgId;
  if (!orgId)
    throw new PlatformError(
      401,
      'authentication.required',
      'No authentication bearer token specified in authorization header.',
    );
  return ctx.store.org(orgId);
}

/** Base URL the client used, including the org prefix, for meta.location and Location headers. */
export function requestBaseUrl(request: FastifyRequest): string {
  const prefix = request.emu.pinnedOrgId ? `/orgs/${request.emu.pinnedOrgId}` : '';
  return `${request.protocol}://${request.host}${prefix}`;
}

export function isScimRequest(request: FastifyRequest): boolean {
  return request.url.includes('/api/v2/scim/');
}
