// Okta-looking ids: a 3-character type prefix (00u users, 00g groups, who event hooks) and 17 base62 characters,
// 20 in all. Prefixes are a convention, not a contract, but they make emulator data read like the real thing.
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function base62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export const newUserId = (): string => `00u${base62(17)}`;
export const newGroupId = (): string => `00g${base62(17)}`;
export const newHookId = (): string => `who${base62(17)}`;
/** Okta request ids and transaction ids are opaque 27-character strings. */
export const newRequestId = (): string => base62(27);
export const newErrorId = (): string => `oae${base62(22)}`;
export const newChallenge = (): string => base62(40);
export const newUuid = (): string => randomUUID();
