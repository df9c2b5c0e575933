// Okta event hooks carry one static secret header and no signature, so the header is the whole authentication.
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
