// The org's event hooks: the one source of which hooks exist and which of them receive events. Hooks come from the
// Event Hooks API (event-hook-routes.ts) or are pre-registered by `options.hook` / `admin.setHook` (the emulator's
// original single hook, which keeps its old behaviour: it gets every event while ACTIVE, verified or not).
//
// Rules (SPEC operations and reference sheet §1.2): a created hook is ACTIVE and UNVERIFIED; only hooks both ACTIVE
// and VERIFIED receive events, each only the event types it subscribes to; replacing the channel asks for a new
// verification; only an INACTIVE hook can be deleted.
import { notFound, OktaProblem } from './errors';
import {
  EVENT_HOOK_ELIGIBLE_TYPES,
  type EventHookHeader,
  type EventHookInput,
  type EventHookRecord,
  type PersistedEventHook,
} from './event-hook-model';
import type { HookTarget } from './hook-sender';
import { newHookId } from './ids';
import type { HookConfig } from './types';

const PRE_REGISTERED_NAME = 'emulator-pre-registered-hook';

function now(): string {
  return new Date().toISOString();
}

function sameHeaders(a: EventHookHeader[], b: EventHookHeader[]): boolean {
  return a.length === b.length && a.every((h, i) => h.key === b[i]!.key && h.value === b[i]!.value);
}

/** Whether `input` keeps the hook's channel (endpoint, headers, auth header and secret) exactly as it is. */
function sameChannel(hook: EventHookRecord, input: EventHookInput['channel']): boolean {
  const auth = input.auth;
  const sameAuth =
    auth === null
      ? hook.channel.authKey === null
      : hook.channel.authKey !== null &&
        hook.channel.authKey.toLowerCase() === auth.key.toLowerCase() &&
        hook.secret === auth.value;
  return hook.channel.uri === input.uri && sameHeaders(hook.channel.headers, input.headers) && sameAuth;
}

export class EventHookRegistry {
  private hooks = new Map<string, EventHookRecord>();

  constructor(
    /** The pre-registered hook keeps one id for the emulator's life, whether it is set, changed or removed. */
    private readonly preRegisteredId: string,
    private readonly onChange: () => void = () => undefined,
  ) {}

  // ── Reads ─────────────────────────────────────────────────────────────────────────────────────

  list(): EventHookRecord[] {
    return [...this.hooks.values()];
  }

  get(id: string): EventHookRecord {
    const hook = this.hooks.get(id);
    if (!hook) throw notFound(id, 'EventHook');
    return hook;
  }

  preRegistered(): EventHookRecord | undefined {
    return this.hooks.get(this.preRegisteredId);
  }

  /** The hooks that receive events now: ACTIVE and VERIFIED (the pre-registered hook: ACTIVE is enough). */
  receivers(): EventHookRecord[] {
    return this.list().filter(
      (h) => h.status === 'ACTIVE' && (h.verificationStatus === 'VERIFIED' || h.preRegistered) && !secretLost(h),
    );
  }

  /** Ids of the hooks an event of this type would go to now (the event's debugData.targetEventHookIds). */
  receiverIdsFor(eventType: string): string[] {
    return this.receivers()
      .filter((h) => subscribes(h, eventType))
      .map((h) => h.id);
  }

  // ── API writes ────────────────────────────────────────────────────────────────────────────────

  create(input: EventHookInput, createdBy: string | null): EventHookRecord {
    const at = now();
    const hook: EventHookRecord = {
      id: newHookId(),
      name: input.name,
      description: input.description,
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      created: at,
      createdBy,
      lastUpdated: at,
      events: structuredClone(input.events),
      channel: {
        uri: input.channel.uri,
        headers: [...input.channel.headers],
        authKey: input.channel.auth?.key ?? null,
      },
      secret: input.channel.auth?.value,
      preRegistered: false,
    };
    this.hooks.set(hook.id, hook);
    this.onChange();
    return hook;
  }

  /** PUT: every writable field is replaced; a different channel makes the hook UNVERIFIED (SPEC replaceEventHook). */
  replace(id: string, input: EventHookInput): EventHookRecord {
    const hook = this.get(id);
    if (!sameChannel(hook, input.channel)) hook.verificationStatus = 'UNVERIFIED';
    hook.name = input.name;
    hook.description = input.description;
    hook.events = structuredClone(input.events);
    hook.channel = {
      uri: input.channel.uri,
      headers: [...input.channel.headers],
      authKey: input.channel.auth?.key ?? null,
    };
    hook.secret = input.channel.auth?.value;
    hook.lastUpdated = now();
    this.onChange();
    return hook;
  }

  activate(id: string): EventHookRecord {
    return this.setStatus(id, 'ACTIVE');
  }

  deactivate(id: string): EventHookRecord {
    return this.setStatus(id, 'INACTIVE');
  }

  /** SPEC deleteEventHook: "you can only delete event hooks with a status of INACTIVE". */
  remove(id: string): void {
    const hook = this.get(id);
    if (hook.status !== 'INACTIVE')
      throw new OktaProblem(403, 'E0000006', 'You do not have permission to perform the requested action', [
        'Only an INACTIVE event hook can be deleted: deactivate it first',
      ]);
    this.hooks.delete(id);
    this.onChange();
  }

  markVerified(id: string): EventHookRecord {
    const hook = this.get(id);
    hook.verificationStatus = 'VERIFIED';
    hook.lastUpdated = now();
    this.onChange();
    return hook;
  }

  // ── The pre-registered hook, and the emulator's own state ─────────────────────────────────────

  /** Sets (ACTIVE, UNVERIFIED, every eligible type, as `setHook` always did) or removes the pre-registered hook. */
  setPreRegistered(config: HookConfig | undefined): void {
    if (!config) {
      this.hooks.delete(this.preRegisteredId);
      this.onChange();
      return;
    }
    const at = now();
    const before = this.preRegistered();
    this.hooks.set(this.preRegisteredId, {
      id: this.preRegisteredId,
      name: PRE_REGISTERED_NAME,
      description: 'Set by startOktaEmulator({ hook }) or admin.setHook: receives every event while ACTIVE',
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      created: before?.created ?? at,
      createdBy: null,
      lastUpdated: at,
      events: { items: [...EVENT_HOOK_ELIGIBLE_TYPES], filter: null },
      channel: {
        uri: config.url,
        headers: Object.entries(config.headers ?? {}).map(([key, value]) => ({ key, value })),
        authKey: config.authHeaderName,
      },
      secret: config.authHeaderValue,
      preRegistered: true,
      ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    });
    this.onChange();
  }

  /** Back to the fixture, which has no hooks of its own: the API's hooks go, the pre-registered one stays. */
  clearRegistered(): void {
    for (const hook of this.list()) if (!hook.preRegistered) this.hooks.delete(hook.id);
    this.onChange();
  }

  /** What the state file keeps: the API's hooks without their secrets (the pre-registered one comes from options). */
  persisted(): PersistedEventHook[] {
    return this.list()
      .filter((h) => !h.preRegistered)
      .map((h) => {
        const { secret: _secret, preRegistered: _pre, timeoutMs: _timeout, ...kept } = h;
        return structuredClone(kept);
      });
  }

  /**
   * Hooks from a state file. A hook that had a secret comes back without it, so it is UNVERIFIED and receives
   * nothing until it is replaced (PUT with authScheme.value) and verified again.
   */
  restore(saved: PersistedEventHook[]): void {
    for (const s of saved) {
      const hook: EventHookRecord = { ...structuredClone(s), secret: undefined, preRegistered: false };
      if (hook.channel.authKey !== null) hook.verificationStatus = 'UNVERIFIED';
      this.hooks.set(hook.id, hook);
    }
  }

  private setStatus(id: string, status: EventHookRecord['status']): EventHookRecord {
    const hook = this.get(id);
    hook.status = status;
    hook.lastUpdated = now();
    this.onChange();
    return hook;
  }
}

export function subscribes(hook: EventHookRecord, eventType: string): boolean {
  return hook.events.items.includes(eventType);
}

/** The hook has an auth header whose secret the emulator no longer knows (it was restarted from its state file). */
export function secretLost(hook: EventHookRecord): boolean {
  return hook.channel.authKey !== null && hook.secret === undefined;
}

/** Where and how the sender calls this hook: custom headers, then the auth header with the secret. */
export function deliveryTarget(hook: EventHookRecord): HookTarget {
  const headers: Record<string, string> = {};
  for (const h of hook.channel.headers) headers[h.key] = h.value;
  if (hook.channel.authKey !== null && hook.secret !== undefined) headers[hook.channel.authKey] = hook.secret;
  return {
    id: hook.id,
    url: hook.channel.uri,
    headers,
    ...(hook.timeoutMs !== undefined ? { timeoutMs: hook.timeoutMs } : {}),
  };
}
