import stringWidth from 'string-width';

/** How wide fiscalctl's tables may be when stdout is not a terminal (a pipe, a file, a test). */
export const TABLE_WIDTH = 100;

let defaultWidth = TABLE_WIDTH;

/** runCli sets this once per invocation: the terminal's columns, or TABLE_WIDTH when stdout is not a terminal. */
export function setTableWidth(columns: number | undefined): void {
  defaultWidth = columns !== undefined && Number.isInteger(columns) && columns >= 40 ? columns : TABLE_WIDTH;
}

export function tableWidth(): number {
  return defaultWidth;
}

/** Display width in terminal columns (CJK and full-width characters take two), by string-width. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(width - displayWidth(text), 0));
}

/**
 * The pieces a cell may be broken into: after a space; between two Chinese characters; after - _ / : joining a word
 * to what follows (`registration-` `change`, `memory:` `1100…`, `0123-` `if00`). Never between two digits (a date
 * 2029-12-04, a time 14:05, a number), never inside a word, never before a closing or after an opening bracket.
 */
export function tokens(text: string): string[] {
  return text.split(/(?<=\s)|(?<=\p{Script=Han})(?=\p{Script=Han})|(?<=\p{L}[-_/:])(?=[\p{L}\p{N}])|(?<=\p{N}[-_/:])(?=\p{L})/u).filter((piece) => piece !== '');
}

/** The narrowest a column can be without breaking a token. */
function longestToken(text: string): number {
  return Math.max(0, ...tokens(text).map((piece) => displayWidth(piece.trimEnd())));
}

/**
 * The narrowest when even that is too wide for the terminal: a long word of letters alone may then be cut (at 8
 * columns or more), never a token holding a digit (a date, a time, an amount, a number, an id) or a bracket.
 */
function longestUncuttable(text: string): number {
  return Math.max(0, ...tokens(text).map((piece) => {
    const width = displayWidth(piece.trimEnd());
    return /^[\p{L}]+[-_/:]?$/u.test(piece.trimEnd()) && !/\p{Script=Han}/u.test(piece) ? Math.min(width, 8) : width;
  }));
}

/**
 * Lines of at most `width` columns, broken only between tokens; a token wider than `width` (renderTable never asks
 * for one) is cut where it must.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => { lines.push(line.trimEnd()); line = ''; };
  for (const word of tokens(text)) {
    if (displayWidth(line + word.trimEnd()) <= width) {
      line += word;
      continue;
    }
    if (line.trim() !== '') push();
    if (displayWidth(word.trimEnd()) <= width) {
      line = word.trimStart();
      continue;
    }
    for (const char of word) {
      if (displayWidth(line + char) > width && line !== '') push();
      if (!(line === '' && char === ' ')) line += char;
    }
  }
  if (line.trim() !== '' || lines.length === 0) push();
  return lines;
}

export interface TableOptions {
  /** Total width the table may take (the terminal's width, see setTableWidth). */
  readonly maxWidth?: number;
  /** Columns that are never wrapped (ids someone copies into the next command). */
  readonly keep?: readonly number[];
  /** A line under a row (an error, say), indented and wrapped to the full width: rows stay narrow. */
  readonly notes?: readonly (string | null | undefined)[];
}

/**
 * A plain aligned table with a header row; empty cells show as "-". When it would be wider than `maxWidth`,
 * the widest columns not in `keep` are narrowed and their cells wrapped onto more lines, between tokens only: no
 * column gets narrower than its longest token (so a table of long ids may stay wider than `maxWidth`).
 */
export function renderTable(
  headers: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[], options: TableOptions = {},
): string {
  const maxWidth = options.maxWidth ?? tableWidth();
  const keep = new Set(options.keep ?? []);
  const cells = rows.map((row) => headers.map((_, i) => {
    const cell = row[i];
    return cell === null || cell === undefined || cell === '' ? '-' : String(cell).replace(/\s*[\r\n]+\s*/g, ' ');
  }));
  const widths = headers.map((header, i) => Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[i]!))));
  const floorBy = (longest: (text: string) => number) => headers.map((header, i) => Math.max(
    longest(header), Math.min(6, widths[i]!), ...cells.map((row) => (keep.has(i) ? displayWidth(row[i]!) : longest(row[i]!))),
  ));
  const gaps = 2 * (headers.length - 1);
  const whole = floorBy(longestToken);
  const floor = whole.reduce((sum, width) => sum + width, gaps) <= maxWidth ? whole : floorBy(longestUncuttable);
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
