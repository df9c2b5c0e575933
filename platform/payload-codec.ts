// Payload encryption (PRODUCT.md bar item 7: no PII in workflow history). The agent's login, email and name travel
// in workflow and activity inputs; this codec encrypts every payload with AES-256-GCM before it leaves the process,
// so Temporal's server (and its database, and anyone with read access to the namespace) sees only ciphertext.
//
// Codecs run outside the workflow sandbox — in clients and in the worker's main thread — so node:crypto is fine
// here and workflow code stays untouched. Search attributes are not encoded by codecs; they carry ids only.
//
// Wire format of an encrypted payload: metadata { encoding: binary/encrypted, encryption-key-id: <id> } and
// data = IV (12 random bytes) ‖ ciphertext ‖ GCM tag (16 bytes), where the plaintext is the whole original Payload
// in protobuf form (so its own metadata — json/plain and so on — is hidden and restored too). The key id is the
// additional authenticated data: a payload relabelled with another id fails authentication.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { payloadKeysFromEnv, type PayloadKeys } from './payload-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  // A #private field, not a TypeScript `private` one: it is never enumerated, so a codec that gets logged or
  // serialized (the SDK's worker logs its options, data converter included, at DEBUG) cannot carry the keys.
  readonly #keys: PayloadKeys;

  constructor(keys: PayloadKeys) {
    this.#keys = keys;
  }

  /** The id new payloads are encrypted under (not secret: it is in every payload's metadata). */
  get keyId(): string {
    return this.#keys.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  /** Payloads that are not encrypted pass through: histories from before encryption was on still replay. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.#keys.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING, 'utf8'), [KEY_ID_METADATA]: Buffer.from(id, 'utf8') },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (id === undefined)
      throw new Error(`an encrypted payload has no ${KEY_ID_METADATA}: it was not written by this codec`);
    const key = this.#keys.byId.get(id);
    if (!key) {
      throw new Error(
        `a payload is encrypted with key id "${id}", which this process does not have: add that key to PAYLOAD_DECRYPTION_KEYS (id:base64)`,
      );
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < IV_BYTES + TAG_BYTES)
      throw new Error(`an encrypted payload (key id "${id}") is too short to be one: it was cut or altered`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error(
        `an encrypted payload (key id "${id}") failed authentication: it was altered, or key "${id}" is not the key it was encrypted with`,
      );
    }
    const { metadata, data } = temporal.api.common.v1.Payload.decode(plain);
    return { metadata, data };
  }
}

/** The codec the environment configures (payload-keys.ts), or undefined when PAYLOAD_ENCRYPTION_KEY is not set. */
export function payloadCodecFromEnv(env: NodeJS.ProcessEnv = process.env): AesGcmPayloadCodec | undefined {
  const keys = payloadKeysFromEnv(env);
  return keys && new AesGcmPayloadCodec(keys);
}

/**
 * The data converter every Temporal client and worker of the project uses: encrypting when PAYLOAD_ENCRYPTION_KEY
 * is set — payloads, and failure messages and stack traces too (failure-converter.ts) —, Temporal's default
 * otherwise (undefined). A malformed key is a UserError.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env);
  return codec && { payloadCodecs: [codec], failureConverterPath: require.resolve('./failure-converter') };
}

/** One line for a process's start-up log: whether payloads are encrypted, and under which key id (never the key). */
export function describePayloadEncryption(dataConverter: DataConverter | undefined): string {
  const codec = dataConverter?.payloadCodecs?.find((c): c is AesGcmPayloadCodec => c instanceof AesGcmPayloadCodec);
  return codec
    ? `payloads encrypted (key id ${codec.keyId})`
    : 'payloads not encrypted (PAYLOAD_ENCRYPTION_KEY not set)';
}
