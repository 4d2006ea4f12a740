// fiscald's resident set size once idle with --simulate=2 (both registers online, then left alone a few seconds),
// read from /proc/PID/status; the same run's baseline is a bare fastify process's RSS, read the same way.
import { pathToFileURL } from 'node:url';
import type { BenchFigure } from './BenchFigure.js';
import { fiscaldBinUsed } from './binUsed.js';
import { rssMb, startBareServer, startTimedDaemon } from './daemonProcess.js';

const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5000);

export async function figures(): Promise<BenchFigure[]> {
  const used = fiscaldBinUsed();
  const bare = await startBareServer();
  const daemon = await startTimedDaemon({ simulate: 2 });
  try {
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const samples: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      samples.push(rssMb(daemon.pid));
      await new Promise((r) => setTimeout(r, 200));
    }
    const idle = Math.max(...samples);
    return [{
      id: 'rss.idle.mb', label: `fiscald --simulate=2 resident set size, idle ${IDLE_MS / 1000} s after both registers came online`,
      value: idle, unit: 'MB', target: { op: '<', value: 100 },
      baseline: `bare fastify process ${rssMb(bare.pid).toFixed(1)} MB`,
      detail: `${used}; highest of 5 samples over 1 s (${samples.map((s) => s.toFixed(1)).join(' ')})`,
    }];
  } finally {
    await daemon.stop();
    await bare.stop();
  }
}

export async function main(): Promise<void> {
  for (const f of await figures()) console.log(`   ${f.id}: ${f.value?.toFixed(1)} MB (${f.detail}); ${f.baseline}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
