import { afterEach, describe, expect, it } from 'vitest';
import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import { MockBinding } from '../../../drivers/serial/mockSerialBinding.js';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { MockPortDeviceTransport, SimulatorMockBinding } from '../../../fixtures/simulator/SimulatorMockBinding.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { VirtualClock } from '../../../fixtures/simulator/SimulatorClock.js';
import { withBulkBaud } from '../../../src/devices/bulkBaud.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';

const bridge = new SimulatorMockBinding();
afterEach(() => bridge.reset());

function simulatedLine(path: string): SerialTransport {
  const simulator = new RegisterSimulator({ state: createFactoryState({ seed: 4 }), clock: new VirtualClock(), timing: { timed: false } });
  bridge.add(path, simulator);
  return new SerialTransport({ path, baudRate: 9600, binding: bridge.binding });
}

async function simulatedSession(path: string): Promise<{ session: RegisterSession; transport: SerialTransport }> {
  const transport = simulatedLine(path);
  return { session: await RegisterSession.open(transport, { deviceId: 'mock' }), transport };
}

describe('bulk-rate switching (src/devices/bulkBaud) through the line-rate capability', () => {
  it('switches a serial line to the fastest rate both ends offer for the work, and back after it', async () => {
    const { session, transport } = await simulatedSession('/dev/ttyBULK0');
    expect(transport.lineRate.baudRate).toBe(9600);
    const during = await withBulkBaud(session, async () => {
      await session.connect();
      return transport.lineRate.baudRate;
    });
    expect(during).toBe(921600);
    expect(transport.lineRate.baudRate).toBe(9600);
    await session.connect();
    await session.close();
  });

  it('leaves a transport without lineRate alone, even one that looks rate-settable (no duck typing)', async () => {
    const transport = simulatedLine('/dev/ttyBULK1');
    const lookalike: ByteTransport & { baudRate: number; setBaudRate(b: number): Promise<void> } = {
      description: transport.description,
      get isOpen() { return transport.isOpen; },
      open: () => transport.open(),
      write: (bytes) => transport.write(bytes),
      onData: (listener) => transport.onData(listener),
      onClose: (listener) => transport.onClose(listener),
      close: () => transport.close(),
      baudRate: 9600,
      setBaudRate: () => Promise.reject(new Error('must not be called')),
    };
    const plain = await RegisterSession.open(lookalike, { deviceId: 'plain' });
    expect((await plain.capabilities()).baudRates).toContain(921600);
    const rate = await withBulkBaud(plain, async () => {
      await plain.connect();
      return transport.baudRate;
    });
    expect(rate).toBe(9600);
    await plain.close();
  });

  it("the simulator's end of a mock port has the capability too: it starts at the host's rate and follows its own switch", async () => {
    MockBinding.createPort('/dev/ttyBULK2');
    const port = await MockBinding.open({ path: '/dev/ttyBULK2', baudRate: 115200 });
    const end = new MockPortDeviceTransport(port, '/dev/ttyBULK2');
    expect(end.lineRate.baudRate).toBe(115200);
    await end.lineRate.setBaudRate(921600);
    expect(end.lineRate.baudRate).toBe(921600);
    await port.close();
  });
});
