import type { SimulatorProfileInput } from '../../../fixtures/simulator/SimulatorProfile.js';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import type { CommandHandler } from '../../../fixtures/simulator/CommandHandler.js';
import { prepareSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';

export const DEVICE = 'sim-g2';

export interface InitializedRegister {
  readonly reg: SimulatedRegister;
  readonly session: RegisterSession;
  close(): Promise<void>;
}

/**
 * An initialized simulated register (a few weeks of seeded sales, untimed) with its registered fiscal
 * card and the taxpayer's user card in its slots, reached through a RegisterSession over the memory pair.
 */
export async function startInitializedRegister(
  options: { seed?: number; days?: number; handlers?: readonly CommandHandler[]; profile?: SimulatorProfileInput } = {},
): Promise<InitializedRegister> {
  const prepared = prepareSimulatedRegister({ seed: options.seed ?? 7, history: { days: options.days ?? 40, invoicesPerDay: 2 } });
  const { host, device } = createMemoryTransportPair(`memory:${DEVICE}`);
  const simulator = new RegisterSimulator({
    state: prepared.state, cards: prepared.cards, timing: { timed: false }, ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  await simulator.attach(device);
  const reg: SimulatedRegister = {
    ...prepared, transport: host, simulator,
    async close() {
      simulator.detach();
      await device.close();
      await host.close();
    },
  };
  const session = await RegisterSession.open(reg.transport, { deviceId: DEVICE, replyTimeoutMs: 300, settleMs: 10, retries: 1 });
  return {
    reg, session,
    async close() {
      await session.close().catch(() => undefined);
      await reg.close();
    },
  };
}

// Shared with the other flows' tests (changes, deregister import them from here).
export { RecordingReporter } from '../support/RecordingReporter.js';
export { failureOf } from '../support/failureOf.js';
