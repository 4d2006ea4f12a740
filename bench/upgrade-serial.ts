// Serial firmware upgrade (GB link 64 over 74, 75 compressed blocks; SPEC.md §5.8, §5.9, §10) from this process,
// the gateway side (SerialTransport, RegisterSession, writeImage, at the fastest rate both sides support: 70/71),
// to the register simulator running as its own process on the other end of a socat pty pair, the line modelled
// at that rate with the register's 2 ms turnaround and 8 ms per flash block write.
// - uncompressed: a 1 MiB image of random bytes; image bytes × 10 / baud over the time from the first begin to
//   the register's digest (64/04): the share of the line-rate limit the image moved at (the detail also gives the
//   blocks alone, without begin and the register hashing the image, about 64 ms for 1 MiB).
// - compressed: the first MiB of a compiled binary on this machine (node itself), the same ratio (above 1 when
//   the deflated blocks (75) carry more image than the line could raw).
// - 8 at once: 8 simulator processes on 8 ptys, 8 writes of 512 KiB together; wall time over one alone, same run.
// The daemon's RSS during an 8 MiB upgrade (upgrade.rss.8mib.ratio) is bench/upgrade-rss.ts: fiscald itself, not this process.
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { SerialTransport } from '../drivers/serial/SerialTransport.js';
import { withBulkBaud } from '../src/devices/bulkBaud.js';
import type { BorrowedDevice } from '../src/devices/DevicePort.js';
import { RegisterSession } from '../src/devices/RegisterSession.js';
import { writeImage, type WriteOutcome } from '../src/services/upgrade/writeImage.js';
import { socatMissingReason, startPtyPair, type PtyPair } from '../test/helpers/socat.js';
import { startSimulatorProcess, type SimulatorProcess } from '../test/integration/serial/simulatorProcess.js';
import { SimulatorProfileSchema } from '../fixtures/simulator/SimulatorProfile.js';
import { SimulatorTiming } from '../fixtures/simulator/SimulatorTiming.js';
import type { BenchFigure } from './BenchFigure.js';
import { firmwareLikeImage } from './serialRegisterDaemon.js';

const BAUD = 115_200;
const MIB = 1024 * 1024;

interface Register { pty: PtyPair; simulator: SimulatorProcess; session: RegisterSession }

async function startRegister(extra: readonly string[] = []): Promise<Register> {
  const pty = await startPtyPair();
  const simulator = await startSimulatorProcess(['--port', pty.b, '--baud', String(BAUD), '--seed', '5', ...extra], 60_000).catch(async (error: unknown) => {
    await pty.stop();
    throw error;
  });
  const session = await RegisterSession.open(new SerialTransport({ path: pty.a, baudRate: BAUD }), { deviceId: 'bench' });
  return { pty, simulator, session };
}

async function stopRegister(register: Register): Promise<void> {
  await register.session.close().catch(() => undefined);
  await register.simulator.stop();
  await register.pty.stop();
}

interface Run { seconds: number; baud: number; outcome: WriteOutcome; bytes: number; blockSeconds: number }

/** One transfer at the bulk rate: begin … verify; the time counts from the first begin (after the rate switch). */
async function upgradeOnce(register: Register, image: Uint8Array, compress: boolean): Promise<Run> {
  const { session } = register;
  const model = (await session.factoryData()).model;
  const device = { id: 'bench', session, reattach: () => Promise.reject(new Error('the bench has no registry')) } as unknown as BorrowedDevice;
  const sha256 = createHash('sha256').update(image).digest('hex');
  return withBulkBaud(session, async () => {
    const baud = session.transport.lineRate?.baudRate ?? BAUD;
    const started = process.hrtime.bigint();
    // From the answer to 64/01 to the last block's answer: the blocks alone, without begin and the register's hashing (64/04).
    let firstWritten: bigint | undefined;
    let lastWritten = started;
    const written = () => {
      lastWritten = process.hrtime.bigint();
      firstWritten ??= lastWritten;
    };
    const outcome = await writeImage(device, { image, sha256, version: '9.9.9', model }, { written, away: () => Promise.reject(new Error('cut')) }, new AbortController().signal, { compress });
    const blockSeconds = Number(lastWritten - (firstWritten ?? started)) / 1e9;
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, baud, outcome, bytes: image.length, blockSeconds };
  });
}

const ratio = (run: Run) => (run.bytes * 10) / run.baud / run.seconds;

/**
 * The best ratio the modelled register allows for a raw image (no host or simulator time at all): every frame of
 * every block on the line (blocks of 64/01's max block in counted 74s, 255-byte frames), the 8 ms flash write per
 * block before its answer, begin's turnaround and the 64/04 digest at 1 ms per 16 KiB (the simulator's defaults).
 */
function modelledCeiling(bytes: number, baud: number): number {
  const profile = SimulatorProfileSchema.parse({});
  const timing = SimulatorTiming.parse({});
  // A frame: 7 bytes around at most 248 of PARAMS or DATA (a command's header, an answer's about the same).
  const frameBytes = (payload: number) => payload + 7 * Math.max(1, Math.ceil(payload / 248));
  // 64/01 begin (sub, size, SHA-256, version, model) and its answer; 64/04 and the digest.
  let lineBytes = frameBytes(1 + 4 + 32 + 3 + 20) + frameBytes(6) + frameBytes(1) + frameBytes(32);
  let blocks = 0;
  for (let offset = 0; offset < bytes; offset += profile.firmwareMaxBlock, blocks++) {
    // Counted 74 header, 64/02 sub and offset, the block; its answer, received u32.
    lineBytes += frameBytes(4 + 1 + 4 + Math.min(profile.firmwareMaxBlock, bytes - offset)) + frameBytes(4);
  }
  const seconds = (lineBytes * 10) / baud + (timing.turnaroundMs + blocks * timing.flashWriteMs + bytes / 16_384) / 1000;
  return (bytes * 10) / baud / seconds;
}

async function lineFigures(): Promise<BenchFigure[]> {
  const register = await startRegister();
  try {
    const raw = await upgradeOnce(register, Uint8Array.from(randomBytes(MIB)), false);
    const image = firmwareLikeImage(MIB);
    const compressed = await upgradeOnce(register, image, true);
    const detail = (run: Run) => `${run.bytes} B in ${run.seconds.toFixed(2)} s at ${run.baud} baud (the blocks alone ${run.blockSeconds.toFixed(2)} s: `
      + `${((run.bytes * 10) / run.baud / run.blockSeconds).toFixed(3)}); block bytes on the line ${run.outcome.detail.blockBytes}`
      + ` (${run.outcome.detail.compressedBlocks} deflated, ${run.outcome.detail.rawBlocks} raw blocks)`;
    return [{
      id: 'upgrade.serial.1mib.ratio', label: 'Serial upgrade of a 1 MiB random image at the fastest rate, image bytes over the line-rate limit (uncompressed)',
      value: ratio(raw), unit: 'ratio', target: { op: '>=', value: 0.95 }, baseline: `line-rate limit ${raw.baud}/10 B/s`,
      detail: `${detail(raw)}; the modelled register's ceiling ${modelledCeiling(raw.bytes, raw.baud).toFixed(3)} (frames, flash writes, digest; no host time)`,
    }, {
      id: 'upgrade.serial.compressed.ratio', label: 'Serial upgrade of the first MiB of the node binary with compressed blocks (75), image bytes per second over the line-rate limit',
      value: ratio(compressed), unit: 'ratio', target: { op: '>=', value: 1.3 }, baseline: `line-rate limit ${compressed.baud}/10 B/s; uncompressed ${ratio(raw).toFixed(3)}`, detail: detail(compressed),
    }];
  } finally {
    await stopRegister(register);
  }
}

async function parallelFigure(count = 8, size = MIB / 2): Promise<BenchFigure> {
  const registers: Register[] = [];
  try {
    for (let i = 0; i < count; i++) registers.push(await startRegister());
    const image = Uint8Array.from(randomBytes(size));
    const one = await upgradeOnce(registers[0]!, image, false);
    const images = registers.map(() => Uint8Array.from(randomBytes(size)));
    const started = process.hrtime.bigint();
    const runs = await Promise.all(registers.map((register, i) => upgradeOnce(register, images[i]!, false)));
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      id: 'upgrade.concurrent.8.ratio', label: `${count} registers upgraded at once on ${count} ptys (${size / 1024} KiB each, uncompressed), wall time over one alone`,
      value: wall / one.seconds, unit: 'ratio', target: { op: '<=', value: 1.2 },
      baseline: `one alone ${one.seconds.toFixed(2)} s (ratio to the line ${ratio(one).toFixed(3)})`,
      detail: `${count} together ${wall.toFixed(2)} s; slowest ${Math.max(...runs.map((r) => r.seconds)).toFixed(2)} s`,
    };
  } finally {
    for (const register of registers) await stopRegister(register);
  }
}

export async function figures(): Promise<BenchFigure[]> {
  const missing = socatMissingReason();
  if (missing !== undefined) {
    return ['upgrade.serial.1mib.ratio', 'upgrade.serial.compressed.ratio', 'upgrade.concurrent.8.ratio']
      .map((id) => ({ id, label: 'serial upgrade over a pty', value: null, unit: 'ratio' as const, notMeasured: missing }));
  }
  const only = process.env.BENCH_UPGRADE_ONLY;
  const out: BenchFigure[] = [];
  if (only === undefined || only === 'line') out.push(...await lineFigures());
  if (only === undefined || only === 'parallel') out.push(await parallelFigure());
  return out;
}

export async function main(): Promise<void> {
  if (process.env.BENCH_FIGURES_JSON === '1') {
    console.log(JSON.stringify(await figures()));
    return;
  }
  for (const f of await figures()) {
    console.log(`   ${f.id}: ${f.value === null ? `not measured (${f.notMeasured})` : f.value.toFixed(3)} — ${f.label}; ${f.baseline ?? ''}; ${f.detail ?? ''}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
