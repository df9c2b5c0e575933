// Entry point for code and tests: startGenesysEmulator() starts a Genesys Cloud emulator on 127.0.0.1.
import type { AddressInfo } from 'node:net';
import { clientPermissions, migrateLegacyClients, setClientPermissions } from './client-roles';
import type { EmulatorContext } from './context';
import { FaultInjector } from './faults';
import { loadFixture } from './fixture';
import { inspectOrg } from './inspect';
import { logIn } from './logins';
import { AutoSaver, readStateFile, writeStateFile } from './persistence';
import { RollingRateLimiter } from './rate-limiter';
import { RequestCounter } from './request-counter';
import type { Controls } from './routes/control';
import { buildApp } from './server';
import { ALL_DIVISIONS, EmulatorStore } from './store';
import { TokenStore } from './tokens';
import type { FaultConfig, FaultState, GenesysEmulator, GenesysEmulatorOptions } from './types';

export type * from './types';
export type { OrgsFixture } from './fixture';
export { DEFAULT_FIXTURE_PATH } from './fixture';

/** Production-faithful defaults (see README): Authorization 404s for 2 s after a create, searches 1 s behind. */
export const DEFAULT_NEW_USER_NOT_FOUND_MS = 2_000;
export const DEFAULT_SEARCH_LAG_MS = 1_000;

export async function startGenesysEmulator(options: GenesysEmulatorOptions = {}): Promise<GenesysEmulator> {
  const persisted = options.stateFile ? readStateFile(options.stateFile) : undefined;
  for (const org of persisted?.orgs ?? []) migrateLegacyClients(org);
  const searchLagMs = options.searchLagMs ?? DEFAULT_SEARCH_LAG_MS;
  const store = persisted
    ? new EmulatorStore(persisted.orgs, searchLagMs)
    : EmulatorStore.fromFixture(loadFixture(options.orgs), searchLagMs);
  const tokens = new TokenStore(persisted?.tokens ?? []);
  const stateFile = options.stateFile;
  const saveNow = async (): Promise<void> => {
    if (stateFile) await writeStateFile(stateFile, store.toStates(), tokens.all());
  };
  const autosaver = new AutoSaver(saveNow);

  const ctx: EmulatorContext = {
    store,
    tokens,
    limiter: new RollingRateLimiter(options.rateLimitPerMinute ?? 300, options.rateLimitWindowMs ?? 60_000),
    faults: new FaultInjector(options.faults ?? {}, options.seed ?? 1),
    counter: new RequestCounter(),
    settings: {
      tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400,
      newUserNotFoundMs: options.newUserNotFoundMs ?? DEFAULT_NEW_USER_NOT_FOUND_MS,
      versionMismatchStatus: options.versionMismatchStatus ?? 409,
      deactivationRemovesGrants: options.deactivationRemovesGrants ?? true,
      rehire: options.rehire ?? 'revive',
    },
    markDirty: () => {
      if (stateFile) autosaver.markDirty();
    },
  };

  const controls: Controls = {
    setFaults: (partial: Partial<FaultConfig>): FaultState => ctx.faults.update(partial),
    getFaults: (): FaultState => ctx.faults.state(),
    setRateLimit: (perMinute: number, windowMs?: number): void => ctx.limiter.configure(perMinute, windowMs),
    inspect: (orgId: string) => inspectOrg(store.org(orgId)),
    requestCounts: () => ctx.counter.snapshot(),
    resetCounts: () => ctx.counter.reset(),
    addRole: (orgId: string, name: string): string => {
      const role = store.org(orgId).addRole(name);
      ctx.markDirty();
      return role.id;
    },
    removeRole: (orgId: string, name: string): void => {
      store.org(orgId).removeRole(name);
      ctx.markDirty();
    },
    addGrantByHand: (orgId: string, userId: string, roleId: string, divisionId: string): void => {
      const org = store.org(orgId);
      const user = org.liveUser(userId);
      if (!user) throw new Error(`no user ${userId} in org ${orgId}`);
      if (!org.roleById(roleId)) throw new Error(`no role ${roleId} in org ${orgId}`);
      if (divisionId !== ALL_DIVISIONS && !org.divisionById(divisionId))
        throw new Error(`unknown division ${divisionId} in org ${orgId}`);
      if (org.grant(user, roleId, divisionId)) org.touch(user);
      ctx.markDirty();
    },
    addRouting: (orgId, kind, name) => {
      const org = store.org(orgId);
      const id = kind === 'queue' ? org.addQueue(name) : org.addRoutingEntity(`${kind}s`, name);
      ctx.markDirty();
      return id;
    },
    removeRouting: (orgId, kind, name) => {
      const org = store.org(orgId);
      if (kind === 'queue') org.removeQueue(name);
      else org.removeRoutingEntity(`${kind}s`, name);
      ctx.markDirty();
    },
    addToQueueByHand: (orgId, userId, queueName) => {
      const org = store.org(orgId);
      if (!org.liveUser(userId)) throw new Error(`no user ${userId} in org ${orgId}`);
      const queue = org.queues.find((q) => q.name === queueName);
      if (!queue) throw new Error(`no queue ${queueName} in org ${orgId}`);
      if (!queue.memberIds.includes(userId)) queue.memberIds.push(userId);
      ctx.markDirty();
    },
    setClientPermissions: (orgId, clientId, permissions) => {
      setClientPermissions(store.org(orgId), clientId, permissions);
      ctx.markDirty();
    },
    clientPermissions: (orgId, clientId) => clientPermissions(store.org(orgId), clientId),
    logIn: (orgId, userId, at) => {
      const stored = logIn(store.org(orgId), userId, at);
      ctx.markDirty();
      return stored;
    },
    save: async (): Promise<void> => {
      if (!stateFile) throw new Error('the emulator was started without a stateFile');
      await autosaver.flush();
    },
    orgs: () =>
      [...store.orgs.values()].map((o) => ({ id: o.id, name: o.name, clientIds: o.clients.map((c) => c.clientId) })),
    hasStateFile: () => stateFile !== undefined,
  };

  const app = buildApp(ctx, controls, options.logger ?? false);
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    ...controls,
    url,
    port,
    orgUrl: (orgId: string): string => {
      store.org(orgId);
      return `${url}/orgs/${orgId}`;
    },
    close: async (): Promise<void> => {
      autosaver.stop();
      await app.close();
      // flush() queues behind an autosave that may be running, so the two never write at once.
      if (stateFile) await autosaver.flush();
    },
  };
}
