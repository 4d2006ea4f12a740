import { afterEach, describe, expect, it } from 'vitest';
import { FrameDecoder, type CommandSpec, type PayloadCodec } from '../../../protocols/gb-link/index.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { encodeBusyFrame, encodeOkFrame } from '../../../protocols/gb-link/index.js';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { fast, sessionSetup } from './fixtures.js';

const setup = sessionSetup();
const bytes: PayloadCodec<Uint8Array> = { encode: (b) => b, decode: (b) => Uint8Array.from(b) };
/** A generic idempotent command carrying bytes both ways, on a code the fake register is given. */
const carry = (code: number): CommandSpec<Uint8Array, Uint8Array> => ({ code, name: 'carry', effect: 'idempotent', request: bytes, response: bytes });
const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);

/** PKT of every frame one side sent, as the other side decodes them. */
function packetNumbers(direction: 'to-register' | 'to-host', kind: 'command' | 'ok') {
  const decoder = new FrameDecoder(direction);
  const seen: number[] = [];
  return {
    seen,
    push(chunk: Uint8Array) {
      for (const frame of decoder.push(chunk)) if (frame.kind === kind) seen.push(frame.pkt);
    },
  };
}

const wrapped = (packets: number) => [...Array.from({ length: packets - 1 }, (_, i) => (i % 255) + 1), 0];

describe('SPEC.md §3: packet numbers wrap 255 → 1 in both directions', () => {
  it('a 300-packet command reaches the register whole, numbered 1…255, 1…44, 0', async () => {
    const { register, session, device } = await setup();
    const params = pattern(248 * 299 + 100);
    register.on(0x6e, (p) => ({ data: Uint8Array.of(p.length >> 16, (p.length >> 8) & 0xff, p.length & 0xff) }));
    const numbers = packetNumbers('to-register', 'command');
    device.onData((chunk) => numbers.push(chunk));
    const answer = await session.execute(carry(0x6e), params);
    expect(register.executed.at(-1)!.params).toEqual(params);
    expect(Array.from(answer)).toEqual([params.length >> 16, (params.length >> 8) & 0xff, params.length & 0xff]);
    expect(numbers.seen).toEqual(wrapped(300));
  });

  it('a 300-packet answer reaches the host whole, numbered 1…255, 1…44, 0', async () => {
    const { register, session, host } = await setup();
    const data = pattern(249 * 299 + 100);
    register.on(0x6e, () => ({ data }));
    const numbers = packetNumbers('to-host', 'ok');
    host.onData((chunk) => numbers.push(chunk));
    expect(await session.execute(carry(0x6e), new Uint8Array(0))).toEqual(data);
    expect(numbers.seen).toEqual(wrapped(300));
  });
});

describe('SPEC.md §3.2: WT in answer to an NP', () => {
  it('the host waits on (its timeout starts again) and takes the packet that follows', async () => {
    const { host, device } = createMemoryTransportPair('memory:wt');
    await device.open();
    const session = await RegisterSession.open(host, { deviceId: 'wt', ...fast, replyTimeoutMs: 150 });
    const decoder = new FrameDecoder('to-register');
    device.onData((chunk) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.kind === 'command') void device.write(encodeOkFrame(1, Uint8Array.of(1, 2, 3)));
        if (frame.kind === 'next') {
          // Busy for longer than one reply timeout in all, a WT every 100 ms, then the last packet.
          void (async () => {
            for (let i = 0; i < 3; i++) {
              await device.write(encodeBusyFrame());
              await new Promise((r) => setTimeout(r, 100));
            }
            await device.write(encodeOkFrame(0, Uint8Array.of(4, 5)));
          })();
        }
      }
    });
    try {
      expect(Array.from(await session.execute(carry(0x6e), new Uint8Array(0)))).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await session.close();
    }
  });
});

describe('a 300-packet answer from the simulated register', () => {
  let register: SimulatedRegister | undefined;
  afterEach(async () => {
    await register?.close();
    register = undefined;
  });

  it('every invoice (over 1000) in one 3F answer of more than 255 packets arrives whole and in order', async () => {
    register = await createSimulatedRegister({ seed: 2, history: { days: 60, invoicesPerDay: 20 }, timing: { timed: false } });
    const session = await RegisterSession.open(register.transport, { deviceId: 'sim' });
    try {
      await session.extensions();
      const numbers = packetNumbers('to-host', 'ok');
      register.transport.onData((chunk) => numbers.push(chunk));
      const count = register.simulator.memory.counts().invoices;
      expect(count).toBeGreaterThan(1000);
      const pages: number[][] = [];
      for await (const page of session.invoicesByIndex({ from: 1, count }, { pageSize: count })) pages.push(page.map((i) => i.seq));
      expect(pages).toEqual([Array.from({ length: count }, (_, i) => i + 1)]);
      expect(numbers.seen.length).toBe(Math.ceil((4 + count * 68) / 249));
      expect(numbers.seen.slice(253, 258)).toEqual([254, 255, 1, 2, 3]);
      expect(numbers.seen.at(-1)).toBe(0);
    } finally {
      await session.close();
    }
  });
});
