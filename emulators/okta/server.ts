// startOktaEmulator: the emulated Okta org on 127.0.0.1, its admin helpers, its event hooks (event-hooks.ts: the
// API's and the pre-registered one) and the event-hook sender. The same controls are served over HTTP under
// /__emulator/* (control-routes.ts) for a process that did not start it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { registerApiRoutes } from './api-routes';
import { registerControlRoutes } from './control-routes';
import { notFound } from './errors';
import { FaultPlan, FaultSpec } from './faults';
import { EMPTY_FIXTURE, fixtureToSnapshot, OktaFixture, readFixtureFile } from './fixture';
import { type EventHookJson, type EventHookRecord, eventHookJson, type PersistedEventHook } from './event-hook-model';
import { deliveryTarget, EventHookRegistry, subscribes } from './event-hooks';
import {
  DeliverOptions,
  DeliveryRecord,
  DeliveryReport,
  HookSender,
  selectEvents,
  VerificationResult,
} from './hook-sender';
import { newHookId } from './ids';
import { API_TOKEN_IDLE_MS, Credentials, OAuthError, type ServiceAppConfig } from './credentials';
import { OktaRateLimits, type RateLimitSettings } from './rate-limit';
import { OktaStore, StoreSnapshot } from './store';
import type { CreateGroupInput, CreateUserInput, EmuApp, EmuGroup, EmuUser, HookConfig, LogEvent } from './types';

/** The state file: the org's data, and the API's event hooks without their secrets. */
type SavedState = StoreSnapshot & { eventHooks?: PersistedEventHook[] };

/** The emulator's API token: a documented fake, accepted only by the emulator. */
export const EMULATOR_OKTA_TOKEN = 'emulator-okta-token';

export interface OktaEmulatorOptions {
  /** 0 (default) picks a free port. The emulator always binds 127.0.0.1. */
  port?: number;
  /** A fixture object, a fixture name from fixtures/ (`retail`), or a path to a JSON file. Default: an empty org. */
  fixture?: OktaFixture | string;
  /** Requests per window for EVERY /api/v1 bucket. Default: each bucket's own (rate-limit.ts, BUCKET_DEFAULTS). */
  rateLimitPerMinute?: number;
  /** Requests in flight at once for the org. Default 75 (Okta Workforce and Customer Identity orgs). */
  concurrencyLimit?: number;
  /** The window's length. Default 60 000 ms, like Okta. */
  rateLimitWindowMs?: number;
  /**
   * A pre-registered event hook: ACTIVE, subscribed to every eligible event type, and (unlike a hook made through
   * the API) sent events whether verified or not. `admin.setHook` replaces or removes it.
   */
  hook?: HookConfig;
  /** Events per delivery when deliverPending() is not told otherwise. Default 20. */
  batchSize?: number;
  /** When set, the outbox is delivered on its own every this many ms (like a real org). Default: only on request. */
  autoDeliverMs?: number;
  /**
   * A JSON file the state is loaded from (when it exists) and saved to after each change. It keeps the API's event
   * hooks but never their secrets: after a restart such a hook is UNVERIFIED until replaced (PUT) and verified.
   */
  statePath?: string;
  /** Default EMULATOR_OKTA_TOKEN. */
  apiToken?: string;
  /** The API token expires when unused this long (each use renews it). Default 30 days, like Okta. */
  apiTokenIdleMs?: number;
  /** OAuth 2.0 service apps (client credentials with private_key_jwt at /oauth2/v1/token). */
  serviceApps?: ServiceAppConfig[];
  /** Added to every /api/v1 answer (a slow Okta; the receiver bench uses 2000). Default 0. */
  latencyMs?: number;
}

export interface OktaAdmin {
  createUser(input: CreateUserInput): EmuUser;
  createGroup(input: CreateGroupInput): EmuGroup;
  /** Group by id or name. False when the user already was a member (no event). */
  addUserToGroup(userId: string, group: string): boolean;
  /** Group by id or name. False when the user was not a member (no event). */
  removeUserFromGroup(userId: string, group: string): boolean;
  deactivateUser(userId: string): void;
  suspendUser(userId: string): void;
  unsuspendUser(userId: string): void;
  activateUser(userId: string): void;
  getUser(idOrLogin: string): EmuUser;
  /** By id or exact name. */
  getGroup(group: string): EmuGroup;
  /** Sets (ACTIVE, UNVERIFIED) or removes the pre-registered hook; the API's hooks are not touched. */
  setHook(hook: HookConfig | undefined): void;
  setRateLimit(settings: Partial<RateLimitSettings> & { concurrency?: number }): void;
  /** The API token stops working (its admin was deactivated, or it was revoked): 401 E0000011 from now on. */
  revokeApiToken(): void;
  /** The API token looks unused for this long (more than 30 days: expired) without waiting. */
  ageApiToken(ms: number): void;
  /** Every OAuth access token issued so far expires now. */
  expireAccessTokens(): void;
  /** Added to every /api/v1 answer from now on. */
  setLatency(ms: number): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  clearOutbox(): LogEvent[];
  /** The user signs in to the app through Okta at `at` (default now): a user.authentication.sso System Log event. */
  ssoLogin(userId: string, appId: string, at?: string): LogEvent;
  /** Back to the fixture: state, outbox, logs, faults, rate-limit window, and no API-made event hooks. */
  reset(): void;
}

export interface ApiRequestRecord {
  method: string;
  path: string;
  status: number;
  at: string;
}

export interface OktaEmulatorInspection {
  url: string;
  /** The pre-registered hook (`options.hook` / `admin.setHook`), or null. */
  hook: { id: string; url: string; authHeaderName: string; verificationStatus: 'VERIFIED' | 'UNVERIFIED' } | null;
  /** Every event hook, the pre-registered one too, as GET /api/v1/eventHooks answers (no secret). */
  eventHooks: EventHookJson[];
  rateLimit: ReturnType<OktaRateLimits['current']>;
  users: EmuUser[];
  groups: EmuGroup[];
  apps: EmuApp[];
  memberships: Record<string, string[]>;
  outbox: LogEvent[];
  systemLog: LogEvent[];
  deliveries: DeliveryRecord[];
  verifications: VerificationResult[];
  apiRequests: ApiRequestRecord[];
  faults: FaultSpec[];
}

export interface OktaEmulator {
  url: string;
  apiToken: string;
  close(): Promise<void>;
  admin: OktaAdmin;
  /**
   * Sends the outbox: each event to every hook that receives events (ACTIVE and VERIFIED; the pre-registered hook:
   * ACTIVE) and subscribes to its type. Throws, keeping the outbox, when no hook receives events at all.
   */
  deliverPending(opts?: DeliverOptions): Promise<DeliveryReport>;
  /** The one-time GET verification of the pre-registered hook. */
  verifyHook(): Promise<VerificationResult>;
  inspect(): OktaEmulatorInspection;
  /** The id of the fixture's Genesys Cloud app (orgs.yaml okta.genesysAppId); throws when the fixture has none. */
  genesysAppId(): string;
}

const HISTORY_LIMIT = 2000;

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
}

function initialSnapshot(fixture: OktaEmulatorOptions['fixture']): StoreSnapshot {
  if (fixture === undefined) return fixtureToSnapshot(EMPTY_FIXTURE);
  return fixtureToSnapshot(typeof fixture === 'string' ? readFixtureFile(fixture) : fixture);
}

export async function startOktaEmulator(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const apiToken = options.apiToken ?? EMULATOR_OKTA_TOKEN;
  let url = '';
  const deliveries: DeliveryRecord[] = [];
  const verifications: VerificationResult[] = [];
  const apiRequests: ApiRequestRecord[] = [];
  const rateLimitDefaults: RateLimitSettings = {
    ...(options.rateLimitPerMinute !== undefined ? { perMinute: options.rateLimitPerMinute } : {}),
    windowMs: options.rateLimitWindowMs ?? 60_000,
  };
  const concurrencyDefault = options.concurrencyLimit ?? 75;
  const limiter = new OktaRateLimits(rateLimitDefaults, concurrencyDefault);
  let credentials = newCredentials();
  function newCredentials(): Credentials {
    const c = new Credentials(apiToken, options.apiTokenIdleMs ?? API_TOKEN_IDLE_MS);
    for (const app of options.serviceApps ?? []) c.addServiceApp(app);
    return c;
  }
  const faults = new FaultPlan();
  let latencyMs = options.latencyMs ?? 0;
  const fixtureSnapshot = initialSnapshot(options.fixture);

  let loading = true;
  const save = () => {
    if (!options.statePath || loading) return;
    const state: SavedState = { ...store.snapshot(), eventHooks: eventHooks.persisted() };
    writeFileSync(options.statePath, JSON.stringify(state, null, 2));
  };
  const eventHooks = new EventHookRegistry(newHookId(), save);
  const store = new OktaStore({ hookIdsFor: (type) => eventHooks.receiverIdsFor(type), onChange: save });
  const stateOnDisk = options.statePath && existsSync(options.statePath);
  const saved = stateOnDisk ? (JSON.parse(readFileSync(options.statePath!, 'utf8')) as SavedState) : undefined;
  store.load(saved ?? fixtureSnapshot);
  eventHooks.restore(saved?.eventHooks ?? []);
  eventHooks.setPreRegistered(options.hook);
  loading = false;

  const sender = new HookSender({ orgUrl: () => url, batchSize: () => options.batchSize ?? 20 });
  const admin: OktaAdmin = createAdmin();

  function groupRef(ref: string): EmuGroup {
    const byName = store.listGroups().find((g) => g.profile.name === ref);
    return byName ?? store.group(ref);
  }

  function createAdmin(): OktaAdmin {
    // The Admin Console calls the same API, so events show the API path in debugData.requestUri.
    const viaAdmin = (requestUri: string) => ({ requestUri });
    const member = (userId: string, group: string) => {
      const groupId = groupRef(group).id;
      const id = store.user(userId).id;
      return { groupId, id, caller: viaAdmin(`/api/v1/groups/${groupId}/users/${id}`) };
    };
    const lifecycle = (userId: string, op: string) =>
      viaAdmin(`/api/v1/users/${store.user(userId).id}/lifecycle/${op}`);
    return {
      createUser: (input) => store.createUser(input, viaAdmin('/api/v1/users')),
      createGroup: (input) => store.createGroup(input),
      addUserToGroup: (userId, group) => {
        const m = member(userId, group);
        return store.addMember(m.groupId, m.id, m.caller);
      },
      removeUserFromGroup: (userId, group) => {
        const m = member(userId, group);
        return store.removeMember(m.groupId, m.id, m.caller);
      },
      deactivateUser: (userId) => store.deactivate(userId, lifecycle(userId, 'deactivate')),
      suspendUser: (userId) => store.suspend(userId, lifecycle(userId, 'suspend')),
      unsuspendUser: (userId) => store.unsuspend(userId, lifecycle(userId, 'unsuspend')),
      activateUser: (userId) => store.activate(userId, lifecycle(userId, 'activate')),
      getUser: (idOrLogin) => structuredClone(store.user(idOrLogin)),
      getGroup: (group) => {
        try {
          return structuredClone(groupRef(group));
        } catch {
          throw notFound(group, 'Group');
        }
      },
      // Changing the channel needs a new verification (Okta): the hook is UNVERIFIED again.
      setHook: (next) => eventHooks.setPreRegistered(next),
      setRateLimit: (settings) => limiter.configure(settings),
      revokeApiToken: () => credentials.revokeApiToken(),
      ageApiToken: (ms) => credentials.ageApiToken(ms),
      expireAccessTokens: () => credentials.expireAccessTokens(),
      setLatency: (ms) => {
        latencyMs = ms;
      },
      injectFault: (fault) => faults.add(fault),
      clearFaults: () => faults.clear(),
      clearOutbox: () => store.takeOutbox(),
      ssoLogin: (userId, appId, at) => store.ssoLogin(userId, appId, new Date(at ?? Date.now()).toISOString()),
      reset: () => {
        store.load(fixtureSnapshot);
        eventHooks.clearRegistered();
        faults.clear();
        limiter.configure({ perMinute: undefined, ...rateLimitDefaults, concurrency: concurrencyDefault });
        credentials = newCredentials();
        latencyMs = options.latencyMs ?? 0;
        deliveries.length = 0;
        verifications.length = 0;
        apiRequests.length = 0;
        save();
      },
    };
  }

  async function deliverPending(opts: DeliverOptions = {}): Promise<DeliveryReport> {
    const nothing = { deliveries: [], droppedUuids: [], failedUuids: [], unsubscribedUuids: [] };
    if (store.outbox.length === 0) return { ...nothing, outboxLeft: 0 };
    const receivers = eventHooks.receivers();
    // Nothing can be sent: the events stay pending (as when no hook was configured before the Event Hooks API).
    if (receivers.length === 0)
      throw new Error(
        'no event hook receives events: configure one (startOktaEmulator({ hook }), PUT /__emulator/hook) or ' +
          'create, activate and verify one through /api/v1/eventHooks',
      );
    const events = store.takeOutbox();
    try {
      const { kept, droppedUuids } = selectEvents(events, opts);
      const perHook = receivers
        .map((hook) => ({ hook, events: kept.filter((e) => subscribes(hook, e.eventType)) }))
        .filter((p) => p.events.length > 0);
      // Hooks are independent: a slow one does not hold another back.
      const results = await Promise.all(perHook.map((p) => sender.deliver(deliveryTarget(p.hook), p.events, opts)));
      const sent = new Set(perHook.flatMap((p) => p.events.map((e) => e.uuid)));
      const failedUuids = new Set(results.flatMap((r) => r.failed.map((e) => e.uuid)));
      const failed = kept.filter((e) => failedUuids.has(e.uuid));
      const report = {
        deliveries: results.flatMap((r) => r.deliveries),
        droppedUuids,
        failedUuids: failed.map((e) => e.uuid),
        unsubscribedUuids: kept.filter((e) => !sent.has(e.uuid)).map((e) => e.uuid),
      };
      for (const d of report.deliveries) pushBounded(deliveries, d);
      // Sent again to every hook subscribed to it: at-least-once, like the rest.
      if (opts.requeueFailed && failed.length > 0) store.requeue(failed);
      return { ...report, outboxLeft: store.outbox.length };
    } catch (err) {
      // Nothing was sent (an unexpected failure before the first request): the events stay pending.
      store.requeue(events);
      throw err;
    }
  }

  /** Okta's verification call to one hook; VERIFIED when the endpoint echoes the challenge. */
  async function verifyEventHook(hook: EventHookRecord): Promise<VerificationResult> {
    const target = deliveryTarget(hook);
    const result = await sender.verify(target);
    pushBounded(verifications, result);
    // The hook may have been deleted or given another channel while the call was out: only that channel is verified.
    const current = eventHooks.list().find((h) => h.id === hook.id);
    const sameChannel = current !== undefined && JSON.stringify(deliveryTarget(current)) === JSON.stringify(target);
    if (result.verified && sameChannel) eventHooks.markVerified(hook.id);
    return result;
  }

  async function verifyHook(): Promise<VerificationResult> {
    const hook = eventHooks.preRegistered();
    if (!hook) throw new Error('no event hook is configured (startOktaEmulator({ hook }) or PUT /__emulator/hook)');
    return verifyEventHook(hook);
  }

  function inspect(): OktaEmulatorInspection {
    const snapshot = store.snapshot();
    const preRegistered = eventHooks.preRegistered();
    return {
      url,
      hook: preRegistered
        ? {
            id: preRegistered.id,
            url: preRegistered.channel.uri,
            authHeaderName: preRegistered.channel.authKey ?? '',
            verificationStatus: preRegistered.verificationStatus,
          }
        : null,
      eventHooks: eventHooks.list().map((h) => eventHookJson(h, url)),
      rateLimit: limiter.current(),
      users: snapshot.users,
      groups: snapshot.groups,
      apps: snapshot.apps ?? [],
      memberships: snapshot.memberships,
      outbox: snapshot.outbox,
      systemLog: snapshot.systemLog,
      deliveries: structuredClone(deliveries),
      verifications: structuredClone(verifications),
      apiRequests: structuredClone(apiRequests),
      faults: faults.pending(),
    };
  }

  const app = Fastify({ logger: false });
  await app.register(
    (api, _opts, done) => {
      registerApiRoutes(api, {
        store,
        limiter,
        faults,
        get credentials() {
          return credentials;
        },
        baseUrl: () => url,
        latencyMs: () => latencyMs,
        eventHooks: {
          registry: eventHooks,
          verify: verifyEventHook,
          createdBy: (caller) =>
            caller?.kind === 'oauth' ? caller.clientId : caller?.kind === 'ssws' ? (store.adminUserId() ?? null) : null,
        },
        recordRequest: (r) => pushBounded(apiRequests, { ...r, at: new Date().toISOString() }),
      }).then(() => done(), done);
    },
    { prefix: '/api/v1' },
  );
  // The org authorization server's token endpoint (service apps: client credentials with private_key_jwt).
  await app.register(
    (oauth, _opts, done) => {
      oauth.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, next) =>
        next(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')))),
      );
      oauth.post('/token', async (request, reply) => {
        try {
          const form = (request.body ?? {}) as Record<string, string | undefined>;
          const dpop = request.headers['dpop'];
          return credentials.issueToken(form, `${url}/oauth2/v1/token`, typeof dpop === 'string' ? dpop : undefined);
        } catch (err) {
          if (!(err instanceof OAuthError)) throw err;
          return reply.code(err.status).send({ error: err.error, error_description: err.description });
        }
      });
      done();
    },
    { prefix: '/oauth2/v1' },
  );
  await app.register(
    (control, _opts, done) => {
      registerControlRoutes(control, { admin, deliverPending, verifyHook, inspect });
      done();
    },
    { prefix: '/__emulator' },
  );
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  let autoTimer: NodeJS.Timeout | undefined;
  if (options.autoDeliverMs && options.autoDeliverMs > 0) {
    let busy = false;
    autoTimer = setInterval(() => {
      if (busy || store.outbox.length === 0 || eventHooks.receivers().length === 0) return;
      busy = true;
      deliverPending()
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, options.autoDeliverMs);
    autoTimer.unref();
  }

  return {
    url,
    apiToken,
    admin,
    deliverPending,
    verifyHook,
    inspect,
    genesysAppId: () => {
      const app = store.listApps().find((a) => a.label === 'Genesys Cloud');
      if (!app) throw new Error('the Okta fixture has no "Genesys Cloud" app');
      return app.id;
    },
    close: async () => {
      if (autoTimer) clearInterval(autoTimer);
      save();
      await app.close();
    },
  };
}
