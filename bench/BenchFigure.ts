// One measured figure of `npm run bench`: a ratio against a limit or a baseline measured in the same run, or a
// quantity that carries its baseline. `value: null` means not measured, and `notMeasured` says why; a figure is
// never made up. Each benchmark file exports `figures(): Promise<BenchFigure[]>` (and may keep `main()` for
// running it alone); bench/all.ts prints them as one table, or JSON with `--json`.
export interface BenchTarget {
  /** How value must compare with the target's value to meet it. */
  op: '>=' | '<=' | '<';
  value: number;
}

export interface BenchFigure {
  /** Stable key, e.g. `upgrade.serial.1mib.ratio`. */
  id: string;
  /** What is measured, in English, one line. */
  label: string;
  value: number | null;
  unit: 'ratio' | 'ms' | 's' | 'MB' | 'req/s' | 'B/APDU';
  target?: BenchTarget;
  /** What the ratio is against, or the baseline measured in the same run, with its figure. */
  baseline?: string;
  /** Why the figure is null. */
  notMeasured?: string;
  /** Supporting figures (bytes, seconds, rates) for the note. */
  detail?: string;
}

export function meetsTarget(figure: BenchFigure): boolean | null {
  if (figure.value === null || figure.target === undefined) return null;
  const { op, value } = figure.target;
  return op === '>=' ? figure.value >= value : op === '<=' ? figure.value <= value : figure.value < value;
}
