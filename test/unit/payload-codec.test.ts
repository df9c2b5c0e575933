// The AES-256-GCM payload codec and its keys from the environment: what reaches Temporal is ciphertext, what
// comes back is the original payload, and every way it can go wrong says so in one line without showing a key.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { UserError } from '../../platform/errors';
import {
  AesGcmPayloadCodec,
  dataConverterFromEnv,
  describePayloadEncryption,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  payloadCodecFromEnv,
} from '../../platform/payload-codec';

const newKey = () => randomBytes(32).toString('base64');
const agent = {
  login: 'pat.seasonal@retail.example',
  email: 'pat.seasonal@retail.example',
  givenName: 'Patricia',
  familyName: 'Holidayworker',
};
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

function codec(env: NodeJS.ProcessEnv): AesGcmPayloadCodec {
  const c = payloadCodecFromEnv(env);
  if (!c) throw new Error('expected a codec');
  return c;
}

/** The UserError a bad environment raises, checked not to contain the key material it was given. */
function userError(env: NodeJS.ProcessEnv): UserError {
  let caught: unknown;
  try {
    dataConverterFromEnv(env);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  const message = (caught as UserError).message;
  expect(message.split('\n')).toHaveLength(1);
  for (const value of Object.values(env))
    for (const part of (value ?? '').split(/[,:]/)) if (part.length >= 8) expect(message).not.toContain(part);
  return caught as UserError;
}

describe('AES-256-GCM payload codec', () => {
  const key = newKey();
  const c = codec({ PAYLOAD_ENCRYPTION_KEY: key, PAYLOAD_ENCRYPTION_KEY_ID: 'k2026' });

  it('encrypts payloads so that no input text is left, and decodes them back to the original', async () => {
    const original = [plain({ agent }), plain('second'), plain(undefined)];
    const encoded = await c.encode(original);
    expect(encoded).toHaveLength(3);
    for (const p of encoded) {
      expect(text(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(p.metadata?.[KEY_ID_METADATA])).toBe('k2026');
      expect(Object.keys(p.metadata ?? {}).sort()).toEqual([KEY_ID_METADATA, 'encoding'].sort());
    }
    const bytes = Buffer.concat(encoded.map((p) => Buffer.from(p.data!)));
    for (const value of [...Object.values(agent), 'json/plain', 'second'])
      expect(bytes.includes(Buffer.from(value))).toBe(false);

    const decoded = await c.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ agent }, 'second', undefined]);
    expect(decoded.map((p) => text(p.metadata?.encoding))).toEqual(original.map((p) => text(p.metadata?.encoding)));
  });

  it('uses a fresh IV per payload: the same value never encrypts to the same bytes', async () => {
    const [a, b] = await c.encode([plain({ agent }), plain({ agent })]);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rejects a payload altered in Temporal: a flipped byte, a cut tag, or a relabelled key id', async () => {
    const [sealed] = await c.encode([plain({ agent })]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 0x01;
    await expect(c.decode([{ ...sealed, data: flipped }])).rejects.toThrow(
      /key id "k2026"\) failed authentication: it was altered/,
    );
    await expect(c.decode([{ ...sealed, data: Buffer.from(sealed!.data!).subarray(0, 20) }])).rejects.toThrow(
      /too short|failed authentication/,
    );

    // Another id that this process knows under the same key: the id is authenticated, so the relabel still fails.
    const both = codec({
      PAYLOAD_ENCRYPTION_KEY: key,
      PAYLOAD_ENCRYPTION_KEY_ID: 'k2026',
      PAYLOAD_DECRYPTION_KEYS: `alias:${key}`,
    });
    const relabelled = { ...sealed, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('alias') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/key id "alias"\) failed authentication/);
  });

  it('says which key id is missing when a payload was encrypted with a key this process lacks', async () => {
    const other = codec({ PAYLOAD_ENCRYPTION_KEY: newKey(), PAYLOAD_ENCRYPTION_KEY_ID: 'k2027' });
    const [sealed] = await other.encode([plain({ agent })]);
    await expect(c.decode([sealed!])).rejects.toThrow(
      'a payload is encrypted with key id "k2027", which this process does not have: add that key to PAYLOAD_DECRYPTION_KEYS (id:base64)',
    );
  });

  it('rejects the same key id under a different key (a wrong key, not a missing one)', async () => {
    const impostor = codec({ PAYLOAD_ENCRYPTION_KEY: newKey(), PAYLOAD_ENCRYPTION_KEY_ID: 'k2026' });
    const [sealed] = await impostor.encode([plain({ agent })]);
    await expect(c.decode([sealed!])).rejects.toThrow(
      /failed authentication: it was altered, or key "k2026" is not the key it was encrypted with/,
    );
  });

  it('passes payloads that are not encrypted through unchanged, so histories from before still replay', async () => {
    const before = [
      plain({ agent }),
      plain(null),
      { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from([1, 2, 3]) },
    ];
    const decoded = await c.decode(before);
    expect(decoded).toHaveLength(3);
    decoded.forEach((p, i) => expect(p).toBe(before[i]));
  });

  it('decodes with an old key after rotation, and encrypts new payloads with the new one', async () => {
    const oldKey = newKey();
    const before = codec({ PAYLOAD_ENCRYPTION_KEY: oldKey, PAYLOAD_ENCRYPTION_KEY_ID: 'k2025' });
    const [oldSealed] = await before.encode([plain({ agent })]);

    const rotated = codec({
      PAYLOAD_ENCRYPTION_KEY: key,
      PAYLOAD_ENCRYPTION_KEY_ID: 'k2026',
      PAYLOAD_DECRYPTION_KEYS: ` k2025:${oldKey} , k2024:${newKey()}`,
    });
    const [fromOld] = await rotated.decode([oldSealed!]);
    expect(defaultPayloadConverter.fromPayload(fromOld!)).toEqual({ agent });
    const [fresh] = await rotated.encode([plain('new')]);
    expect(text(fresh!.metadata?.[KEY_ID_METADATA])).toBe('k2026');
    // A process that only has the new key cannot read what the old key wrote.
    await expect(c.decode([oldSealed!])).rejects.toThrow(/key id "k2025", which this process does not have/);
  });
});

describe('payload encryption from the environment', () => {
  it('is off (undefined) when PAYLOAD_ENCRYPTION_KEY is unset or empty, as docker compose passes an unset ${VAR:-}', () => {
    expect(dataConverterFromEnv({})).toBeUndefined();
    expect(
      dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: '', PAYLOAD_ENCRYPTION_KEY_ID: '', PAYLOAD_DECRYPTION_KEYS: ' ' }),
    ).toBeUndefined();
    expect(describePayloadEncryption(undefined)).toBe('payloads not encrypted (PAYLOAD_ENCRYPTION_KEY not set)');
  });

  it('gives a data converter with the codec, under the key id "default" unless one is set', () => {
    const converter = dataConverterFromEnv({ PAYLOAD_ENCRYPTION_KEY: newKey() });
    expect(converter?.payloadCodecs).toHaveLength(1);
    expect(converter?.payloadCodecs?.[0]).toBeInstanceOf(AesGcmPayloadCodec);
    expect(describePayloadEncryption(converter)).toBe('payloads encrypted (key id default)');
  });

  it.each([
    [
      'a key of the wrong length',
      { PAYLOAD_ENCRYPTION_KEY: randomBytes(16).toString('base64') },
      /^PAYLOAD_ENCRYPTION_KEY is 16 bytes long, not 32: it must be the base64 of 32 random bytes/,
    ],
    [
      'a key that is not base64',
      { PAYLOAD_ENCRYPTION_KEY: 'correct-horse-battery-staple-correct-horse!!' },
      /^PAYLOAD_ENCRYPTION_KEY is not base64/,
    ],
    [
      'a hex key',
      { PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('hex') },
      /^PAYLOAD_ENCRYPTION_KEY is 48 bytes long, not 32/,
    ],
    [
      'a key id with spaces',
      { PAYLOAD_ENCRYPTION_KEY: newKey(), PAYLOAD_ENCRYPTION_KEY_ID: 'my key' },
      /^PAYLOAD_ENCRYPTION_KEY_ID: key id "my key" may only hold/,
    ],
    [
      'an old key without an id',
      { PAYLOAD_ENCRYPTION_KEY: newKey(), PAYLOAD_DECRYPTION_KEYS: newKey() },
      /^PAYLOAD_DECRYPTION_KEYS entry 1 is not id:base64$/,
    ],
    [
      'an old key of the wrong length',
      {
        PAYLOAD_ENCRYPTION_KEY: newKey(),
        PAYLOAD_DECRYPTION_KEYS: `k1:${newKey()},k0:${randomBytes(31).toString('base64')}`,
      },
      /^PAYLOAD_DECRYPTION_KEYS key "k0" is 31 bytes long/,
    ],
    [
      'an old id given two keys',
      { PAYLOAD_ENCRYPTION_KEY: newKey(), PAYLOAD_DECRYPTION_KEYS: `k1:${newKey()},k1:${newKey()}` },
      /^PAYLOAD_DECRYPTION_KEYS gives key id "k1" two different keys$/,
    ],
    [
      'the current id given another key',
      { PAYLOAD_ENCRYPTION_KEY: newKey(), PAYLOAD_ENCRYPTION_KEY_ID: 'k1', PAYLOAD_DECRYPTION_KEYS: `k1:${newKey()}` },
      /another key than PAYLOAD_ENCRYPTION_KEY$/,
    ],
    [
      'old keys without a current one',
      { PAYLOAD_DECRYPTION_KEYS: `k1:${newKey()}` },
      /^PAYLOAD_DECRYPTION_KEYS is set but PAYLOAD_ENCRYPTION_KEY is not/,
    ],
  ])('refuses %s with one UserError line that shows no key', (_what, env, message) => {
    expect(userError(env).message).toMatch(message);
  });
});

describe('entry points', () => {
  const ROOT = path.resolve(__dirname, '../..');
  const run = (script: string, env: NodeJS.ProcessEnv) =>
    spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [script], {
      cwd: ROOT,
      env: {
        ...process.env,
        PAYLOAD_ENCRYPTION_KEY: '',
        PAYLOAD_DECRYPTION_KEYS: '',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        ...env,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('the worker refuses a malformed key with one clear line and exit 1, before it connects', () => {
    const key = randomBytes(24).toString('base64');
    const res = run('worker/main.ts', { PAYLOAD_ENCRYPTION_KEY: key });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(
      'error: PAYLOAD_ENCRYPTION_KEY is 24 bytes long, not 32: it must be the base64 of 32 random bytes (for example `openssl rand -base64 32`)',
    );
    expect(res.stdout + res.stderr).not.toContain(key);
  });

  it('the codec server needs the key, and says so in one line', () => {
    const res = run('scripts/codec-server.ts', {});
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(
      'error: PAYLOAD_ENCRYPTION_KEY is not set: the codec server needs the key the workers encrypt with',
    );
  });
});
