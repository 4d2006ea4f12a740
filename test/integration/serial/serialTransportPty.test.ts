import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { socatMissingReason, startPtyPair, type PtyPair } from '../../helpers/socat.js';

const missing = socatMissingReason();

/** Collects what a transport receives until `count` bytes have arrived. */
function receive(transport: SerialTransport, count: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return new Promise((resolve) => {
    const stop = transport.onData((chunk) => {
      chunks.push(Uint8Array.from(chunk));
      total += chunk.length;
      if (total >= count) {
        stop();
        resolve(Uint8Array.from(Buffer.concat(chunks)));
      }
    });
  });
}

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

describe.skipIf(missing !== undefined)(`serial transport over a socat pty pair${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pty: PtyPair;
  let host: SerialTransport;
  let device: SerialTransport;

  beforeEach(async () => {
    pty = await startPtyPair();
    host = new SerialTransport({ path: pty.a, baudRate: 115200 });
    device = new SerialTransport({ path: pty.b, baudRate: 115200 });
    await host.open();
    await device.open();
  });

  afterEach(async () => {
    await host.close();
    await device.close();
    await pty.stop();
  });

  it('describes itself as a serial port on its path', () => {
    expect(host.description).toEqual({ kind: 'serial', path: pty.a });
    expect(host.isOpen).toBe(true);
  });

  it('moves every byte value both ways, in order, including 64 KiB in one write', async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const atDevice = receive(device, all.length);
    await host.write(all);
    expect(await atDevice).toEqual(all);

    const big = pattern(64 * 1024, 7);
    const atHost = receive(host, big.length);
    await device.write(big);
    expect(await atHost).toEqual(big);
  });

  it('keeps talking after a baud switch on both ends', async () => {
    await host.setBaudRate(921600);
    await device.setBaudRate(921600);
    expect(host.baudRate).toBe(921600);
    const bytes = pattern(1000, 3);
    const atDevice = receive(device, bytes.length);
    await host.write(bytes);
    expect(await atDevice).toEqual(bytes);
  });

  it('refuses a baud rate outside 9600…921600 with a typed error and stays usable', async () => {
    await expect(host.setBaudRate(1200)).rejects.toMatchObject({ code: 'BAUD_RATE_UNSUPPORTED' });
    const atDevice = receive(device, 3);
    await host.write(Uint8Array.of(1, 2, 3));
    expect(await atDevice).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('closes on request without an error, then refuses writes with TRANSPORT_CLOSED', async () => {
    const closed = new Promise<Error | undefined>((resolve) => host.onClose(resolve));
    await host.close();
    expect(await closed).toBeUndefined();
    expect(host.isOpen).toBe(false);
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('reports TRANSPORT_UNPLUGGED when the other side of the line disappears', async () => {
    const closed = new Promise<Error | undefined>((resolve) => host.onClose(resolve));
    await pty.stop();
    const reason = await closed;
    expect(isGatewayError(reason, 'TRANSPORT_UNPLUGGED')).toBe(true);
    expect(host.isOpen).toBe(false);
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_UNPLUGGED' });
  });

  it('fails to open a path that does not exist with TRANSPORT_OPEN_FAILED', async () => {
    const ghost = new SerialTransport({ path: `${pty.a}-missing` });
    await expect(ghost.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED' });
  });
});
