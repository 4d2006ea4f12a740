import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { FrameDecoder, answerPackets, encodeOkFrame, type InvoiceRecord } from '../../../protocols/gb-link/index.js';
import { COUNTED_FLAG, WINDOWED_TRANSFER, countedWindowedParams } from '../../../protocols/gb-link/window.js';
import { commandPackets } from '../../../protocols/gb-link/packets.js';
import { systemClock } from '../../../fixtures/simulator/SimulatorClock.js';
import { createSimulatedRegister, type SimulatedRegister, type SimulatedRegisterOptions } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { capabilitiesHandler } from '../../../fixtures/simulator/commands/identityCommands.js';
import { standardCommands } from '../../../fixtures/simulator/commands/index.js';
import type { FaultInput } from '../../../fixtures/simulator/faults.js';
import { RegisterSession, type RegisterSessionOptions } from '../../../src/devices/RegisterSession.js';
import { FrameChannel } from '../../../src/devices/session/FrameChannel.js';
import { exchange } from '../../../src/devices/session/exchange.js';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';

/** The host's end of the line, counting the 74 (windowed) command frames the host sends. */
function spied(transport: ByteTransport): { transport: ByteTransport; windowedFrames: () => number } {
  const decoder = new FrameDecoder('to-register');
  let windowed = 0;
  const write = transport.write.bind(transport);
  transport.write = async (bytes: Uint8Array) => {
    for (const frame of decoder.push(bytes)) if (frame.kind === 'command' && frame.cmd === WINDOWED_TRANSFER) windowed++;
    return write(bytes);
  };
  return { transport, windowedFrames: () => windowed };
}

const opened: { sim: SimulatedRegister; session: RegisterSession }[] = [];
afterEach(async () => {
  for (const { sim, session } of opened.splice(0)) {
    await session.close();
    await sim.close();
  }
});

async function setup(options: SimulatedRegisterOptions, sessionOptions: RegisterSessionOptions = {}) {
  const sim = await createSimulatedRegister({ history: { days: 12, invoicesPerDay: 12 }, seed: 5, ...options });
  const spy = spied(sim.transport);
  const session = await RegisterSession.open(spy.transport, {
    deviceId: 'sim', replyTimeoutMs: 400, interByteGapMs: 20, settleMs: 30, retries: 3, packetRetries: 4, ...sessionOptions,
  });
  opened.push({ sim, session });
  await session.capabilities();
  return { sim, session, windowedFrames: spy.windowedFrames };
}

async function readAll(session: RegisterSession): Promise<InvoiceRecord[]> {
  const count = (await session.recordCounts()).invoices;
  const all: InvoiceRecord[] = [];
  for await (const page of session.invoicesByIndex({ from: 1, count }, { pageSize: 256 })) all.push(...page);
  return all;
}

function expectEachOnce(records: readonly InvoiceRecord[], count: number): void {
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
}

/** Same register, 70 without 74: the host must stay with stop-and-wait. */
const without74 = capabilitiesHandler(() => standardCommands.map((h) => h.code).filter((code) => code !== WINDOWED_TRANSFER));

describe('windowed bulk transfer, host and simulator (SPEC.md §10)', () => {
  it('reads the history windowed when 70 lists 74, the same records as stop-and-wait with a register that does not', async () => {
    const windowed = await setup({ timing: { timed: false } });
    const plain = await setup({ timing: { timed: false }, handlers: [without74] });
    const a = await readAll(windowed.session);
    const b = await readAll(plain.session);
    expect(windowed.windowedFrames()).toBeGreaterThan(0);
    expect(plain.windowedFrames()).toBe(0);
    expectEachOnce(a, (await windowed.session.recordCounts()).invoices);
    expect(a).toEqual(b);
    expect(windowed.sim.simulator.windowedStats.resentBytes).toBe(0);
  });

  it('lets one NP stand for several packets when they are already waiting to be read (SPEC.md §10.2)', async () => {
    const { host, device } = createMemoryTransportPair('memory:coalesce');
    await host.open();
    await device.open();
    const channel = new FrameChannel(host, 20);
    channel.transferWindow = 16;
    const data = Uint8Array.from({ length: 8 * 249 + 10 }, (_, i) => i & 0xff);
    const packets = answerPackets(data).map((p) => encodeOkFrame(p.pkt, p.data));
    const acks: number[] = [];
    const decoder = new FrameDecoder('to-register');
    device.onData((bytes) => {
      for (const frame of decoder.push(bytes)) {
        // All eight non-final packets in one write: the host finds seven of them waiting.
        if (frame.kind === 'command') void device.write(Buffer.concat(packets.slice(0, 8)));
        if (frame.kind === 'next') {
          acks.push(frame.pkt);
          if (frame.pkt === 8) void device.write(packets[8]!);
        }
      }
    });
    const timing = { replyTimeoutMs: 500, busyLimitMs: 2000, packetRetries: 2, maxMessage: 1 << 20 };
    const outcome = await exchange(channel, 0x3f, Uint8Array.of(0, 0, 0, 1, 1, 0), timing);
    expect(outcome.kind === 'ok' && Buffer.from(outcome.data).equals(data)).toBe(true);
    expect(acks).toEqual([4, 8]);
    channel.detach();
    await host.close();
    await device.close();
  });

  it('takes a windowed answer of more than 255 packets whole, its numbers wrapping, with packets lost on both sides of the wrap', async () => {
    const { sim, session } = await setup({ timing: { timed: false }, history: { days: 45, invoicesPerDay: 25 } });
    const count = (await session.recordCounts()).invoices;
    expect(count * 68 + 4).toBeGreaterThan(256 * 249);
    // Packet 255 and the second packet 1 of the one big answer are hit (answer bytes counted from here; 255 B a packet).
    sim.simulator.setFaults({ faults: [{ kind: 'drop', direction: 'tx', at: [254 * 255 + 40, 255 * 255 + 40] }] });
    const records: InvoiceRecord[] = [];
    for await (const page of session.invoicesByIndex({ from: 1, count }, { pageSize: count })) records.push(...page);
    expectEachOnce(records, count);
    expect(sim.simulator.faults.counters.dropped).toBe(2);
    expect(sim.simulator.windowedStats.resentBytes).toBe(2 * 255);
  });

  it('keeps stop-and-wait with a register whose firmware lacks 74 (profile no-74: not listed, ER 20 if sent)', async () => {
    const { session, windowedFrames } = await setup({ timing: { timed: false }, profile: { without: [WINDOWED_TRANSFER] } });
    expect((await session.capabilities()).commands).not.toContain(WINDOWED_TRANSFER);
    expectEachOnce(await readAll(session), (await session.recordCounts()).invoices);
    expect(windowedFrames()).toBe(0);
  });

  it('keeps stop-and-wait when the session is told so (transferWindow 0), even with a register that lists 74', async () => {
    const { session, windowedFrames } = await setup({ timing: { timed: false } }, { transferWindow: 0 });
    expectEachOnce(await readAll(session), (await session.recordCounts()).invoices);
    expect(windowedFrames()).toBe(0);
  });

  it('sends a multi-packet command windowed (a 2 KiB firmware block) and the register takes it whole', async () => {
    const { sim, session, windowedFrames } = await setup({ timing: { timed: false }, faults: { faults: [{ kind: 'drop', direction: 'rx', at: [700, 1400] }] } });
    const image = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
    const sha256 = createHash('sha256').update(image).digest();
    const model = sim.simulator.state.identity.model;
    const begun = await session.firmwareBegin({ size: image.length, sha256, version: '9.9.9', model });
    expect(begun.resumeOffset).toBe(0);
    const before = windowedFrames();
    expect((await session.firmwareWrite({ offset: 0, data: image.subarray(0, 2048) })).received).toBe(2048);
    expect((await session.firmwareWrite({ offset: 2048, data: image.subarray(2048) })).received).toBe(4096);
    expect(windowedFrames() - before).toBeGreaterThanOrEqual(18);
    expect(sim.simulator.faults.counters.dropped).toBe(2);
    expect(Buffer.from((await session.firmwareVerify()).sha256).equals(sha256)).toBe(true);
  });

  it('never lets a windowed command given up half-way merge with the next one: the register is told to drop the part it holds', async () => {
    const { sim, session } = await setup({ timing: { timed: false } }, { retries: 0, packetRetries: 1, replyTimeoutMs: 150 });
    const image = Uint8Array.from({ length: 4096 }, (_, i) => (i * 13) & 0xff);
    const sha256 = createHash('sha256').update(image).digest();
    await session.firmwareBegin({ size: image.length, sha256, version: '9.9.8', model: sim.simulator.state.identity.model });
    // The line dies (both ways) in the third packet of the first block: the register holds two packets of it.
    sim.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'rx', at: 600, mode: 'silence' }] });
    const error = await session.firmwareWrite({ offset: 0, data: image.subarray(0, 2048) }).then(() => undefined, (e: unknown) => e);
    expect(isGatewayError(error) && ['LINK_TIMEOUT', 'LINK_FRAME_INVALID'].includes(error.code)).toBe(true);
    sim.simulator.restoreLink();
    expect((await session.firmwareWrite({ offset: 0, data: image.subarray(0, 2048) })).received).toBe(2048);
    expect((await session.firmwareWrite({ offset: 2048, data: image.subarray(2048) })).received).toBe(4096);
    expect(Buffer.from((await session.firmwareVerify()).sha256).equals(sha256)).toBe(true);
  });

  const faultRuns: [string, FaultInput[]][] = [
    ['two answer bytes dropped', [{ kind: 'drop', direction: 'tx', at: [3000, 9100] }]],
    ['two answer bytes corrupted', [{ kind: 'corrupt', direction: 'tx', at: [2000, 7777], xor: 0x5a }]],
    ['acknowledgements dropped and corrupted', [{ kind: 'drop', direction: 'rx', at: [60, 140] }, { kind: 'corrupt', direction: 'rx', at: [200], xor: 1 }]],
    ['the answer stalls longer than the reply timeout', [{ kind: 'delay', direction: 'tx', at: [5000], ms: 700 }]],
    ['random drops both ways', [{ kind: 'drop', direction: 'both', probability: 0.0004 }]],
  ];

  it.each(faultRuns)('recovers from %s: every record once, only lost packets re-sent', async (_name, faults) => {
    const { sim, session } = await setup({ defaultBaud: 921_600 });
    const count = (await session.recordCounts()).invoices;
    sim.simulator.setFaults({ seed: 3, faults });
    const records = await readAll(session);
    expectEachOnce(records, count);
    const { resentBytes } = sim.simulator.windowedStats;
    const hits = sim.simulator.faults.counters;
    const faultsHit = hits.dropped + hits.corrupted + hits.delayed;
    expect(faultsHit).toBeGreaterThan(0);
    // Selective repeat: about one packet per fault, never the whole window behind it.
    expect(resentBytes).toBeLessThanOrEqual(faultsHit * 2 * 255);
  });

  it('fails with a clear error when the line is cut mid-answer, and reads everything once it is back', async () => {
    const { sim, session } = await setup({ defaultBaud: 921_600 });
    const count = (await session.recordCounts()).invoices;
    sim.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'tx', at: 4000, mode: 'silence' }] });
    const error = await readAll(session).then(() => undefined, (e: unknown) => e);
    expect(isGatewayError(error) && error.code).toBe('LINK_TIMEOUT');
    sim.simulator.restoreLink();
    expectEachOnce(await readAll(session), count);
  });
});

/** What crosses the host's end of the line, in order: the PKT of each 74 frame it writes, each frame it reads. */
function lineLog(transport: ByteTransport): { log: string[]; firstParams: Uint8Array[] } {
  const out = new FrameDecoder('to-register');
  const back = new FrameDecoder('to-host');
  const log: string[] = [];
  const firstParams: Uint8Array[] = [];
  const write = transport.write.bind(transport);
  transport.write = async (bytes: Uint8Array) => {
    for (const frame of out.push(bytes)) {
      if (frame.kind !== 'command' || frame.cmd !== WINDOWED_TRANSFER) continue;
      log.push(`74/${frame.pkt}`);
      if (frame.pkt === 1) firstParams.push(frame.params);
    }
    return write(bytes);
  };
  transport.onData((bytes) => {
    for (const frame of back.push(bytes)) log.push(frame.kind === 'next' ? `NP ${frame.pkt}` : frame.kind);
  });
  return { log, firstParams };
}

describe('counted windowed commands (SPEC.md §10.1, §10.2: protocol version 2) against the strict version 1', () => {
  const block = Uint8Array.from({ length: 2048 }, (_, i) => (i * 11) & 0xff);

  async function begun(profile: SimulatedRegisterOptions['profile'], sessionOptions: RegisterSessionOptions = {}) {
    const context = await setup({ timing: { timed: false }, ...(profile === undefined ? {} : { profile }) }, sessionOptions);
    const sha256 = createHash('sha256').update(block).digest();
    await context.session.firmwareBegin({ size: block.length, sha256, version: '9.9.7', model: context.sim.simulator.state.identity.model });
    return { ...context, sha256, line: lineLog(context.sim.transport) };
  }

  it.each([
    ['2 (the default)', undefined, 2],
    ['1 (profile window-v1)', { protocolVersion: 1 }, 1],
  ] as const)('version %s: packet 1 lost, the block is still taken whole, once', async (_name, profile, version) => {
    const { sim, session, sha256, line } = await begun(profile);
    // Packet 1 of the block arrives corrupted: the register drops it (and, at version 2, the packets after it).
    sim.simulator.setFaults({ faults: [{ kind: 'corrupt', direction: 'rx', at: [20], xor: 0x40 }] });
    const executed: boolean[] = [];
    sim.simulator.onEvent((event) => { if (event.type === 'command' && event.cmd === 0x64) executed.push(event.windowed === true); });
    expect((await session.firmwareWrite({ offset: 0, data: block })).received).toBe(block.length);
    expect(executed).toEqual([true]);
    expect(Buffer.from((await session.firmwareVerify()).sha256).equals(sha256)).toBe(true);
    const beforeFirstNp = line.log.slice(0, line.log.findIndex((entry) => entry.startsWith('NP')));
    if (version === 2) {
      // The window opened at once (packets 1-8, the last one waiting for NP 01); then packet 1 alone again.
      expect(beforeFirstNp.filter((entry) => entry.startsWith('74/'))).toEqual(['74/1', '74/2', '74/3', '74/4', '74/5', '74/6', '74/7', '74/8', '74/1']);
      expect(line.firstParams.every((params) => (params[0]! & COUNTED_FLAG) !== 0)).toBe(true);
      expect(sim.simulator.windowedStats.ignoredPackets).toBeGreaterThan(0);
    } else {
      // The strict register: packet 1 alone, again after the loss, in the plain form.
      expect(beforeFirstNp.filter((entry) => entry.startsWith('74/'))).toEqual(['74/1', '74/1']);
      expect(line.firstParams.every((params) => (params[0]! & COUNTED_FLAG) === 0)).toBe(true);
    }
  });

  it('version 1 on a clean line: packet 1 alone, the window opens at its NP, the last packet after every NP', async () => {
    const { session, line } = await begun({ protocolVersion: 1 });
    expect((await session.firmwareWrite({ offset: 0, data: block })).received).toBe(block.length);
    expect(line.log.slice(0, 3)).toEqual(['74/1', 'NP 1', '74/2']);
    const last = line.log.indexOf('74/0');
    expect(line.log.slice(0, last).filter((entry) => entry.startsWith('NP'))).toContain('NP 8');
  });

  it('version 2: a block of 263 packets (numbers wrap after 255) with packets lost on both sides of the wrap and before the last', async () => {
    const big = Uint8Array.from({ length: 65_024 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    const context = await setup({ timing: { timed: false } }, { retries: 0 });
    const sha256 = createHash('sha256').update(big).digest();
    await context.session.firmwareBegin({ size: big.length, sha256, version: '9.9.6', model: context.sim.simulator.state.identity.model });
    const line = lineLog(context.sim.transport);
    // Bytes of packets 255, 256 (the second packet numbered 1) and 262 (the one before the last) are lost.
    context.sim.simulator.setFaults({ faults: [{ kind: 'drop', direction: 'rx', at: [254 * 255 + 40, 255 * 255 + 40, 261 * 255 + 40] }] });
    expect((await context.session.firmwareWrite({ offset: 0, data: big })).received).toBe(big.length);
    expect(context.sim.simulator.faults.counters.dropped).toBe(3);
    expect(Buffer.from((await context.session.firmwareVerify()).sha256).equals(sha256)).toBe(true);
    expect(line.log.filter((entry) => entry === '74/0')).toHaveLength(1);
    expect(line.firstParams[0]![0]! & COUNTED_FLAG).toBe(COUNTED_FLAG);
  });

  it('version 2: a packet lost just before the last one, which went without waiting, is asked for; the register executes only when whole', async () => {
    const { sim, session, sha256, line } = await begun(undefined, { retries: 0 });
    // Packet 8 of 9 (bytes 7 × 255 on) is lost: the register holds the last packet behind the gap.
    sim.simulator.setFaults({ faults: [{ kind: 'drop', direction: 'rx', at: [7 * 255 + 30] }] });
    expect((await session.firmwareWrite({ offset: 0, data: block })).received).toBe(block.length);
    expect(Buffer.from((await session.firmwareVerify()).sha256).equals(sha256)).toBe(true);
    const last = line.log.indexOf('74/0');
    expect(last).toBeGreaterThan(0);
    expect(line.log.slice(last + 1)).toContain('74/8');
    expect(line.log.filter((entry) => entry === '74/0')).toHaveLength(1);
  });

  it.each([
    ['2 (the default): counted, packets 1', undefined, 2],
    ['1 (profile window-v1): plain', { protocolVersion: 1 }, 1],
  ] as const)('version %s: a one-packet 74 read goes so (SPEC.md §10.2)', async (_name, profile, version) => {
    const { sim, session } = await setup({ timing: { timed: false }, ...(profile === undefined ? {} : { profile }) });
    const lone: Uint8Array[] = [];
    const decoder = new FrameDecoder('to-register');
    const write = sim.transport.write.bind(sim.transport);
    sim.transport.write = async (bytes: Uint8Array) => {
      for (const frame of decoder.push(bytes)) if (frame.kind === 'command' && frame.cmd === WINDOWED_TRANSFER && frame.pkt === 0) lone.push(frame.params);
      return write(bytes);
    };
    expectEachOnce(await readAll(session), (await session.recordCounts()).invoices);
    expect(lone.length).toBeGreaterThan(0);
    for (const params of lone) {
      if (version === 2) expect([...params.subarray(0, 4)]).toEqual([COUNTED_FLAG | 32, 0, 1, 0x3f]);
      else expect([...params.subarray(0, 2)]).toEqual([32, 0x3f]);
    }
  });

  it('version 2: the register drops its partial block (1 s of silence) before the last packet comes: nothing executes from the tail, the block goes again whole and is written once', async () => {
    let skew = 0;
    const clock = { now: () => systemClock.now() + skew, sleep: systemClock.sleep };
    const { sim, session } = await setup({ timing: { timed: false }, clock });
    // The block's tail (its last packet, PKT 0) reads as a plain one-packet 74 of 41 (window 5): the old rule ran it.
    const block = Uint8Array.from({ length: 2048 }, (_, i) => (i * 11) & 0xff);
    const wrapped = countedWindowedParams(32, 0x64, Uint8Array.from([2, 0, 0, 0, 0, ...block]));
    const tailAt = (commandPackets(WINDOWED_TRANSFER, wrapped).length - 1) * 248 - 9;
    block.set([5, 0x41], tailAt);
    const sha256 = createHash('sha256').update(block).digest();
    await session.firmwareBegin({ size: block.length, sha256, version: '9.9.5', model: sim.simulator.state.identity.model });
    const executed: number[] = [];
    sim.simulator.onEvent((event) => { if (event.type === 'command') executed.push(event.cmd); });
    const decoder = new FrameDecoder('to-register');
    const write = sim.transport.write.bind(sim.transport);
    let lastPackets = 0;
    sim.transport.write = async (bytes: Uint8Array) => {
      const last = decoder.push(bytes).some((frame) => frame.kind === 'command' && frame.cmd === WINDOWED_TRANSFER && frame.pkt === 0);
      if (last && lastPackets++ === 0) {
        // Let the register take the packets before it, then 2 s pass on its clock: the partial block is dropped.
        await new Promise((resolve) => setTimeout(resolve, 100));
        skew += 2000;
      }
      return write(bytes);
    };
    expect((await session.firmwareWrite({ offset: 0, data: block })).received).toBe(block.length);
    // The lost reply to the last packet (a timeout) made the session send the whole 74 again, after 00.
    expect(lastPackets).toBe(2);
    expect(executed.filter((cmd) => cmd !== CMD_CONNECT)).toEqual([0x64]);
    expect(executed).toContain(CMD_CONNECT);
    expect(Buffer.from((await session.firmwareVerify()).sha256).equals(sha256)).toBe(true);
  });
});

const CMD_CONNECT = 0x00;
