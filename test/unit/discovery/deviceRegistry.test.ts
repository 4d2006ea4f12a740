import { afterEach, describe, expect, it } from 'vitest';
import type { ByteTransport, Unsubscribe } from '../../../contracts/ByteTransport.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { createMemoryTransportPair, type MemoryTransport } from '../../../drivers/memory/MemoryTransportPair.js';
import type { DeviceEvent, RegisterIdentity } from '../../../src/devices/Device.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import type { DiscoveredPort, DiscoveryEvent } from '../../../src/devices/discovery/DeviceDiscovery.js';
import type { RegisterLink } from '../../../src/devices/registry/RegisterLink.js';

/** A pretend register on the device end of a memory pair: answers "?" with its machine number, or with `reply`. */
function serveRegister(device: MemoryTransport, machineNumber: string, reply?: string): { mute(muted: boolean): void } {
  let muted = false;
  void device.open();
  device.onData(() => {
    if (!muted) void device.write(new TextEncoder().encode(reply ?? machineNumber)).catch(() => undefined);
  });
  return { mute: (value) => { muted = value; } };
}

class FakeSession {
  closed = false;
  constructor(readonly transport: ByteTransport) {}
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Identification for the pretend register: ask, wait for 16 digits, time out after 100 ms. */
const identify = (session: FakeSession) => new Promise<RegisterIdentity>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new GatewayError('TIMEOUT', { params: { what: 'factory data' } }));
    }, 100);
    const stop = session.transport.onData((chunk) => {
      clearTimeout(timer);
      stop();
      const text = new TextDecoder().decode(chunk);
      if (!/^\d{16}$/.test(text)) reject(new GatewayError('DECODE_ERROR', { params: { detail: 'not a machine number' } }));
      else resolve({ machineNumber: text, model: 'SIM-1', hardwareRevision: 'A', firmwareVersion: '1.0.0', bootloaderVersion: '1.0.0' });
    });
    void session.transport.write(Uint8Array.of(0x3f)).catch(reject);
  });

const link: RegisterLink<FakeSession> = {
  createSession: (transport) => new FakeSession(transport),
  identify,
};

const backoff = { initialMs: 10, maxMs: 40 };

function waitFor(registry: DeviceRegistry<FakeSession>, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = registry.onEvent(() => {
      if (predicate()) {
        stop();
        resolve();
      }
    });
  });
}

/** The same transport seen through another object, with some members replaced. */
function wrapTransport(inner: ByteTransport, replaced: Partial<ByteTransport>): ByteTransport {
  return {
    description: inner.description,
    get isOpen() {
      return inner.isOpen;
    },
    open: () => inner.open(),
    write: (bytes) => inner.write(bytes),
    onData: (listener) => inner.onData(listener),
    onClose: (listener) => inner.onClose(listener),
    close: () => inner.close(),
    ...replaced,
  };
}

/** Discovery as the registry sees it, driven by the test. */
class FakeDiscovery {
  private listener: ((event: DiscoveryEvent) => void) | undefined;
  ports: DiscoveredPort[] = [];
  started = false;
  onEvent(listener: (event: DiscoveryEvent) => void): Unsubscribe {
    this.listener = listener;
    return () => {
      this.listener = undefined;
    };
  }
  current(): DiscoveredPort[] {
    return this.ports;
  }
  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.started = false;
  }
  plug(port: DiscoveredPort): void {
    this.ports.push(port);
    this.listener?.({ type: 'attached', port });
  }
  unplug(port: DiscoveredPort): void {
    this.ports = this.ports.filter((each) => each !== port);
    this.listener?.({ type: 'detached', port });
  }
}

/** A port whose every open reaches a fresh pretend register with this machine number. */
function registerPort(key: string, machineNumber: string): DiscoveredPort & { opened: number } {
  const port = {
    key,
    description: { kind: 'serial' as const, path: `/dev/fiscal/${key}` },
    opened: 0,
    createTransport() {
      port.opened += 1;
      const { host, device } = createMemoryTransportPair(port.description.path);
      serveRegister(device, machineNumber);
      return host;
    },
  };
  return port;
}

describe('DeviceRegistry', () => {
  let registry: DeviceRegistry<FakeSession> | undefined;
  afterEach(async () => {
    await registry?.close();
    registry = undefined;
  });

  it('identifies an added register and lists it under its machine number, without touching it again', async () => {
    registry = new DeviceRegistry({ link, backoff });
    const events: string[] = [];
    registry.onEvent((event: DeviceEvent) => events.push(event.type === 'removed' ? `removed ${event.id}` : `${event.type} ${event.device.id} ${event.device.state}`));
    const { host, device } = createMemoryTransportPair('sim:1');
    serveRegister(device, '1234567890123456');
    const provisional = registry.add(host);
    expect(provisional).toBe('memory:sim:1');
    expect(registry.get(provisional)?.state).toBe('identifying');
    await waitFor(registry, () => registry!.get('1234567890123456')?.state === 'online');

    expect(events).toEqual(['added memory:sim:1 identifying', 'removed memory:sim:1', 'added 1234567890123456 online']);
    const [snapshot] = registry.list();
    expect(snapshot).toMatchObject({ id: '1234567890123456', state: 'online', simulated: true, transport: { kind: 'memory', path: 'sim:1' }, identity: { model: 'SIM-1' } });
    expect(snapshot!.lastSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(JSON.stringify(registry.list()))).toEqual(registry.list());
  });

  it('marks a register whose link is cut offline, keeps its id, and reconnects when it answers again', async () => {
    registry = new DeviceRegistry({ link, backoff });
    const { host, device } = createMemoryTransportPair('sim:2');
    serveRegister(device, '2222222222222222');
    registry.add(host);
    await waitFor(registry, () => registry!.get('2222222222222222')?.state === 'online');

    host.cut();
    await waitFor(registry, () => registry!.get('2222222222222222')?.state === 'offline');
    expect(registry.get('2222222222222222')!.lastError?.code).toMatch(/^TRANSPORT_/);
    await expect(registry.borrow('2222222222222222')).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });

    await device.open();
    await waitFor(registry, () => registry!.get('2222222222222222')?.state === 'online');
    expect(registry.list()).toHaveLength(1);
    expect(registry.get('2222222222222222')!.lastError).toBeUndefined();
  });

  it('notices a register that stops answering on a line that stays open, and takes it back when it answers again', async () => {
    registry = new DeviceRegistry({ link, backoff, heartbeatMs: 20 });
    const { host, device } = createMemoryTransportPair('sim:7');
    const register = serveRegister(device, '7777777777777777');
    registry.add(host);
    await waitFor(registry, () => registry!.get('7777777777777777')?.state === 'online');
    register.mute(true);
    await waitFor(registry, () => registry!.get('7777777777777777')?.state === 'offline');
    expect(registry.get('7777777777777777')!.lastError?.code).toBe('TIMEOUT');
    register.mute(false);
    await waitFor(registry, () => registry!.get('7777777777777777')?.state === 'online');
    expect(registry.list()).toHaveLength(1);
  });

  it('follows discovery: a register unplugged goes offline, and plugged into another port comes back under the same id', async () => {
    const discovery = new FakeDiscovery();
    const first = registerPort('reg-1', '3333333333333333');
    discovery.ports = [first];
    registry = new DeviceRegistry({ link, backoff, discovery });
    registry.start();
    expect(discovery.started).toBe(true);
    await waitFor(registry, () => registry!.get('3333333333333333')?.state === 'online');

    discovery.unplug(first);
    await waitFor(registry, () => registry!.get('3333333333333333')?.state === 'offline');
    expect(registry.get('3333333333333333')!.lastError?.code).toBe('TRANSPORT_UNPLUGGED');

    const second = registerPort('reg-2', '3333333333333333');
    discovery.plug(second);
    await waitFor(registry, () => registry!.get('3333333333333333')?.state === 'online');
    expect(registry.get('3333333333333333')!.transport.path).toBe('/dev/fiscal/reg-2');
    expect(registry.list().map((each) => each.id)).toEqual(['3333333333333333']);
  });

  it('drops an unplugged port that was never identified', async () => {
    const discovery = new FakeDiscovery();
    registry = new DeviceRegistry({ link, backoff, discovery });
    registry.start();
    const silent: DiscoveredPort = {
      key: 'quiet',
      description: { kind: 'serial', path: '/dev/fiscal/quiet' },
      createTransport: () => createMemoryTransportPair('/dev/fiscal/quiet').host,
    };
    discovery.plug(silent);
    await waitFor(registry, () => registry!.get('serial:/dev/fiscal/quiet')?.state === 'offline');
    expect(registry.get('serial:/dev/fiscal/quiet')!.lastError?.code).toBe('DEVICE_IDENTIFY_FAILED');
    discovery.unplug(silent);
    await waitFor(registry, () => registry!.list().length === 0);
  });

  it('does not connect the same register twice when it answers on two ports', async () => {
    const discovery = new FakeDiscovery();
    registry = new DeviceRegistry({ link, backoff, discovery });
    registry.start();
    discovery.plug(registerPort('a', '4444444444444444'));
    await waitFor(registry, () => registry!.get('4444444444444444')?.state === 'online');
    discovery.plug(registerPort('b', '4444444444444444'));
    await waitFor(registry, () => registry!.get('serial:/dev/fiscal/b') === undefined);
    expect(registry.list().map((each) => [each.id, each.transport.path])).toEqual([['4444444444444444', '/dev/fiscal/a']]);
  });

  it('lends a session to one borrower at a time and refuses unknown ids', async () => {
    registry = new DeviceRegistry({ link, backoff });
    const { host, device } = createMemoryTransportPair('sim:5');
    serveRegister(device, '5555555555555555');
    registry.add(host);
    await waitFor(registry, () => registry!.get('5555555555555555')?.state === 'online');

    await expect(registry.borrow('nope')).rejects.toMatchObject({ code: 'DEVICE_NOT_FOUND' });
    const order: string[] = [];
    const first = await registry.borrow('5555555555555555');
    expect(first.session.transport).toBe(host);
    const second = registry.withSession('5555555555555555', async (session) => {
      order.push('second');
      return session;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    order.push('first releases');
    first.release();
    expect(await second).toBe(first.session);
    expect(order).toEqual(['first releases', 'second']);
  });

  it('closes every session and transport and refuses to lend after close', async () => {
    registry = new DeviceRegistry({ link, backoff });
    const { host, device } = createMemoryTransportPair('sim:6');
    serveRegister(device, '6666666666666666');
    registry.add(host);
    await waitFor(registry, () => registry!.get('6666666666666666')?.state === 'online');
    const lease = await registry.borrow('6666666666666666');
    lease.release();
    await registry.close();
    expect(lease.session.closed).toBe(true);
    expect(host.isOpen).toBe(false);
    await expect(registry.borrow('6666666666666666')).rejects.toMatchObject({ code: 'REGISTRY_CLOSED' });
    expect(() => registry!.add(createMemoryTransportPair().host)).toThrow(expect.objectContaining({ code: 'REGISTRY_CLOSED' }));
    expect(registry.list()).toHaveLength(1);
  });

  it('describes an identified register as its open transport does (a USB serial number is read only once open)', async () => {
    const discovery = new FakeDiscovery();
    registry = new DeviceRegistry({ link, backoff, discovery });
    registry.start();
    const listed = { kind: 'usb' as const, path: 'usb:1/4', vendorId: 0x1fc9, productId: 0x8240 };
    discovery.plug({
      key: 'usb:1/4',
      description: listed,
      createTransport() {
        const { host, device } = createMemoryTransportPair(listed.path);
        serveRegister(device, '8888888888888888');
        return wrapTransport(host, { description: { ...listed, serialNumber: 'SN9' } });
      },
    });
    await waitFor(registry, () => registry!.get('8888888888888888')?.state === 'online');
    expect(registry.get('8888888888888888')!.transport).toEqual({ ...listed, serialNumber: 'SN9' });
  });

  it('takes a register swapped on the same port while the line stayed open as a new device, and keeps the old one offline and apart', async () => {
    registry = new DeviceRegistry({ link, backoff, heartbeatMs: 20 });
    const { host, device } = createMemoryTransportPair('sim:swap');
    const first = serveRegister(device, '1111111111111111');
    registry.add(host);
    await waitFor(registry, () => registry!.get('1111111111111111')?.state === 'online');
    const firstLease = await registry.borrow('1111111111111111');
    const firstSession = firstLease.session;
    firstLease.release();

    first.mute(true);
    serveRegister(device, '9999999999999999');
    await waitFor(registry, () => registry!.get('9999999999999999')?.state === 'online');
    await waitFor(registry, () => registry!.get('1111111111111111')?.state === 'offline');
    expect(registry.get('1111111111111111')!.identity?.machineNumber).toBe('1111111111111111');
    expect(registry.get('9999999999999999')!.identity?.machineNumber).toBe('9999999999999999');
    await expect(registry.borrow('1111111111111111')).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    const lease = await registry.borrow('9999999999999999');
    expect(lease.session).not.toBe(firstSession);
    expect(firstSession.closed).toBe(true);
    lease.release();
  });

  it('takes a register swapped on the same port across a reconnect as a new device, and keeps the old one offline', async () => {
    registry = new DeviceRegistry({ link, backoff });
    const { host, device } = createMemoryTransportPair('sim:swap2');
    const first = serveRegister(device, '1212121212121212');
    registry.add(host);
    await waitFor(registry, () => registry!.get('1212121212121212')?.state === 'online');
    first.mute(true);
    serveRegister(device, '3434343434343434');
    host.cut();
    await device.open();
    await waitFor(registry, () => registry!.get('3434343434343434')?.state === 'online');
    expect(registry.list().map((each) => [each.id, each.state]).sort()).toEqual([['1212121212121212', 'offline'], ['3434343434343434', 'online']]);
  });

  it('goes offline and back 25 times without leaving a listener or a timer behind', async () => {
    const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const timersBefore = activeTimers();
    registry = new DeviceRegistry({ link, backoff: { initialMs: 1, maxMs: 2 }, heartbeatMs: 1000 });
    const { host, device } = createMemoryTransportPair('sim:cycles');
    serveRegister(device, '2525252525252525');
    let subscriptions = 0;
    const counting = <L>(subscribe: (listener: L) => Unsubscribe) => (listener: L): Unsubscribe => {
      subscriptions += 1;
      const stop = subscribe(listener);
      let active = true;
      return () => {
        if (active) subscriptions -= 1;
        active = false;
        stop();
      };
    };
    const counted = wrapTransport(host, {
      onData: counting((listener: (chunk: Uint8Array) => void) => host.onData(listener)),
      onClose: counting((listener: (error?: Error) => void) => host.onClose(listener)),
    });
    registry.add(counted);
    await waitFor(registry, () => registry!.get('2525252525252525')?.state === 'online');
    const steady = subscriptions;
    for (let cycle = 0; cycle < 25; cycle++) {
      host.cut();
      await waitFor(registry, () => registry!.get('2525252525252525')?.state === 'offline');
      await device.open();
      await waitFor(registry, () => registry!.get('2525252525252525')?.state === 'online');
      expect(subscriptions).toBe(steady);
    }
    await registry.close();
    expect(subscriptions).toBe(0);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('never sends its heartbeat while a borrower holds the register, and asks again once it is released', async () => {
    registry = new DeviceRegistry({ link, backoff, heartbeatMs: 5 });
    const { host, device } = createMemoryTransportPair('sim:lease');
    serveRegister(device, '4545454545454545');
    registry.add(host);
    await waitFor(registry, () => registry!.get('4545454545454545')?.state === 'online');
    const lease = await registry.borrow('4545454545454545');
    let questions = 0;
    device.onData(() => {
      questions += 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(questions).toBe(0);
    const asked = new Promise((resolve) => device.onData(resolve));
    lease.release();
    await asked;
    expect(questions).toBeGreaterThan(0);
  });
});
