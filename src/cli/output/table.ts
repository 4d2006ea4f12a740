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

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * A run of Chinese characters as the pieces it may be broken into: the word boundaries of ICU's dictionary
 * (上次|诊断, 税控|收款机|故障|证明), a piece of one character kept with its neighbour (未诊断, never 未诊|断;
 * 已初始化, never 已初始|化). The dictionary is not perfect with names (深圳|市南|山区), so a column narrower
 * than a name may still break one there; never inside a dictionary word.
 */
function hanWords(run: string): string[] {
  const pieces: string[] = [];
  for (const { segment } of segmenter.segment(run)) {
    const last = pieces.at(-1);
    if (last !== undefined && ([...segment].length === 1 || [...last].length === 1)) pieces[pieces.length - 1] = last + segment;
    else pieces.push(segment);
  }
  return pieces;
}

/**
 * The pieces a cell may be broken into: after a space; after full-width punctuation that ends something (，：）)
 * and before an opening bracket; between the words of a long run of Chinese (hanWords); after - _ / : joining a word
 * to what follows (`registration-` `change`, `memory:` `1100…`, `0123-` `if00`). Never between two digits (a date
 * 2029-12-04, a time 14:05, a number), never inside a word, never before a closing or after an opening bracket.
 */
export function tokens(text: string): string[] {
  const base = text.split(/(?<=\s)|(?<=[，。；：、）」』】！？])(?![，。；：、）」』】！？])|(?<=\S)(?=[（「『【])|(?<=\p{L}[-_/:])(?=[\p{L}\p{N}])|(?<=\p{N}[-_/:])(?=\p{L})/u);
  return base.flatMap((piece) => {
    const out: string[] = [];
    let current = '';
    let last = 0;
    for (const match of piece.matchAll(/\p{Script=Han}+/gu)) {
      const words = hanWords(match[0]);
      current += piece.slice(last, match.index) + words[0]!;
      for (const word of words.slice(1)) {
        out.push(current);
        current = word;
      }
      last = match.index + match[0].length;
    }
    out.push(current + piece.slice(last));
    return out;
  }).filter((piece) => piece !== '');
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
