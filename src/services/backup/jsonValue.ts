/**
 * JSON for decoded records: byte arrays become lower-case hex strings, bigints decimal strings,
 * dates ISO strings. A record written this way reads back as plain JSON without a custom parser.
 */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Uint8Array) return Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('hex');
    if (typeof item === 'bigint') return item.toString();
    if (item instanceof Map) return Object.fromEntries(item);
    if (item instanceof Set) return [...item];
    return item;
  });
}
