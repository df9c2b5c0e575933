// The payload encryption keys, read from the environment:
//   PAYLOAD_ENCRYPTION_KEY      base64 of 32 random bytes (`openssl rand -base64 32`): encrypts, and decrypts its id
//   PAYLOAD_ENCRYPTION_KEY_ID   the id stored beside every payload it encrypts (default "default")
//   PAYLOAD_DECRYPTION_KEYS     `id:base64,id:base64`: earlier keys, still needed to read histories they encrypted
// Errors name the variable and the key id, never a key: they end up in logs and terminals.
import { UserError } from './errors';

const KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Ids travel in every payload's metadata and in error messages: short and plain. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const HOW = 'it must be the base64 of 32 random bytes (for example `openssl rand -base64 32`)';

export interface PayloadKeys {
  /** The key new payloads are encrypted with. */
  current: { id: string; key: Buffer };
  /** Every key payloads may have been encrypted with, by id (the current one included). */
  byId: ReadonlyMap<string, Buffer>;
}

function keyId(value: string, where: string): string {
  if (!KEY_ID.test(value))
    throw new UserError(`${where}: key id "${value}" may only hold letters, digits, ".", "_" and "-" (at most 64)`);
  return value;
}

function key(value: string, what: string): Buffer {
  const text = value.trim();
  if (!BASE64.test(text) || text.length % 4 !== 0) throw new UserError(`${what} is not base64: ${HOW}`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== KEY_BYTES)
    throw new UserError(`${what} is ${bytes.length} bytes long, not ${KEY_BYTES}: ${HOW}`);
  return bytes;
}

/** Empty counts as unset: docker compose's `${VAR:-}` passes an empty string for a variable nobody set. */
function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function oldKeys(list: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .forEach((entry, i) => {
      // Base64 has no ":", so the first one ends the id. The entry itself holds a key: never echoed.
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new UserError(`PAYLOAD_DECRYPTION_KEYS entry ${i + 1} is not id:base64`);
      const id = keyId(entry.slice(0, colon), 'PAYLOAD_DECRYPTION_KEYS');
      const bytes = key(entry.slice(colon + 1), `PAYLOAD_DECRYPTION_KEYS key "${id}"`);
      if (keys.has(id) && !keys.get(id)!.equals(bytes))
        throw new UserError(`PAYLOAD_DECRYPTION_KEYS gives key id "${id}" two different keys`);
      keys.set(id, bytes);
    });
  return keys;
}

/** The keys the environment configures, or undefined when encryption is off (PAYLOAD_ENCRYPTION_KEY unset). */
export function payloadKeysFromEnv(env: NodeJS.ProcessEnv = process.env): PayloadKeys | undefined {
  const encryptionKey = setting(env, 'PAYLOAD_ENCRYPTION_KEY');
  const decryptionKeys = setting(env, 'PAYLOAD_DECRYPTION_KEYS');
  if (encryptionKey === undefined) {
    // Old keys alone would read encrypted histories but write new ones in plain text: surely not what was meant.
    if (decryptionKeys !== undefined)
      throw new UserError('PAYLOAD_DECRYPTION_KEYS is set but PAYLOAD_ENCRYPTION_KEY is not: set the current key too');
    return undefined;
  }
  const id = keyId(setting(env, 'PAYLOAD_ENCRYPTION_KEY_ID') ?? 'default', 'PAYLOAD_ENCRYPTION_KEY_ID');
  const current = { id, key: key(encryptionKey, 'PAYLOAD_ENCRYPTION_KEY') };
  const byId = decryptionKeys === undefined ? new Map<string, Buffer>() : oldKeys(decryptionKeys);
  const clash = byId.get(id);
  if (clash && !clash.equals(current.key))
    throw new UserError(`PAYLOAD_DECRYPTION_KEYS gives key id "${id}" another key than PAYLOAD_ENCRYPTION_KEY`);
  byId.set(id, current.key);
  return { current, byId };
}
