import { hash, timingSafeEqual } from 'node:crypto';

// One-shot: createHash().update().digest() makes a Hash object per call, about a third more per request.
const digestOf = (value: string): Buffer => hash('sha256', value, 'buffer');

/** Compares a presented bearer token with the daemon's in constant time (over fixed-length digests). */
export function tokenMatches(presented: string, expected: string): boolean {
  return tokenMatcher(expected)(presented);
}

/** `tokenMatches` against one expected token whose digest is taken once (the guard runs it on every request). */
export function tokenMatcher(expected: string): (presented: string) => boolean {
  const b = digestOf(expected);
  return (presented) => timingSafeEqual(digestOf(presented), b) && presented.length === expected.length;
}
