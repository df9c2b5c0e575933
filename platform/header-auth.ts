// A static secret header, as the whole authentication: Okta event hooks (receiver/) carry one and no signature,
// and the codec server (platform/codec-server.ts) takes one from the Web UI.
// Compared in constant time: equal-length buffers through timingSafeEqual, with both sides hashed first so the
// comparison length never depends on (or reveals) the secret's length.
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function headerMatches(received: string | string[] | undefined, expected: string): boolean {
  // A repeated header is ambiguous: refuse rather than guess which copy Okta meant.
  if (typeof received !== 'string') return false;
  return timingSafeEqual(digest(received), digest(expected));
}
