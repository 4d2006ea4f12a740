/**
 * The canonical JSON of a metadata document's `signed` value: the bytes every signature covers (SPEC.md §3).
 * Objects with their keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace, strings as
 * `JSON.stringify` writes them, integers only (safe integers; no fraction, exponent or -0), no null. For this
 * subset the output equals RFC 8785 (JCS), so another implementation can reproduce the bytes.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new TypeError(`canonical JSON holds safe integers only, not ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold ${value === null ? 'null' : typeof value}`);
}

export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
