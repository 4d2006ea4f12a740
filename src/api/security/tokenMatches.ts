import { createHash, timingSafeEqual } from 'node:crypto';

const digestOf = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares a presented bearer token with the daemon's in constant time (over fixed-length digests). */
export function tokenMatches(presented: string, expected: string): boolean {
  return tokenMatcher(expected)(presented);
}

/** `tokenMatches` against one expected token whose digest is taken once (the guard runs it on every request). */
export function tokenMatcher(expected: string): (presented: string) => boolean {
  const b = digestOf(expected);
  return (presented) => timingSafeEqual(digestOf(presented), b) && presented.length === expected.length;
}
