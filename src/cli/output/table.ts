/** How wide fiscalctl's tables may be: they stay readable on a 100-column terminal. */
export const TABLE_WIDTH = 100;

function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3)
    || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60)
    || (code >= 0xffe0 && code <= 0xffe6);
}

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0)!) ? 2 : 1;
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(width - displayWidth(text), 0));
}

/**
 * Lines of at most `width` columns: broken after a space, or after - _ / : , inside names and codes
 * (`registration-` `change`), where it can; inside a word (or between CJK characters) where it must.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => { lines.push(line.trimEnd()); line = ''; };
  for (const word of text.split(/(?<=[ \-_/:,])/)) {
    if (displayWidth(line + word.trimEnd()) <= width) {
      line += word;
      continue;
    }
    if (line.trim() !== '') push();
    for (const char of word) {
      if (displayWidth(line + char) > width && line !== '') push();
      if (!(line === '' && char === ' ')) line += char;
    }
  }
  if (line.trim() !== '' || lines.length === 0) push();
  return lines;
}

export interface TableOptions {
  /** Total width the table may take (TABLE_WIDTH). */
  readonly maxWidth?: number;
  /** Columns that are never wrapped (ids someone copies into the next command). */
  readonly keep?: readonly number[];
  /** A line under a row (an error, say), indented and wrapped to the full width: rows stay narrow. */
  readonly notes?: readonly (string | null | undefined)[];
}

/**
 * A plain aligned table with a header row; empty cells show as "-". When it would be wider than `maxWidth`,
 * the widest columns not in `keep` are narrowed and their cells wrapped onto more lines.
 */
export function renderTable(
  headers: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[], options: TableOptions = {},
): string {
  const maxWidth = options.maxWidth ?? TABLE_WIDTH;
  const keep = new Set(options.keep ?? []);
  const cells = rows.map((row) => headers.map((_, i) => {
    const cell = row[i];
    return cell === null || cell === undefined || cell === '' ? '-' : String(cell).replace(/\s*[\r\n]+\s*/g, ' ');
  }));
  const widths = headers.map((header, i) => Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[i]!))));
  const floor = headers.map((header) => Math.max(displayWidth(header), 6));
  const total = () => widths.reduce((sum, width) => sum + width, 0) + 2 * (headers.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i += 1) {
      if (!keep.has(i) && widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]! -= 1;
  }
  const render = (row: readonly string[]) => {
    const wrapped = row.map((cell, i) => (keep.has(i) ? [cell] : wrapText(cell, widths[i]!)));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, line) => wrapped
      .map((lines, i) => (i === row.length - 1 ? lines[line] ?? '' : pad(lines[line] ?? '', widths[i]!)))
      .join('  ').trimEnd());
  };
  const note = (index: number) => {
    const text = options.notes?.[index];
    return text ? wrapText(text, maxWidth - 4).map((line) => `    ${line}`) : [];
  };
  return [...render(headers), ...cells.flatMap((row, index) => [...render(row), ...note(index)])].join('\n') + '\n';
}
