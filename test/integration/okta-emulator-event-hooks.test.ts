// The Okta emulator's Event Hooks management API over real HTTP: the lifecycle (create ACTIVE and UNVERIFIED, list,
// get, replace, activate, deactivate, delete only when INACTIVE), validation as the spec says, the write-only
// secret, scopes for a service app, Okta's verification call to a real endpoint (a tiny node:http server), and
// deliveries only to hooks that are ACTIVE, VERIFIED and subscribed to the event's type.
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EMULATOR_OKTA_TOKEN,
  startOktaEmulator,
  type HookDelivery,
  type OktaEmulator,
  type OktaEmulatorOptions,
} from '../../emulators/okta';

const AGENTS = '00gholidayagents01a7';
const BEN = '00uretailagent0002a7';
const CHLOE = '00uretailagent0003a7';
const ADMIN = '00uretailadmin0001a7';
const SECRET = 'event-hook-secret-under-test';
const CLIENT_ID = '0oahooksetup0001a7xy';

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Endpoint {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A receiver on loopback: `answer` decides each response; every request is recorded. */
async function startEndpoint(answer: (request: Seen) => { status: number; body?: unknown }): Promise<Endpoint> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { method: req.method ?? '', headers: req.headers, body };
      seen.push(request);
      const { status, body: out } = answer(request);
      res.writeHead(status, out === undefined ? {} : { 'content-type': 'application/json' });
      res.end(out === undefined ? undefined : JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/okta/events`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Answers Okta's verification challenge (GET) and takes deliveries (POST, 204), as a receiver should. */
const echoChallenge = (r: Seen) =>
  r.method === 'GET'
    ? { status: 200, body: { verification: r.headers['x-okta-verification-challenge'] } }
    : { status: 204 };

const posts = (endpoint: Endpoint): HookDelivery[] =>
  endpoint.seen.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as HookDelivery);

interface HookJson {
  id: string;
  name: string;
  status: string;
  verificationStatus: string;
  events: { type: string; items: string[]; filter: unknown };
  channel: { type: string; version: string; config: Record<string, unknown> };
  _links: Record<string, { href: string }>;
}

interface OktaError {
  errorCode: string;
  errorSummary: string;
  errorCauses: Array<{ errorSummary: string }>;
}

function hookBody(uri: string, over: { name?: string; items?: string[]; secret?: string } = {}) {
  return {
    name: over.name ?? 'seasonal-agent-provisioner',
    events: { type: 'EVENT_TYPE', items: over.items ?? ['group.user_membership.add', 'user.lifecycle.suspend'] },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri,
        headers: [{ key: 'X-Any-Key', value: 'my-header-value' }],
        authScheme: { type: 'HEADER', key: 'Authorization', value: over.secret ?? SECRET },
      },
    },
  };
}

let okta: OktaEmulator;
let auth = `SSWS ${EMULATOR_OKTA_TOKEN}`;
const endpoints: Endpoint[] = [];
/** State-file folders, removed after the emulator's close (which saves once more). */
const dirs: string[] = [];

function statePathInNewDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'okta-event-hooks-'));
  dirs.push(dir);
  return path.join(dir, 'state.json');
}

async function endpoint(answer = echoChallenge): Promise<Endpoint> {
  const e = await startEndpoint(answer);
  endpoints.push(e);
  return e;
}

async function start(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  okta = await startOktaEmulator({ fixture: 'retail', ...options });
  return okta;
}

async function api(method: string, p: string, body?: unknown, as = auth): Promise<Response> {
  return fetch(`${okta.url}/api/v1${p}`, {
    method,
    headers: {
      authorization: as,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function ok<T = HookJson>(res: Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect({ status: r.status, text }).toMatchObject({ status });
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function refused(res: Promise<Response>, status: number): Promise<OktaError> {
  const r = await res;
  expect(r.status).toBe(status);
  return (await r.json()) as OktaError;
}

/** Creates a hook at `uri` and verifies it (the endpoint must echo the challenge). */
async function verifiedHook(uri: string, items?: string[], name?: string): Promise<HookJson> {
  const hook = await ok(api('POST', '/eventHooks', hookBody(uri, { items, name })));
  return ok(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`));
}

afterEach(async () => {
  auth = `SSWS ${EMULATOR_OKTA_TOKEN}`;
  await okta?.close();
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Okta emulator: Event Hooks API lifecycle', () => {
  it('creates ACTIVE and UNVERIFIED, lists, gets, replaces, activates, deactivates, and deletes only when INACTIVE', async () => {
    await start();
    const created = await ok(api('POST', '/eventHooks', hookBody('https://provisioner.example.com/okta/events')));
    expect(created).toMatchObject({
      id: expect.stringMatching(/^who[0-9A-Za-z]{17}$/),
      name: 'seasonal-agent-provisioner',
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      description: null,
      createdBy: ADMIN,
      events: { type: 'EVENT_TYPE', items: ['group.user_membership.add', 'user.lifecycle.suspend'], filter: null },
      channel: {
        type: 'HTTP',
        version: '1.0.0',
        config: {
          uri: 'https://provisioner.example.com/okta/events',
          method: 'POST',
          headers: [{ key: 'X-Any-Key', value: 'my-header-value' }],
          authScheme: { type: 'HEADER', key: 'authorization' },
        },
      },
      _links: {
        self: { href: `${okta.url}/api/v1/eventHooks/${created.id}` },
        verify: { href: `${okta.url}/api/v1/eventHooks/${created.id}/lifecycle/verify` },
        deactivate: { href: `${okta.url}/api/v1/eventHooks/${created.id}/lifecycle/deactivate` },
      },
    });

    const list = await ok<HookJson[]>(api('GET', '/eventHooks'));
    expect(list).toEqual([created]);
    expect(await ok(api('GET', `/eventHooks/${created.id}`))).toEqual(created);

    const replaced = await ok(
      api('PUT', `/eventHooks/${created.id}`, hookBody(created.channel.config.uri as string, { name: 'renamed' })),
    );
    expect(replaced).toMatchObject({ id: created.id, name: 'renamed', status: 'ACTIVE' });

    const stillActive = await refused(api('DELETE', `/eventHooks/${created.id}`), 403);
    expect(stillActive).toMatchObject({ errorCode: 'E0000006' });
    expect(stillActive.errorCauses[0]!.errorSummary).toMatch(/INACTIVE/);

    expect(await ok(api('POST', `/eventHooks/${created.id}/lifecycle/deactivate`))).toMatchObject({
      status: 'INACTIVE',
    });
    expect(await ok(api('POST', `/eventHooks/${created.id}/lifecycle/activate`))).toMatchObject({ status: 'ACTIVE' });
    await ok(api('POST', `/eventHooks/${created.id}/lifecycle/deactivate`));
    expect(await ok(api('DELETE', `/eventHooks/${created.id}`), 204)).toBeUndefined();

    const gone = await refused(api('GET', `/eventHooks/${created.id}`), 404);
    expect(gone).toMatchObject({
      errorCode: 'E0000007',
      errorSummary: `Not found: Resource not found: ${created.id} (EventHook)`,
    });
    expect((await api('PUT', `/eventHooks/${created.id}`, hookBody('https://x.example.com'))).status).toBe(404);
    expect((await api('POST', `/eventHooks/${created.id}/lifecycle/verify`)).status).toBe(404);
    expect(await ok<HookJson[]>(api('GET', '/eventHooks'))).toEqual([]);
  });

  it('refuses what the spec refuses, with E0000001 and a cause per problem', async () => {
    await start();
    const good = hookBody('https://provisioner.example.com/okta/events');
    const cases: Array<[string, unknown, RegExp]> = [
      ['channel type', { ...good, channel: { ...good.channel, type: 'HTTPS' } }, /^channel\.type: only HTTP/],
      [
        'channel version',
        { ...good, channel: { ...good.channel, version: '2.0.0' } },
        /^channel\.version: only 1\.0\.0/,
      ],
      [
        'auth scheme type',
        {
          ...good,
          channel: {
            ...good.channel,
            config: { ...good.channel.config, authScheme: { type: 'OAUTH', key: 'a', value: 'b' } },
          },
        },
        /^channel\.config\.authScheme\.type: only HEADER/,
      ],
      ['events type', { ...good, events: { type: 'CATEGORY', items: ['user.lifecycle.create'] } }, /^events\.type/],
      [
        'ineligible event type',
        { ...good, events: { type: 'EVENT_TYPE', items: ['user.authentication.sso'] } },
        /user\.authentication\.sso is not an event type eligible/,
      ],
      [
        'ineligible: delete.completed',
        { ...good, events: { type: 'EVENT_TYPE', items: ['user.lifecycle.delete.completed'] } },
        /not an event type eligible/,
      ],
      ['no event types', { ...good, events: { type: 'EVENT_TYPE', items: [] } }, /^events\.items: subscribe/],
      ['plain http to a public host', hookBody('http://provisioner.example.com/okta/events'), /only HTTPS endpoints/],
      ['not a URL', hookBody('provisioner.example.com/okta/events'), /absolute https:\/\/ URL/],
      ['no name', { ...good, name: undefined }, /^name: /],
    ];
    for (const [label, body, cause] of cases) {
      const error = await refused(api('POST', '/eventHooks', body), 400);
      expect({ label, errorCode: error.errorCode, errorSummary: error.errorSummary }).toEqual({
        label,
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: eventHook',
      });
      expect({ label, causes: error.errorCauses.map((c) => c.errorSummary) }).toEqual({
        label,
        causes: expect.arrayContaining([expect.stringMatching(cause)]),
      });
    }
    const malformed = await fetch(`${okta.url}/api/v1/eventHooks`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errorCode: 'E0000003' });

    // Loopback http:// is the emulator's one deviation; user.lifecycle.unsuspend is eligible (the catalog says so).
    for (const uri of ['http://127.0.0.1:9/okta', 'http://localhost:9/okta', 'http://[::1]:9/okta'])
      await ok(api('POST', '/eventHooks', hookBody(uri, { items: ['user.lifecycle.unsuspend'] })));
    expect(okta.inspect().eventHooks).toHaveLength(3);
  });

  it('never returns the write-only secret: not from the API, not in inspect(), not in the state file', async () => {
    const statePath = statePathInNewDir();
    await start({
      statePath,
      hook: { url: 'http://127.0.0.1:9/pre', authHeaderName: 'X-Pre', authHeaderValue: SECRET },
    });
    const hook = await ok(api('POST', '/eventHooks', hookBody('https://provisioner.example.com/okta/events')));
    const answers = [
      JSON.stringify(hook),
      await (await api('GET', '/eventHooks')).text(),
      await (await api('GET', `/eventHooks/${hook.id}`)).text(),
      await (
        await api('PUT', `/eventHooks/${hook.id}`, hookBody('https://provisioner.example.com/okta/events'))
      ).text(),
      await (await api('POST', `/eventHooks/${hook.id}/lifecycle/deactivate`)).text(),
      JSON.stringify(okta.inspect()),
      await (await fetch(`${okta.url}/__emulator/state`)).text(),
    ];
    for (const text of answers) {
      expect(text).toContain(hook.id);
      expect(text).not.toContain(SECRET);
    }
    expect(readFileSync(statePath, 'utf8')).toContain(hook.id);
    expect(readFileSync(statePath, 'utf8')).not.toContain(SECRET);
  });
});

describe('Okta emulator: Event Hooks API scopes (service app)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  async function bearer(scope: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: `${okta.url}/oauth2/v1/token`,
      exp: now + 300,
      jti: randomUUID(),
    };
    const unsigned = `${b64({ alg: 'RS256' })}.${b64(claims)}`;
    const jwt = `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')}`;
    const res = await fetch(`${okta.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }).toString(),
    });
    expect(res.status).toBe(200);
    return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
  }

  it('okta.eventHooks.read for the GETs, okta.eventHooks.manage for the rest (manage implies read)', async () => {
    await start({
      serviceApps: [
        {
          clientId: CLIENT_ID,
          publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          scopes: ['okta.eventHooks.read', 'okta.eventHooks.manage', 'okta.users.manage'],
        },
      ],
    });
    const reader = await bearer('okta.eventHooks.read');
    const manager = await bearer('okta.eventHooks.manage');
    const usersOnly = await bearer('okta.users.manage');
    const body = hookBody('https://provisioner.example.com/okta/events');

    expect(await refused(api('POST', '/eventHooks', body, reader), 403)).toMatchObject({ errorCode: 'E0000006' });
    expect((await api('POST', '/eventHooks', body, usersOnly)).status).toBe(403);
    const hook = await ok(api('POST', '/eventHooks', body, manager));
    expect(hook).toMatchObject({ createdBy: CLIENT_ID });

    for (const as of [reader, manager]) {
      expect((await api('GET', '/eventHooks', undefined, as)).status).toBe(200);
      expect((await api('GET', `/eventHooks/${hook.id}`, undefined, as)).status).toBe(200);
    }
    expect((await api('GET', '/eventHooks', undefined, usersOnly)).status).toBe(403);
    for (const [method, p] of [
      ['PUT', `/eventHooks/${hook.id}`],
      ['POST', `/eventHooks/${hook.id}/lifecycle/deactivate`],
      ['POST', `/eventHooks/${hook.id}/lifecycle/activate`],
      ['POST', `/eventHooks/${hook.id}/lifecycle/verify`],
      ['DELETE', `/eventHooks/${hook.id}`],
    ] as const)
      expect({ method, p, status: (await api(method, p, method === 'PUT' ? body : undefined, reader)).status }).toEqual(
        {
          method,
          p,
          status: 403,
        },
      );
    await ok(api('POST', `/eventHooks/${hook.id}/lifecycle/deactivate`, undefined, manager));
    await ok(api('DELETE', `/eventHooks/${hook.id}`, undefined, manager), 204);
  });
});

describe('Okta emulator: Event Hooks verification', () => {
  it("makes Okta's GET with the challenge, the auth header and custom headers; an echo makes the hook VERIFIED", async () => {
    await start();
    const receiver = await endpoint();
    const hook = await ok(api('POST', '/eventHooks', hookBody(receiver.url)));
    const verified = await ok(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`));
    expect(verified).toMatchObject({ id: hook.id, status: 'ACTIVE', verificationStatus: 'VERIFIED' });
    expect(receiver.seen).toHaveLength(1);
    const [get] = receiver.seen;
    expect(get!.method).toBe('GET');
    expect(get!.headers).toMatchObject({
      authorization: SECRET,
      'x-any-key': 'my-header-value',
      'user-agent': 'Okta-Integrations',
      accept: 'application/json',
      'x-okta-verification-challenge': expect.stringMatching(/^\w{20,}$/),
    });
    expect(okta.inspect().verifications).toEqual([
      expect.objectContaining({ hookId: hook.id, verified: true, status: 200 }),
    ]);
  });

  it('a refusing endpoint (401): 400 E0000001, one request (4xx is not retried), the hook stays UNVERIFIED', async () => {
    await start();
    const refusing = await endpoint(() => ({ status: 401 }));
    const hook = await ok(api('POST', '/eventHooks', hookBody(refusing.url, { name: 'refused-hook' })));
    const error = await refused(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`), 400);
    expect(error).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: eventHook',
      errorCauses: [{ errorSummary: 'Unable to verify event hook. Hook refused-hook execution failed' }],
    });
    expect(refusing.seen).toHaveLength(1);
    expect(await ok(api('GET', `/eventHooks/${hook.id}`))).toMatchObject({ verificationStatus: 'UNVERIFIED' });

    // A 5xx is retried once, then it fails the same way; so does a wrong echo.
    const failing = await endpoint(() => ({ status: 503 }));
    const second = await ok(api('POST', '/eventHooks', hookBody(failing.url)));
    expect((await api('POST', `/eventHooks/${second.id}/lifecycle/verify`)).status).toBe(400);
    expect(failing.seen).toHaveLength(2);
    const wrongEcho = await endpoint(() => ({ status: 200, body: { verification: 'not-the-challenge' } }));
    const third = await ok(api('POST', '/eventHooks', hookBody(wrongEcho.url)));
    expect((await api('POST', `/eventHooks/${third.id}/lifecycle/verify`)).status).toBe(400);
  });

  it('a replaced channel (endpoint or secret) makes the hook UNVERIFIED again; other fields do not', async () => {
    await start();
    const receiver = await endpoint();
    const hook = await verifiedHook(receiver.url);
    expect(hook.verificationStatus).toBe('VERIFIED');

    const renamed = await ok(
      api(
        'PUT',
        `/eventHooks/${hook.id}`,
        hookBody(receiver.url, { name: 'other-name', items: ['user.lifecycle.create'] }),
      ),
    );
    expect(renamed).toMatchObject({ name: 'other-name', verificationStatus: 'VERIFIED' });

    const rotated = await ok(api('PUT', `/eventHooks/${hook.id}`, hookBody(receiver.url, { secret: 'rotated' })));
    expect(rotated.verificationStatus).toBe('UNVERIFIED');
    expect((await ok(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`))).verificationStatus).toBe('VERIFIED');
    expect(receiver.seen.at(-1)!.headers.authorization).toBe('rotated');

    const other = await endpoint();
    const moved = await ok(api('PUT', `/eventHooks/${hook.id}`, hookBody(other.url, { secret: 'rotated' })));
    expect(moved.verificationStatus).toBe('UNVERIFIED');
  });
});

describe('Okta emulator: deliveries through registered hooks', () => {
  it('go only to hooks ACTIVE and VERIFIED, each only the event types it subscribes to', async () => {
    await start();
    const [members, suspensions, unverified, inactive] = await Promise.all([
      endpoint(),
      endpoint(),
      endpoint(),
      endpoint(),
    ]);
    const a = await verifiedHook(members.url, ['group.user_membership.add'], 'members');
    const b = await verifiedHook(suspensions.url, ['user.lifecycle.suspend', 'user.lifecycle.create'], 'suspensions');
    await ok(api('POST', '/eventHooks', hookBody(unverified.url, { items: ['group.user_membership.add'] })));
    const d = await verifiedHook(inactive.url, ['group.user_membership.add', 'user.lifecycle.suspend'], 'inactive');
    await ok(api('POST', `/eventHooks/${d.id}/lifecycle/deactivate`));

    okta.admin.addUserToGroup(CHLOE, AGENTS);
    okta.admin.suspendUser(BEN);
    okta.admin.removeUserFromGroup(CHLOE, AGENTS); // no hook subscribes to removals
    const [added, suspended, removed] = okta.inspect().outbox;
    expect(added!.debugContext.debugData.targetEventHookIds).toBe(a.id);
    expect(suspended!.debugContext.debugData.targetEventHookIds).toBe(b.id);
    expect(removed!.debugContext.debugData.targetEventHookIds).toBeUndefined();

    const report = await okta.deliverPending();
    expect(report.deliveries.map((r) => [r.hookId, r.eventTypes, r.delivered])).toEqual(
      expect.arrayContaining([
        [a.id, ['group.user_membership.add'], true],
        [b.id, ['user.lifecycle.suspend'], true],
      ]),
    );
    expect(report.deliveries).toHaveLength(2);
    expect(report.unsubscribedUuids).toEqual([removed!.uuid]);
    expect(report.outboxLeft).toBe(0);

    expect(posts(members).flatMap((p) => p.data.events.map((e) => e.uuid))).toEqual([added!.uuid]);
    expect(posts(suspensions).flatMap((p) => p.data.events.map((e) => e.uuid))).toEqual([suspended!.uuid]);
    expect(posts(members)[0]!.source).toBe(`${okta.url}/api/v1/eventHooks/${a.id}`);
    expect(members.seen.find((r) => r.method === 'POST')!.headers).toMatchObject({
      authorization: SECRET,
      'x-any-key': 'my-header-value',
      'user-agent': `Okta Hook Service v1.0.0 - ${a.id}`,
    });
    // The unverified hook saw nothing at all; the deactivated one only its verification GET.
    expect(unverified.seen).toEqual([]);
    expect(inactive.seen.map((r) => r.method)).toEqual(['GET']);
  });

  it('with no hook receiving events, deliverPending throws and the outbox waits', async () => {
    await start();
    const receiver = await endpoint();
    const hook = await ok(api('POST', '/eventHooks', hookBody(receiver.url)));
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    await expect(okta.deliverPending()).rejects.toThrow(/no event hook receives events/);
    expect(okta.inspect().outbox).toHaveLength(1);
    await ok(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`));
    expect((await okta.deliverPending()).deliveries.map((r) => r.delivered)).toEqual([true]);
  });

  it('the pre-registered hook (options.hook) is one of the registry: listed, and delivered to as before', async () => {
    const pre = await endpoint();
    await start({ hook: { url: pre.url, authHeaderName: 'Authorization', authHeaderValue: SECRET } });
    const [listed] = await ok<HookJson[]>(api('GET', '/eventHooks'));
    expect(listed).toMatchObject({
      id: okta.inspect().hook!.id,
      status: 'ACTIVE',
      verificationStatus: 'UNVERIFIED',
      channel: { config: { uri: pre.url, authScheme: { key: 'authorization' } } },
    });
    expect(listed!.events.items).toEqual(
      expect.arrayContaining(['user.lifecycle.unsuspend', 'group.user_membership.add']),
    );
    expect(okta.inspect().eventHooks).toEqual([listed]);

    // As before the Event Hooks API: it receives events unverified; verifyHook() verifies it.
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    expect((await okta.deliverPending()).deliveries.map((r) => [r.hookId, r.delivered])).toEqual([[listed!.id, true]]);
    expect((await okta.verifyHook()).verified).toBe(true);
    expect(okta.inspect().hook).toMatchObject({ verificationStatus: 'VERIFIED', authHeaderName: 'Authorization' });

    // Deactivated through the API, it receives nothing.
    await ok(api('POST', `/eventHooks/${listed!.id}/lifecycle/deactivate`));
    okta.admin.suspendUser(BEN);
    await expect(okta.deliverPending()).rejects.toThrow(/no event hook receives events/);
  });

  it('autoDeliverMs delivers to API-registered hooks too', async () => {
    await start({ autoDeliverMs: 50 });
    const receiver = await endpoint();
    await verifiedHook(receiver.url);
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    const deadline = Date.now() + 5000;
    while (posts(receiver).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(posts(receiver).flatMap((p) => p.data.events.map((e) => e.eventType))).toEqual([
      'group.user_membership.add',
    ]);
  });

  it('after a restart from its state file a hook is kept, UNVERIFIED, and must be replaced with its secret', async () => {
    const statePath = statePathInNewDir();
    await start({ statePath });
    const receiver = await endpoint();
    const hook = await verifiedHook(receiver.url);
    await okta.close();

    await start({ statePath });
    const restored = await ok(api('GET', `/eventHooks/${hook.id}`));
    expect(restored).toMatchObject({ name: hook.name, status: 'ACTIVE', verificationStatus: 'UNVERIFIED' });
    okta.admin.addUserToGroup(CHLOE, AGENTS);
    await expect(okta.deliverPending()).rejects.toThrow(/no event hook receives events/);
    const error = await refused(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`), 400);
    expect(error.errorCauses.map((c) => c.errorSummary)).toEqual([
      `Unable to verify event hook. Hook ${hook.name} execution failed`,
      expect.stringMatching(/secret .* was not kept across the restart/),
    ]);

    await ok(api('PUT', `/eventHooks/${hook.id}`, hookBody(receiver.url)));
    expect((await ok(api('POST', `/eventHooks/${hook.id}/lifecycle/verify`))).verificationStatus).toBe('VERIFIED');
    expect((await okta.deliverPending()).deliveries.map((r) => r.delivered)).toEqual([true]);
  });
});
