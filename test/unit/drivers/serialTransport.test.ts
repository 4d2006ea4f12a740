import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockBinding, type MockPortBinding } from '../../../drivers/serial/mockSerialBinding.js';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';

const path = '/dev/ttyMOCK0';

function portOf(transport: SerialTransport): MockPortBinding {
  // The stream's binding port: the mock's handle to the simulated other end.
  return (transport as unknown as { stream: { port: MockPortBinding } }).stream.port;
}

describe('SerialTransport over @serialport/binding-mock', () => {
  beforeEach(() => {
    MockBinding.createPort(path, { vendorId: '1a86', productId: '7523' });
  });
  afterEach(() => {
    MockBinding.reset();
  });

  it('opens 8N1 at the configured speed and writes the bytes to the port', async () => {
    const transport = new SerialTransport({ path, baudRate: 115200, binding: MockBinding, info: { vendorId: 0x1a86, productId: 0x7523 } });
    await transport.open();
    const port = portOf(transport);
    expect(port.openOptions).toMatchObject({ baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 });
    await transport.write(Uint8Array.of(0x1b, 0x10, 0x00));
    expect([...port.lastWrite!]).toEqual([0x1b, 0x10, 0x00]);
    expect(transport.description).toEqual({ kind: 'serial', path, vendorId: 0x1a86, productId: 0x7523 });
    await transport.close();
  });

  it('delivers what the port receives to every data listener, and stops after unsubscribe', async () => {
    const transport = new SerialTransport({ path, binding: MockBinding });
    await transport.open();
    const seen: number[][] = [];
    const stop = transport.onData((chunk) => seen.push([...chunk]));
    portOf(transport).emitData(Buffer.from([0x4f, 0x4b]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    portOf(transport).emitData(Buffer.from([0x00]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.flat()).toEqual([0x4f, 0x4b]);
    await transport.close();
  });

  it('groups bytes up to a line silence when an inter-byte timeout is set', async () => {
    const transport = new SerialTransport({ path, binding: MockBinding, interByteTimeoutMs: 30 });
    await transport.open();
    const chunks: number[][] = [];
    transport.onData((chunk) => chunks.push([...chunk]));
    const port = portOf(transport);
    port.emitData(Buffer.from([1, 2]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    port.emitData(Buffer.from([3]));
    await new Promise((resolve) => setTimeout(resolve, 120));
    port.emitData(Buffer.from([4]));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(chunks).toEqual([[1, 2, 3], [4]]);
    await transport.close();
  });

  it('switches the baud rate of the open port, and refuses unsupported rates before touching it', async () => {
    const transport = new SerialTransport({ path, binding: MockBinding });
    await transport.open();
    await transport.setBaudRate(921600);
    expect((await portOf(transport).getBaudRate()).baudRate).toBe(921600);
    await expect(transport.setBaudRate(300)).rejects.toMatchObject({ code: 'BAUD_RATE_UNSUPPORTED' });
    expect(() => new SerialTransport({ path, baudRate: 12345, binding: MockBinding })).toThrow(GatewayError);
    await transport.close();
  });

  it('maps a port that cannot be opened to TRANSPORT_OPEN_FAILED', async () => {
    const transport = new SerialTransport({ path: '/dev/ttyNOPE', binding: MockBinding });
    await expect(transport.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED', params: { path: '/dev/ttyNOPE' } });
    expect(transport.isOpen).toBe(false);
  });

  it('reports a missing native binding as SERIAL_UNAVAILABLE, not a crash', async () => {
    const transport = new SerialTransport({
      path,
      binding: () => Promise.reject(new GatewayError('SERIAL_UNAVAILABLE', { params: { detail: 'no bindings.node' } })),
    });
    await expect(transport.open()).rejects.toMatchObject({ code: 'SERIAL_UNAVAILABLE' });
  });

  it('tells an unplugged port (read failure) from a requested close', async () => {
    const transport = new SerialTransport({ path, binding: MockBinding });
    await transport.open();
    const reasons: (Error | undefined)[] = [];
    transport.onClose((reason) => reasons.push(reason));
    const port = portOf(transport);
    // The read pending now completes with the byte; the next read fails with a non-cancel error: the stream treats it as a disconnect.
    port.read = () => Promise.reject(new Error('EIO'));
    port.emitData(Buffer.from([0]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reasons).toHaveLength(1);
    expect(isGatewayError(reasons[0], 'TRANSPORT_UNPLUGGED')).toBe(true);
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_UNPLUGGED' });

    const again = new SerialTransport({ path, binding: MockBinding });
    await again.open();
    const requested: (Error | undefined)[] = [];
    again.onClose((reason) => requested.push(reason));
    await again.close();
    expect(requested).toEqual([undefined]);
    await expect(again.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('lets a second close wait for the first: the port is closed once and the close told once', async () => {
    const transport = new SerialTransport({ path, binding: MockBinding });
    await transport.open();
    const port = portOf(transport);
    const steps: string[] = [];
    const bindingClose = port.close.bind(port);
    port.close = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await bindingClose();
      steps.push('port closed');
    };
    const reasons: (Error | undefined)[] = [];
    transport.onClose((reason) => reasons.push(reason));
    const first = transport.close();
    await transport.close();
    steps.push('second close returned');
    await first;
    expect(steps).toEqual(['port closed', 'second close returned']);
    expect(reasons).toEqual([undefined]);
    expect(transport.isOpen).toBe(false);
    await transport.open();
    expect(transport.isOpen).toBe(true);
    await transport.close();
    expect(reasons).toEqual([undefined, undefined]);
  });
});
