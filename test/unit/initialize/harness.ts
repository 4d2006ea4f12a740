import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { createMatchingCardSet, type CardSet, type CardSetOptions } from '../../../fixtures/cards/index.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import type { SimulatorProfileInput } from '../../../fixtures/simulator/SimulatorProfile.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { ConfirmationTokens } from '../../../src/services/initialize/ConfirmationTokens.js';
import type { InitializationDeps } from '../../../src/services/initialize/initializeRegister.js';
import { CheckpointMemory } from '../support/CheckpointMemory.js';
import { RecordingReporter } from '../support/RecordingReporter.js';
import { targetOf, type InitializationCards, type InitializationTarget } from '../../../src/services/initialize/RegisterPort.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, localDateTime } from '../../../src/services/initialize/registerTime.js';

export const DEVICE = 'reg-1';

/** Today in the register's zone (China Standard Time), the day the card sets are made for. */
export function registerToday(): string {
  return localDateTime(Date.now(), DEFAULT_REGISTER_UTC_OFFSET_MINUTES).slice(0, 10);
}

export interface SimulatedRegister {
  readonly sim: RegisterSimulator;
  readonly set: CardSet;
  readonly deps: InitializationDeps;
  /** The gateway's memory of this register's initialization: the runs' checkpoints (deps.pending reads it). */
  readonly memory: CheckpointMemory;
  /** The fiscal card's number (the key of the gateway's pending initialization). */
  readonly fiscalCardNumber: string;
  session: RegisterSession;
  target: InitializationTarget;
  /** A new cable and session (after a cut), with the same register, cards and gateway memory. */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fresh simulated register (untimed) with a matching card set in its slots, reached through a
 * RegisterSession over the memory pair; the cards may be given other channels (PC/SC readers).
 */
export async function startSimulatedRegister(options: {
  cards?: CardSetOptions;
  clockOffsetMs?: number;
  channels?: (set: CardSet) => Partial<InitializationCards>;
  deps?: InitializationDeps;
  /** The register's firmware (fixtures/simulator/SimulatorProfile.ts), e.g. public. */
  profile?: SimulatorProfileInput;
} = {}): Promise<SimulatedRegister> {
  const set = createMatchingCardSet({ today: registerToday(), ...options.cards });
  const state = createFactoryState({ machineNumber: set.machineNumber, clockOffsetMs: options.clockOffsetMs ?? 0 });
  const sim = new RegisterSimulator({ state, timing: { timed: false }, cards: { fiscal: set.fiscal, user: set.user }, ...(options.profile === undefined ? {} : { profile: options.profile }) });
  const memory = options.deps?.pending instanceof CheckpointMemory ? options.deps.pending : new CheckpointMemory();
  RecordingReporter.memory = memory;
  const deps: InitializationDeps = options.deps ?? {
    pending: memory,
    tokens: new ConfirmationTokens({ ttlMs: 60_000 }),
    settings: { clockToleranceSeconds: 300, utcOffsetMinutes: DEFAULT_REGISTER_UTC_OFFSET_MINUTES },
  };
  const connect = async () => {
    const { host, device } = createMemoryTransportPair(`memory:${DEVICE}`);
    await sim.attach(device);
    const session = await RegisterSession.open(host, { deviceId: DEVICE, replyTimeoutMs: 500, settleMs: 10, retries: 1 });
    return { session, target: targetOf(DEVICE, session, options.channels?.(set) ?? {}) };
  };
  const first = await connect();
  const register: SimulatedRegister = {
    sim, set, deps, memory, fiscalCardNumber: set.fiscal.snapshot().personalization.cardNumber, session: first.session, target: first.target,
    async reconnect() {
      await register.session.close().catch(() => undefined);
      if (sim.attached) await sim.close();
      sim.setFaults({});
      const next = await connect();
      register.session = next.session;
      register.target = next.target;
    },
    async close() {
      await register.session.close().catch(() => undefined);
      await sim.close();
    },
  };
  return register;
}

export { RecordingReporter };
export { failureOf } from '../support/failureOf.js';
