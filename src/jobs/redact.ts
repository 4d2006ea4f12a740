import { secretFieldNames } from '../log.js';

const secretKeys = new Set(secretFieldNames.map((name) => name.toLowerCase()));

/** A deep copy of `value` with every secret-named field (src/log.ts `secretFieldNames`, any case) replaced by '[redacted]'. */
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
