// The product's Okta event hook as a spec: its name, the event types the receiver acts on, and how a hook that Okta
// already has compares with the one the product needs. Pure: `season setup` acts on the comparison and
// `season doctor` reports it, so both read a hook the same way.
//
// Okta never returns the hook's secret (authScheme.value is write-only), so a comparison can only say what the
// readable fields show; whether the secret matches is something only Okta's verification call can tell.

/** The hook's display name in Okta: how setup finds "our" hook again on the next run. */
export const HOOK_NAME = 'seasonal-agent-provisioner';

/** The receiver's default auth header name (receiver/main.ts, OKTA_HOOK_AUTH_HEADER). */
export const DEFAULT_HOOK_AUTH_HEADER = 'Authorization';

export const MEMBERSHIP_ADD = 'group.user_membership.add';
export const MEMBERSHIP_REMOVE = 'group.user_membership.remove';
export const USER_CREATED = 'user.lifecycle.create';
export const USER_DEACTIVATED = 'user.lifecycle.deactivate';
export const USER_SUSPENDED = 'user.lifecycle.suspend';
export const USER_UNSUSPENDED = 'user.lifecycle.unsuspend';

/**
 * Exactly the event types the receiver acts on (receiver/plan.ts decides with this list): subscribing to fewer
 * loses work, to more costs deliveries the receiver ignores.
 */
export const HOOK_EVENT_TYPES: readonly string[] = [
  USER_CREATED,
  MEMBERSHIP_ADD,
  MEMBERSHIP_REMOVE,
  USER_DEACTIVATED,
  USER_SUSPENDED,
  USER_UNSUSPENDED,
];

/** An event hook as Okta's API returns it: only the fields a comparison reads (the secret is never among them). */
export interface EventHookAsRead {
  id: string;
  name: string;
  /** ACTIVE or INACTIVE. */
  status: string;
  /** VERIFIED or UNVERIFIED: only an ACTIVE and VERIFIED hook receives events. */
  verificationStatus?: string | null;
  description?: string | null;
  events: {
    items: string[];
    /** Okta's EA event filter: it can drop deliveries the receiver needs. */
    filter?: { eventFilterMap?: unknown[] | null } | null;
  };
  channel: {
    config: {
      uri: string;
      authScheme?: { type?: string | null; key?: string | null } | null;
      headers?: Array<{ key?: string | null; value?: string | null } | null> | null;
    };
  };
}

/** What the product needs of its hook, besides the secret (which cannot be compared). */
export interface DesiredHook {
  /** The receiver's public URL, e.g. https://provisioner.example.com/okta/events. */
  uri: string;
  /** The header Okta sends the secret in. */
  authHeaderName: string;
}

export type HookField = 'name' | 'uri' | 'authHeader' | 'events' | 'filter';

/** One readable field that differs. Values are URIs, header names and event types: never a secret. */
export interface HookDifference {
  field: HookField;
  has: string;
  wants: string;
  /** For `events`: the product's event types the hook lacks. */
  missing?: string[];
}

export type HookStep = 'create' | 'update' | 'activate' | 'verify';

export interface HookComparison {
  /** What to do, in this order; empty when the readable state is right (the secret aside). */
  steps: HookStep[];
  differences: HookDifference[];
  /** Subscribed event types the receiver does not act on: kept on update (harmless, maybe someone's choice). */
  extraEvents: string[];
}

/** The hook's write body, as Okta's EventHook schema takes it (create and replace). */
export interface EventHookWrite {
  name: string;
  description?: string;
  events: { type: 'EVENT_TYPE'; items: string[] };
  channel: {
    type: 'HTTP';
    version: '1.0.0';
    config: {
      uri: string;
      authScheme: { type: 'HEADER'; key: string; value: string };
      headers?: Array<{ key: string; value: string }>;
    };
  };
}

/** HTTP header names compare case-insensitively; Okta returns the key lower-cased ("authorization"). */
function sameHeaderName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function hasFilter(hook: EventHookAsRead): boolean {
  const map = hook.events.filter?.eventFilterMap;
  return Array.isArray(map) && map.length > 0;
}

/**
 * The product's hook among the org's: by name first (several by that name: the one at the desired URI), else the
 * one at the desired URI (made by hand under another name). Undefined when neither exists.
 */
export function findProductHook(hooks: EventHookAsRead[], desired: DesiredHook): EventHookAsRead | undefined {
  const named = hooks.filter((h) => h.name === HOOK_NAME);
  return (
    named.find((h) => h.channel.config.uri === desired.uri) ??
    named[0] ??
    hooks.find((h) => h.channel.config.uri === desired.uri)
  );
}

/** The readable fields of `existing` that differ from what the product needs. */
export function hookDifferences(existing: EventHookAsRead, desired: DesiredHook): HookDifference[] {
  const differences: HookDifference[] = [];
  if (existing.name !== HOOK_NAME) differences.push({ field: 'name', has: existing.name, wants: HOOK_NAME });
  if (existing.channel.config.uri !== desired.uri)
    differences.push({ field: 'uri', has: existing.channel.config.uri, wants: desired.uri });
  const scheme = existing.channel.config.authScheme;
  const key = scheme?.type === 'HEADER' ? (scheme.key ?? '') : '';
  if (!sameHeaderName(key, desired.authHeaderName))
    differences.push({ field: 'authHeader', has: key === '' ? '(none)' : key, wants: desired.authHeaderName });
  const missing = HOOK_EVENT_TYPES.filter((t) => !existing.events.items.includes(t));
  if (missing.length > 0)
    differences.push({
      field: 'events',
      has: existing.events.items.join(', '),
      wants: HOOK_EVENT_TYPES.join(', '),
      missing,
    });
  if (hasFilter(existing)) differences.push({ field: 'filter', has: 'an event filter', wants: 'no filter' });
  return differences;
}

/**
 * What it takes to make Okta's hook the product's: create it when there is none; update it when a readable field
 * differs; activate it when INACTIVE; verify it when Okta says UNVERIFIED or its channel (uri, header) changes
 * (Okta asks for a new verification after a channel change). An empty list means nothing Okta shows is wrong.
 */
export function compareHook(existing: EventHookAsRead | undefined, desired: DesiredHook): HookComparison {
  // Okta creates a hook ACTIVE and UNVERIFIED.
  if (!existing) return { steps: ['create', 'verify'], differences: [], extraEvents: [] };
  const differences = hookDifferences(existing, desired);
  const steps: HookStep[] = [];
  if (differences.length > 0) steps.push('update');
  if (existing.status !== 'ACTIVE') steps.push('activate');
  const channelChanges = differences.some((d) => d.field === 'uri' || d.field === 'authHeader');
  if (existing.verificationStatus !== 'VERIFIED' || channelChanges) steps.push('verify');
  const extraEvents = existing.events.items.filter((t) => !HOOK_EVENT_TYPES.includes(t));
  return { steps, differences, extraEvents };
}

/**
 * The body that creates the hook, or replaces `existing` (Okta's PUT replaces the whole hook, and the secret must be
 * sent again since it cannot be read back). A replace keeps what is not the product's concern: the description,
 * custom headers and extra event types; it drops an event filter, which could hide events the receiver needs.
 */
export function eventHookBody(desired: DesiredHook, secret: string, existing?: EventHookAsRead): EventHookWrite {
  const extra = existing ? existing.events.items.filter((t) => !HOOK_EVENT_TYPES.includes(t)) : [];
  const headers = (existing?.channel.config.headers ?? []).flatMap((h) =>
    h && h.key && h.value !== undefined && h.value !== null ? [{ key: h.key, value: h.value }] : [],
  );
  return {
    name: HOOK_NAME,
    ...(existing?.description ? { description: existing.description } : {}),
    events: { type: 'EVENT_TYPE', items: [...HOOK_EVENT_TYPES, ...extra] },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri: desired.uri,
        authScheme: { type: 'HEADER', key: desired.authHeaderName, value: secret },
        ...(headers.length > 0 ? { headers } : {}),
      },
    },
  };
}

/** One line per difference, for setup's and doctor's output. */
export function describeDifference(d: HookDifference): string {
  switch (d.field) {
    case 'name':
      return `name is "${d.has}", not "${d.wants}"`;
    case 'uri':
      return `URI is ${d.has}, not ${d.wants}`;
    case 'authHeader':
      return `auth header is ${d.has}, not ${d.wants}`;
    case 'events':
      return `event types lack ${(d.missing ?? []).join(', ')}`;
    case 'filter':
      return 'an event filter is set (it can drop events the receiver needs)';
  }
}
