/** The `sha256sum` text format (`<64 hex>  <path>` per line), written and read. */
export function renderSha256Sums(entries: readonly { path: string; sha256: string }[]): string {
  return entries.map((entry) => `${entry.sha256}  ${entry.path}\n`).join('');
}

/** Parses a `sha256sum` file; `undefined` when any line is not in the format. */
export function parseSha256Sums(text: string): Map<string, string> | undefined {
  const sums = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match === null || sums.has(match[2])) return undefined;
    sums.set(match[2], match[1]);
  }
  return sums;
}
