// `npm run bench`: runs every benchmark in this folder, one after another, collects the figures each exports
// (`figures(): Promise<BenchFigure[]>`, bench/BenchFigure.ts) and prints them as one table, or as one JSON
// document with `--json`. `--only WORD` (repeatable; bare words too) keeps the files whose name contains a word.
// A file that exports only `main()` is run for its printout and listed as giving no figures; figures owed by a
// file that is not written yet are listed as not measured, with that reason, never made up.
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { meetsTarget, type BenchFigure } from './BenchFigure.js';
import { formatFigureTable } from './figureTable.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Figures other benchmark files owe (issue 15), shown as not measured while the file does not exist. */
const owed: Record<string, BenchFigure[]> = {
  'upgrade-serial.ts': [
    { id: 'upgrade.serial.1mib.ratio', label: 'serial upgrade payload over the line-rate limit, 1 MiB', value: null, unit: 'ratio', target: { op: '>=', value: 0.95 }, notMeasured: 'bench/upgrade-serial.ts is not written yet' },
    { id: 'upgrade.concurrent.8.ratio', label: '8 concurrent upgrades, wall time over one', value: null, unit: 'ratio', target: { op: '<=', value: 1.2 }, notMeasured: 'bench/upgrade-serial.ts is not written yet' },
  ],
  'upgrade-rss.ts': [
    { id: 'upgrade.rss.8mib.ratio', label: 'daemon RSS growth during an 8 MiB upgrade over the image size', value: null, unit: 'ratio', target: { op: '<', value: 2 }, notMeasured: 'bench/upgrade-rss.ts is not written yet' },
  ],
  'upgrade-card.ts': [
    { id: 'upgrade.card.apdu.ratio', label: 'IC-card upgrade payload bytes per APDU over the APDU maximum', value: null, unit: 'ratio', target: { op: '>=', value: 0.94 }, notMeasured: 'bench/upgrade-card.ts is not written yet' },
  ],
};

/** Files here that are helpers, not benchmarks. */
const helpers = new Set(['all.ts', 'BenchFigure.ts', 'figureTable.ts', 'daemonProcess.ts']);

interface FileModule { figures?: () => Promise<BenchFigure[]>; main?: () => Promise<void> }

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false }, only: { type: 'string', multiple: true, default: [] }, help: { type: 'boolean', short: 'h', default: false } },
});
if (values.help) {
  console.log('usage: npm run bench -- [--json] [--only WORD]... [WORD]...\n  runs bench/*.ts (each file whose name contains a WORD), prints one table of figures, or JSON with --json');
  process.exit(0);
}
const words = [...values.only, ...positionals];
const wanted = (name: string) => words.length === 0 || words.some((word) => name.includes(word));
const present = readdirSync(here).filter((name) => name.endsWith('.ts') && !helpers.has(name)).sort();
const scripts = present.filter(wanted);

// In JSON mode stdout carries the document alone: whatever a benchmark prints goes to stderr.
const print = console.log;
if (values.json) console.log = (...args: unknown[]) => console.error(...args);

const started = new Date();
const figures: (BenchFigure & { file: string })[] = [];
let failed = 0;
for (const name of scripts) {
  console.error(`== ${name}`);
  const t0 = performance.now();
  try {
    const module = (await import(pathToFileURL(join(here, name)).href)) as FileModule;
    if (typeof module.figures === 'function') {
      for (const figure of await module.figures()) figures.push({ ...figure, file: name });
    } else if (typeof module.main === 'function') {
      await module.main();
      figures.push({ file: name, id: `${name.replace(/\.ts$/, '')}.printout`, label: `${name}: printed above`, value: null, unit: 'ratio', notMeasured: `${name} exports no figures() yet; its main() printed its own lines` });
    }
  } catch (error) {
    failed += 1;
    const message = (error instanceof Error ? error.message : String(error)).split('\n').filter((line) => line.trim() !== '').slice(0, 2).join(' ');
    console.error(`   ${name} failed:`, error);
    figures.push({ file: name, id: `${name.replace(/\.ts$/, '')}.failed`, label: `${name} did not finish`, value: null, unit: 'ratio', notMeasured: `failed: ${message}` });
  }
  console.error(`   ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
for (const [file, owedFigures] of Object.entries(owed)) {
  if (present.includes(file) || !wanted(file)) continue;
  for (const figure of owedFigures) figures.push({ ...figure, file });
}

const machine = { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: (await import('node:os')).loadavg().map((n) => Number(n.toFixed(1))) };
if (values.json) {
  print(JSON.stringify({
    startedAt: started.toISOString(), machine,
    figures: figures.map((figure) => ({ ...figure, met: meetsTarget(figure) })),
    failed,
  }, null, 2));
} else {
  print(formatFigureTable(figures));
  print(`\n${machine.nproc} × ${machine.cpu}, Node ${machine.node}, load average ${machine.loadAverage.join(' ')} at the end`);
}
process.exit(failed === 0 ? 0 : 1);
