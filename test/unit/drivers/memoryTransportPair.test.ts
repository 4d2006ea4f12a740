import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';

async function openPair(path?: string) {
  const pair = createMemoryTransportPair(path);
  await pair.host.open();
  await pair.device.open();
  return pair;
}

describe('the in-memory transport pair', () => {
  it('delivers writes to the peer on a later tick, in order, as copies', async () => {
    const { host, device } = await openPair();
    const seen: number[][] = [];
    device.onData((chunk) => seen.push([...chunk]));
    const first = Uint8Array.of(1, 2);
    const writes = [host.write(first), host.write(Uint8Array.of(3))];
    first[0] = 9;
    expect(seen).toEqual([]);
    await Promise.all(writes);
    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('sends no empty chunk for an empty write', async () => {
    const { host, device } = await openPair();
    const seen: Uint8Array[] = [];
    device.onData((chunk) => seen.push(chunk));
    await host.write(new Uint8Array(0));
    await host.write(Uint8Array.of(5));
    await Promise.resolve();
    expect(seen.map((chunk) => [...chunk])).toEqual([[5]]);
  });

  it('refuses a write on a closed end with TRANSPORT_CLOSED', async () => {
    const { host } = await openPair('memory:x');
    await host.close();
    const failure = await host.write(Uint8Array.of(1)).catch((error: unknown) => error);
    expect(isGatewayError(failure, 'TRANSPORT_CLOSED')).toBe(true);
    expect((failure as { params: unknown }).params).toEqual({ path: 'memory:x' });
  });

  it('drops bytes still in flight when the peer closes before they arrive', async () => {
    const { host, device } = await openPair();
    const seen: number[] = [];
    device.onData((chunk) => seen.push(...chunk));
    const write = host.write(Uint8Array.of(1));
    await device.close();
    await write;
    expect(seen).toEqual([]);
  });

  it('tells close listeners once per open period: undefined on close, TRANSPORT_UNPLUGGED at the peer of a cut', async () => {
    const { host, device } = await openPair();
    const hostReasons: (Error | undefined)[] = [];
    const deviceReasons: (Error | undefined)[] = [];
    host.onClose((reason) => hostReasons.push(reason));
    device.onClose((reason) => deviceReasons.push(reason));
    host.cut();
    host.cut();
    await host.close();
    expect(hostReasons).toEqual([undefined]);
    expect(deviceReasons).toHaveLength(1);
    expect(isGatewayError(deviceReasons[0], 'TRANSPORT_UNPLUGGED')).toBe(true);
    expect(deviceReasons[0]?.message).toContain(device.description.path);
    await device.open();
    await device.close();
    await device.close();
    expect(deviceReasons).toHaveLength(2);
    expect(deviceReasons[1]).toBeUndefined();
  });
});
