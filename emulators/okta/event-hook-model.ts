// An event hook as the emulator keeps it, and as the Event Hooks API shows it (SPEC schema EventHook). The secret
// (channel.config.authScheme.value) lives only in memory, next to the hook and never inside what is shown or saved:
// the spec marks it writeOnly ("This property is not returned in the response").
import type { EmittedEventType } from './log-events';

/**
 * The event types the emulator lets a hook subscribe to: those the catalog tags `event-hook-eligible` (reference
 * sheet §1.1, source ET) — and `user.lifecycle.unsuspend`, which §1.1 leaves out but the catalog's data file tags
 * eligible too (okta/okta-developer-docs `packages/@okta/vuepress-site/data/event-types.json`, release 2021.03.1).
 * Anything else is refused as Okta refuses an ineligible type; `user.authentication.sso`, for one, carries only
 * the `user` tag in that file.
 */
export const EVENT_HOOK_ELIGIBLE_TYPES = [
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.reactivate',
  'user.lifecycle.delete.initiated',
  'user.account.update_profile',
  'group.user_membership.add',
  'group.user_membership.remove',
  'group.lifecycle.create',
  'group.lifecycle.delete',
  'group.profile.update',
  'application.user_membership.add',
  'application.user_membership.remove',
] as const satisfies readonly string[];

type EligibleType = (typeof EVENT_HOOK_ELIGIBLE_TYPES)[number];
/** Every type the emulator emits is subscribable (else the pre-registered hook would miss it): checked by tsc. */
export const EMITTED_TYPES_ARE_ELIGIBLE: EmittedEventType extends EligibleType ? true : never = true;

const ELIGIBLE: ReadonlySet<string> = new Set(EVENT_HOOK_ELIGIBLE_TYPES);

export function isEventHookEligible(eventType: string): boolean {
  return ELIGIBLE.has(eventType);
}

export type EventHookStatus = 'ACTIVE' | 'INACTIVE';
export type EventHookVerificationStatus = 'VERIFIED' | 'UNVERIFIED';

export interface EventHookHeader {
  key: string;
  value: string;
}

/** Okta's EA event filter: kept and shown as given, never evaluated (see README). */
export type EventHookFilter = Record<string, unknown>;

/** What a create or replace may set (the writable fields of EventHook), after validation. */
export interface EventHookInput {
  name: string;
  description: string | null;
  events: { items: string[]; filter: EventHookFilter | null };
  channel: {
    uri: string;
    headers: EventHookHeader[];
    /** Absent when the hook sends no auth header (authScheme is optional in the spec). */
    auth: { key: string; value: string } | null;
  };
}

export interface EventHookRecord {
  id: string;
  name: string;
  description: string | null;
  status: EventHookStatus;
  verificationStatus: EventHookVerificationStatus;
  created: string;
  createdBy: string | null;
  lastUpdated: string;
  events: { items: string[]; filter: EventHookFilter | null };
  channel: {
    uri: string;
    headers: EventHookHeader[];
    /** The header name as the caller wrote it; the secret is in `secret`. */
    authKey: string | null;
  };
  /** authScheme.value: in memory only. Undefined with an authKey = lost in a restart (the hook must be replaced). */
  secret: string | undefined;
  /** The hook of `options.hook` / `admin.setHook`: it receives events while ACTIVE, verified or not (as before). */
  preRegistered: boolean;
  /** The pre-registered hook may wait longer or shorter than Okta's 3 s (a test control). */
  timeoutMs?: number;
}

/** What the state file keeps of a hook: everything but the secret. */
export type PersistedEventHook = Omit<EventHookRecord, 'secret' | 'preRegistered' | 'timeoutMs'>;

const POST_ONLY = { allow: ['POST'] };

/** The hook as GET /api/v1/eventHooks/{id} answers it (shape of the spec's RetrieveAnEventHook example). */
export function eventHookJson(hook: EventHookRecord, baseUrl: string) {
  const self = `${baseUrl}/api/v1/eventHooks/${hook.id}`;
  return {
    id: hook.id,
    status: hook.status,
    verificationStatus: hook.verificationStatus,
    name: hook.name,
    description: hook.description,
    created: hook.created,
    createdBy: hook.createdBy,
    lastUpdated: hook.lastUpdated,
    events: { type: 'EVENT_TYPE' as const, items: [...hook.events.items], filter: hook.events.filter },
    channel: {
      type: 'HTTP' as const,
      version: '1.0.0' as const,
      config: {
        uri: hook.channel.uri,
        headers: hook.channel.headers.map((h) => ({ ...h })),
        // config.method is read-only and always POST (SPEC EventHookChannelConfig).
        method: 'POST' as const,
        // The spec's examples send `Authorization` and read back `authorization`: the key comes back lower-cased.
        ...(hook.channel.authKey !== null
          ? { authScheme: { type: 'HEADER' as const, key: hook.channel.authKey.toLowerCase() } }
          : {}),
      },
    },
    _links: {
      self: { href: self },
      verify: { href: `${self}/lifecycle/verify`, hints: POST_ONLY },
      deactivate: { href: `${self}/lifecycle/deactivate`, hints: POST_ONLY },
    },
  };
}

export type EventHookJson = ReturnType<typeof eventHookJson>;
