// The Genesys Cloud and Okta emulators as processes of their own (as in docker-compose.yml's `emulators` profile),
// driven over their /__emulator/* HTTP controls: what `npm start` does in-process, `npm run stack` does over HTTP.
import { z } from 'zod';
import type { OrgInspection } from '../../emulators/genesys';
import type {
  CreateUserInput,
  DeliverOptions,
  DeliveryReport,
  EmuGroup,
  EmuUser,
  OktaEmulatorInspection,
  VerificationResult,
} from '../../emulators/okta';
import type { SeasonGenesys, SeasonOkta } from '../demo/season-stack';

/** Calls one control; a non-2xx answer is an error naming the call (the emulators answer `{error}`). */
async function control(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${base}/__emulator${path}: ${res.status} ${text.slice(0, 200)}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

// Only the fields this runner reads are checked; the rest passes through as the emulator's own types say.
const orgState = z.looseObject({ users: z.array(z.unknown()), roles: z.array(z.unknown()) });
const oktaState = z.looseObject({
  users: z.array(z.unknown()),
  groups: z.array(z.looseObject({ id: z.string(), profile: z.looseObject({ name: z.string() }) })),
  apps: z.array(z.looseObject({ id: z.string(), label: z.string() })),
  memberships: z.record(z.string(), z.array(z.string())),
  outbox: z.array(z.unknown()),
});
const counts = z.looseObject({
  totals: z.looseObject({
    requests: z.number(),
    byStatus: z.record(z.string(), z.number()),
    byEndpoint: z.record(z.string(), z.record(z.string(), z.number())),
  }),
});

export interface RequestTotals {
  requests: number;
  status429: number;
  /** Requests per endpoint (method and route), any status: says which calls a burst was made of. */
  byEndpoint: Record<string, number>;
}

export interface RemoteGenesys extends SeasonGenesys {
  /** API requests since the last reset: accepted and answered 429 (OAuth token calls included). */
  requestCounts(): Promise<RequestTotals>;
  resetCounts(): Promise<void>;
}

export function remoteGenesys(url: string): RemoteGenesys {
  return {
    url,
    async inspect(orgId) {
      return orgState.parse(
        await control(url, 'GET', `/orgs/${encodeURIComponent(orgId)}/state`),
      ) as unknown as OrgInspection;
    },
    addRole: (orgId, name) => control(url, 'POST', `/orgs/${encodeURIComponent(orgId)}/roles`, { name }),
    addRouting: (orgId, kind, name) =>
      control(url, 'POST', `/orgs/${encodeURIComponent(orgId)}/routing`, { kind, name }),
    logIn: (orgId, userId, at) =>
      control(url, 'POST', `/orgs/${encodeURIComponent(orgId)}/users/${encodeURIComponent(userId)}/logins`, { at }),
    async requestCounts() {
      const { totals } = counts.parse(await control(url, 'GET', '/request-counts'));
      const byEndpoint = Object.fromEntries(
        Object.entries(totals.byEndpoint).map(([endpoint, byStatus]) => [
          endpoint,
          Object.values(byStatus).reduce((a, b) => a + b, 0),
        ]),
      );
      return { requests: totals.requests, status429: totals.byStatus['429'] ?? 0, byEndpoint };
    },
    async resetCounts() {
      await control(url, 'POST', '/request-counts/reset');
    },
  };
}

export function remoteOkta(url: string): SeasonOkta {
  const inspect = async () => oktaState.parse(await control(url, 'GET', '/state')) as unknown as OktaEmulatorInspection;
  // Groups are the fixture's and never change during a season: read them once.
  let groups: EmuGroup[] | undefined;
  return {
    url,
    admin: {
      createUser: async (input: CreateUserInput) => (await control(url, 'POST', '/users', input)) as EmuUser,
      addUserToGroup: (userId, group) =>
        control(url, 'PUT', `/groups/${encodeURIComponent(group)}/users/${encodeURIComponent(userId)}`),
      async deactivateUser(userId) {
        await control(url, 'POST', `/users/${encodeURIComponent(userId)}/deactivate`);
      },
      async getGroup(group) {
        groups ??= (await inspect()).groups;
        const found = groups.find((g) => g.id === group || g.profile.name === group);
        if (!found) throw new Error(`the Okta emulator has no group ${group}`);
        return found;
      },
      clearOutbox: () => control(url, 'DELETE', '/outbox'),
      ssoLogin: (userId, appId, at) => control(url, 'POST', `/users/${encodeURIComponent(userId)}/sso`, { appId, at }),
    },
    async genesysAppId() {
      const app = (await inspect()).apps.find((a) => a.label === 'Genesys Cloud');
      if (!app) throw new Error('the Okta emulator has no "Genesys Cloud" app');
      return app.id;
    },
    deliverPending: async (opts: DeliverOptions = {}) =>
      (await control(url, 'POST', '/deliveries', opts)) as DeliveryReport,
    verifyHook: async () => (await control(url, 'POST', '/hook/verify')) as VerificationResult,
    inspect,
  };
}
