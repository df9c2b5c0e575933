// Matching held permissions against a route's requirement, and the 403 bodies a missing permission gets.
// The requirements themselves are in one table (permissions.ts); this file only knows how to read it.
import type { FastifyRequest } from 'fastify';
import { PlatformError } from './errors';
import type { OrgStore } from './store';

/**
 * What the SDK docs say an operation needs: "Requires ANY permissions" (one of the list), "Requires ALL
 * permissions" (each of them) or "Requires NO permissions".
 */
export type Documented = { any: readonly string[] } | { all: readonly string[] } | 'none';

export interface RouteRule {
  documented: Documented;
  /**
   * The emulator's stricter reading on top of the documented gate: permissions this particular request needs,
   * every one of them (e.g. routing:skill:assign when a SCIM body carries routing skills). May read the body.
   */
  stricter?: (request: FastifyRequest, org: OrgStore) => readonly string[];
  /** Where the documented requirement comes from (README's table repeats it). */
  source: string;
}

/**
 * Whether a held permission grants a needed one. Permissions are `domain:entity:action`; a held `*` stands for
 * any entity or any action (Genesys's own admin roles hold policies with entityName `*` and actionSet `["*"]`).
 * The domain is never a wildcard: no source shows one. One-segment permissions (`admin`) match only themselves.
 */
export function grantsPermission(held: string, needed: string): boolean {
  const h = held.split(':');
  const n = needed.split(':');
  if (h.length !== n.length) return false;
  return h.every((part, i) => part === n[i] || (i > 0 && part === '*'));
}

export function holds(held: readonly string[], needed: string): boolean {
  return held.some((h) => grantsPermission(h, needed));
}

// Genesys's codes for the two kinds of refusal (see README, "The 403 body"); the texts are the emulator's own,
// with the list in brackets as Genesys's messages show it.
export function missingAny(permissions: readonly string[]): PlatformError {
  return new PlatformError(
    403,
    'missing.any.permissions',
    `Permission denied: this request needs at least one of [${permissions.join(', ')}] and the OAuth client's roles hold none of them.`,
  );
}

export function missingAll(missing: readonly string[]): PlatformError {
  return new PlatformError(
    403,
    'missing.permissions',
    `Permission denied: this request needs [${missing.join(', ')}], which the OAuth client's roles do not hold.`,
  );
}

/** Throws the 403 the rule calls for, or returns when the held permissions suffice. */
export function checkRule(rule: RouteRule, held: readonly string[], request: FastifyRequest, org: OrgStore): void {
  const doc = rule.documented;
  if (doc !== 'none') {
    if ('any' in doc && !doc.any.some((p) => holds(held, p))) throw missingAny(doc.any);
    if ('all' in doc) {
      const missing = doc.all.filter((p) => !holds(held, p));
      if (missing.length > 0) throw missingAll(missing);
    }
  }
  const extra = rule.stricter?.(request, org) ?? [];
  const missing = [...new Set(extra)].filter((p) => !holds(held, p));
  if (missing.length > 0) throw missingAll(missing);
}
