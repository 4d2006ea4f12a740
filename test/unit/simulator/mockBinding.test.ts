import { afterEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { SimulatorMockBinding } from '../../../fixtures/simulator/SimulatorMockBinding.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { VirtualClock } from '../../../fixtures/simulator/SimulatorClock.js';
import { connect, factoryData } from '../../../protocols/gb-link/payloads/identity.js';
import { status } from '../../../protocols/gb-link/payloads/status.js';
import { HostLink } from './hostLink.js';

const bridge = new SimulatorMockBinding();
afterEach(() => bridge.reset());

describe('simulator behind @serialport/binding-mock', () => {
  it('answers a SerialTransport opened on the mock port, and again after a reopen', async () => {
    const simulator = new RegisterSimulator({ state: createFactoryState({ seed: 4 }), clock: new VirtualClock(), timing: { timed: false } });
    bridge.add('/dev/ttyFISCAL0', simulator, { vendorId: '1a86', productId: '7523' });
    const transport = new SerialTransport({ path: '/dev/ttyFISCAL0', baudRate: 9600, binding: bridge.binding });
    await transport.open();
    let link = new HostLink(transport);
    await link.call(connect, undefined);
    expect((await link.call(factoryData, undefined)).machineNumber).toBe(simulator.state.identity.machineNumber);
    await transport.close();
    expect(simulator.attached).toBe(false);
    await transport.open();
    link = new HostLink(transport);
    expect((await link.call(status, undefined)).initialized).toBe(false);
    await transport.close();
  });
});
