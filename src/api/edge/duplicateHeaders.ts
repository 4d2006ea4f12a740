/**
 * Headers a request may carry once: Node keeps the first Host and Authorization and joins repeated Cookie,
 * X-CSRF-Token, X-Operator and Idempotency-Key values, so a proxy or client that sends two could be read
 * one way by us and another way by whatever sits in front. They are refused instead.
 */
export const SINGLE_HEADERS: readonly string[] = ['host', 'authorization', 'cookie', 'x-csrf-token', 'origin', 'x-operator', 'idempotency-key'];

/** The first of SINGLE_HEADERS that `rawHeaders` (name, value, name, value…) holds more than once. */
export function duplicatedHeader(rawHeaders: readonly string[]): string | undefined {
  let seen = 0; // bit i: SINGLE_HEADERS[i] met once (runs on every request: no Set per request)
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const index = SINGLE_HEADERS.indexOf(rawHeaders[i]!.toLowerCase());
    if (index === -1) continue;
    const bit = 1 << index;
    if ((seen & bit) !== 0) return SINGLE_HEADERS[index];
    seen |= bit;
  }
  return undefined;
}
