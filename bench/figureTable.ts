// The table `npm run bench` prints: one line per figure (figure, value, target, met?, baseline/detail).
import { meetsTarget, type BenchFigure } from './BenchFigure.js';

function formatValue(figure: BenchFigure): string {
  if (figure.value === null) return 'not measured';
  const digits = figure.unit === 'ratio' ? 3 : figure.unit === 'req/s' ? 0 : figure.unit === 'B/APDU' ? 1 : 2;
  const number = figure.value.toFixed(digits);
  return figure.unit === 'ratio' ? number : `${number} ${figure.unit}`;
}

function formatTarget(figure: BenchFigure): string {
  if (figure.target === undefined) return '';
  return `${figure.target.op} ${figure.target.value}${figure.unit === 'ratio' ? '' : ` ${figure.unit}`}`;
}

function note(figure: BenchFigure): string {
  if (figure.value === null) return figure.notMeasured ?? 'no reason given';
  return [figure.baseline, figure.detail].filter((part) => part !== undefined && part !== '').join('; ');
}

export function formatFigureTable(figures: readonly BenchFigure[]): string {
  const headers = ['figure', 'value', 'target', 'met?', 'baseline / detail'];
  const rows = figures.map((figure) => {
    const met = meetsTarget(figure);
    return [figure.id, formatValue(figure), formatTarget(figure), met === null ? '–' : met ? 'yes' : 'NO', note(figure)];
  });
  const widths = headers.slice(0, 4).map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: readonly string[]) => cells.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  return [render(headers), render(widths.map((w) => '-'.repeat(w)).concat('-----------------')), ...rows.map(render)].join('\n');
}
