import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BindingPortInterface } from '@serialport/bindings-cpp';
import { loadSerialBinding } from '../../../drivers/serial/loadSerialBinding.js';
import { socatMissingReason, startPtyPair, type PtyPair } from '../../helpers/socat.js';

const missing = socatMissingReason();

const lineOptions = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads from `port` until `count` bytes have arrived. */
async function readAll(port: BindingPortInterface, count: number): Promise<Buffer> {
  const into = Buffer.alloc(count);
  let got = 0;
  while (got < count) got += (await port.read(into, got, count - got)).bytesRead;
  return into;
}

// The reads and writes of the operating system's binding, as SerialTransport gets it, on a real pty pair.
describe.skipIf(missing !== undefined)(`serial binding reads and writes over a socat pty pair${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pty: PtyPair;
  let host: BindingPortInterface;
  let device: BindingPortInterface;

  beforeEach(async () => {
    pty = await startPtyPair();
    const binding = await loadSerialBinding();
    host = await binding.open({ ...lineOptions, path: pty.a });
    device = await binding.open({ ...lineOptions, path: pty.b });
  });

  afterEach(async () => {
    for (const port of [host, device]) if (port.isOpen) await port.close();
    await pty.stop();
  });

  it('finishes a write that waited for room while a read started waiting on the same port', async () => {
    const big = Buffer.from(Uint8Array.from({ length: 256 * 1024 }, (_, i) => (i * 7 + 1) & 0xff));
    const writing = device.write(big);
    // Nobody reads the host end yet: the ptys and socat fill up and the device's write waits for room.
    await pause(100);
    const reading = device.read(Buffer.alloc(1024), 0, 1024);
    reading.catch(() => undefined);
    await pause(50);
    // The host takes everything: room comes back, and the write must go on although a read now waits too.
    expect((await readAll(host, big.length)).equals(big)).toBe(true);
    await writing;
    await device.close();
    await expect(reading).rejects.toMatchObject({ canceled: true });
  });

  it('moves bytes both ways at once, each direction in order', async () => {
    const toDevice = Buffer.from(Uint8Array.from({ length: 96 * 1024 }, (_, i) => (i * 13 + 5) & 0xff));
    const toHost = Buffer.from(Uint8Array.from({ length: 96 * 1024 }, (_, i) => (i * 31 + 7) & 0xff));
    const [atDevice, atHost] = await Promise.all([
      readAll(device, toDevice.length),
      readAll(host, toHost.length),
      host.write(toDevice),
      device.write(toHost),
    ]);
    expect(atDevice.equals(toDevice)).toBe(true);
    expect(atHost.equals(toHost)).toBe(true);
  });

  it('fails a read on a hung-up line as a disconnect (not canceled) instead of retrying it forever', async () => {
    // socat gone: the kernel hangs up both ptys, and a read of a hung-up tty returns 0 bytes.
    await pty.stop();
    const failure = await host.read(Buffer.alloc(64), 0, 64).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ code: 'TRANSPORT_UNPLUGGED' });
    expect((failure as { canceled?: boolean }).canceled).not.toBe(true);
  });

  it('cancels a waiting read when its port closes, and refuses I/O after', async () => {
    const reading = host.read(Buffer.alloc(64), 0, 64);
    reading.catch(() => undefined);
    await host.close();
    await expect(reading).rejects.toMatchObject({ canceled: true });
    await expect(host.read(Buffer.alloc(1), 0, 1)).rejects.toMatchObject({ canceled: true, code: 'TRANSPORT_CLOSED' });
    await expect(host.write(Buffer.of(1))).rejects.toMatchObject({ canceled: true, code: 'TRANSPORT_CLOSED' });
  });
});
