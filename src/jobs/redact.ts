/** Keys whose values never reach the store or the log (compare src/log.ts). */
const secretKeys = new Set([
  'pin', 'newpin', 'currentpin', 'mac', 'mac1', 'mac2', 'key', 'privatekey', 'issuerkey', 'token',
  'confirmationtoken', 'password', 'secret', 'authorization', 'apdu',
]);

/** A deep copy of `value` with every secret-named field replaced by '[redacted]'. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const copy: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      copy[name] = secretKeys.has(name.toLowerCase()) ? '[redacted]' : redactSecrets(inner);
    }
    return copy as T;
  }
  return value;
}
