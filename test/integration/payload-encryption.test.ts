// Payload encryption end to end (PRODUCT.md bar item 7): an agent's whole lifecycle runs with the codec on; the
// history the server stores holds none of the agent's personal data, a client with the key reads everything back,
// the history replays with the codec, and the codec server decodes it for the Web UI over real HTTP.
import { randomBytes } from 'node:crypto';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { enrolAgent } from '../../operations/seasonal-agent';
import { startCodecServer, type RunningCodecServer } from '../../platform/codec-server';
import { dataConverterFromEnv, ENCRYPTED_ENCODING, payloadCodecFromEnv } from '../../platform/payload-codec';
import { agentStateQuery, type SeasonalAgentInput, type SeasonalAgentState } from '../../workflows/agent/contract';
import { agentInput } from '../support/agents';
import { startLifecycleEnv, type LifecycleEnv } from '../support/lifecycle-env';
import { connectClient } from '../support/temporal';

const KEYS = { PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PAYLOAD_ENCRYPTION_KEY_ID: 'it-2026' };
const UI_ORIGIN = 'http://localhost:8233';
const TOKEN = randomBytes(16).toString('hex');

let env: LifecycleEnv;
let plain: { client: Client; connection: Connection };
let codecServer: RunningCodecServer;
let input: SeasonalAgentInput;
let handle: WorkflowHandle;
let history: temporal.api.history.v1.IHistory;
let final: SeasonalAgentState;

const dataConverter = dataConverterFromEnv(KEYS) as DataConverter;
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const personal = () => [input.agent.login, input.agent.email, input.agent.givenName, input.agent.familyName];
const startedInput = (): Payload[] =>
  history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
const asJson = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});

beforeAll(async () => {
  env = await startLifecycleEnv({ namespacePrefix: 'encrypted', dataConverter });
  plain = await connectClient(env.namespace);
  codecServer = await startCodecServer({ codec: payloadCodecFromEnv(KEYS)!, origins: [UI_ORIGIN], token: TOKEN });

  // Names that cannot turn up in the history by chance: every byte of the search below means a leak.
  const base = agentInput({ seasonId: 'encrypted-season', seasonEndsAt: new Date(Date.now() + 5_000).toISOString() });
  input = {
    ...base,
    agent: {
      ...base.agent,
      givenName: `Givenname${base.agent.oktaUserId}`,
      familyName: `Familyname${base.agent.oktaUserId}`,
    },
  };
  const { workflowId, outcome } = await enrolAgent(env.client, input);
  expect(outcome).toBe('started');
  handle = env.client.workflow.getHandle(workflowId);
  // Provisioning, the season-end timer and the teardown: every activity input of the lifecycle is in the history.
  final = (await handle.result()) as SeasonalAgentState;
  history = await plain.client.workflow.getHandle(workflowId).fetchHistory();
});

afterAll(async () => {
  await codecServer?.close();
  await plain?.connection.close();
  await env?.close();
});

describe('payload encryption', () => {
  it('runs the whole lifecycle with the codec on', () => {
    expect(final.phase).toBe('Deprovisioned');
    expect(env.emulator.inspect(input.orgId).users.find((u) => u.userName === input.agent.login)?.deleted).toBe(true);
  });

  it('stores no login, email or name anywhere in the history the server keeps; ids only', () => {
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(history.events?.length).toBeGreaterThan(10);
    // The search works: the Okta id (in the workflow id and search attributes, by design) is found in plain bytes.
    expect(bytes.includes(Buffer.from(input.agent.oktaUserId))).toBe(true);
    for (const value of personal())
      expect({ value, found: bytes.includes(Buffer.from(value)) }).toEqual({ value, found: false });
    expect(startedInput().map((p) => utf8(p.metadata?.encoding))).toEqual([ENCRYPTED_ENCODING]);
    const scheduled = history.events?.filter((e) => e.activityTaskScheduledEventAttributes) ?? [];
    expect(scheduled.length).toBeGreaterThan(3);
    for (const e of scheduled) {
      for (const p of e.activityTaskScheduledEventAttributes?.input?.payloads ?? [])
        expect(utf8(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    }
  });

  it('lets a client with the key read the input, state and result back; a client without it cannot', async () => {
    const codec = dataConverter.payloadCodecs![0]!;
    const [decoded] = await codec.decode(startedInput());
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(input);
    expect((await handle.query(agentStateQuery)).phase).toBe('Deprovisioned');
    expect(((await handle.result()) as SeasonalAgentState).phase).toBe('Deprovisioned');
    await expect(plain.client.workflow.getHandle(handle.workflowId).result()).rejects.toThrow(/binary\/encrypted/);
  });

  it('replays the encrypted history with the codec, and only with it', async () => {
    const bundle = process.env.WORKFLOW_BUNDLE_PATH;
    const source = bundle
      ? { workflowBundle: { codePath: bundle } }
      : { workflowsPath: require.resolve('../../workflows') };
    const replay = async (converter: DataConverter | undefined) => {
      const errors: string[] = [];
      for await (const result of Worker.runReplayHistories(
        { ...source, dataConverter: converter, replayName: 'encrypted' },
        [{ workflowId: handle.workflowId, history }],
      )) {
        if (result.error) errors.push(result.error.message);
      }
      return errors;
    };
    expect(await replay(dataConverter)).toEqual([]);
    expect((await replay(undefined)).join('\n')).toMatch(/binary\/encrypted/);
  });
});

describe('codec server (Temporal Web UI protocol)', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${codecServer.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': env.namespace, origin: UI_ORIGIN, ...headers },
      body: JSON.stringify(body),
    });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it("decodes the history's encrypted input to the plain JSON payload, with CORS for the UI", async () => {
    const response = await post('/decode', asJson(startedInput()), bearer);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    const { payloads } = (await response.json()) as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
    expect(payloads).toHaveLength(1);
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual(input);
  });

  it("encodes what the UI sends (a signal's input), and decodes it back, also under a deeper path", async () => {
    const signal = asJson([defaultPayloadConverter.toPayload({ reason: `left early ${input.agent.email}` })]);
    const encoded = (await (await post('/encode', signal, bearer)).json()) as typeof signal;
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(encoded.payloads[0]!.data, 'base64').includes(Buffer.from(input.agent.email))).toBe(false);
    const decoded = await post(`/${env.namespace}/decode`, encoded, bearer);
    expect(await decoded.json()).toEqual(signal);
  });

  it("answers the browser's CORS preflight without a token, for the UI origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${codecServer.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace,authorization',
        },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type,x-namespace,authorization');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a missing or wrong bearer token with 401 (readable by the UI) and decodes nothing', async () => {
    const wrong: Array<Record<string, string>> = [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }];
    for (const headers of wrong) {
      const response = await post('/decode', asJson(startedInput()), headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      expect(await response.text()).not.toContain(input.agent.login);
    }
  });

  it('says what is wrong with a malformed body or a payload of an unknown key, in one message', async () => {
    expect((await post('/decode', { payload: [] }, bearer)).status).toBe(400);
    const otherKey = payloadCodecFromEnv({
      PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PAYLOAD_ENCRYPTION_KEY_ID: 'elsewhere',
    })!;
    const response = await post(
      '/decode',
      asJson(await otherKey.encode([defaultPayloadConverter.toPayload('x')])),
      bearer,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /key id "elsewhere", which this process does not have/,
    );
  });
});
