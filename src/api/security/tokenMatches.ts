import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented bearer token with the daemon's in constant time (over fixed-length digests). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}
