import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import type { CommandHandler } from '../../../fixtures/simulator/CommandHandler.js';
import { prepareSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import type { StageReporter } from '../../../src/services/initialize/initializeRegister.js';

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
  options: { seed?: number; days?: number; handlers?: readonly CommandHandler[] } = {},
): Promise<InitializedRegister> {
  const prepared = prepareSimulatedRegister({ seed: options.seed ?? 7, history: { days: options.days ?? 40, invoicesPerDay: 2 } });
  const { host, device } = createMemoryTransportPair(`memory:${DEVICE}`);
  const simulator = new RegisterSimulator({
    state: prepared.state, cards: prepared.cards, timing: { timed: false }, ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
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

/** A StageReporter that keeps what a job would record. */
export class RecordingReporter implements StageReporter {
  readonly stages: string[] = [];
  before: unknown;
  after: unknown;
  stage(id: string): void { this.stages.push(id); }
  progress(): void {}
  record(draft: { before?: unknown; after?: unknown }): void {
    if (draft.before !== undefined) this.before = draft.before;
    if (draft.after !== undefined) this.after = draft.after;
  }
  throwIfCancelled(): void {}
}

/** Runs `work` and returns the GatewayError it throws (fails the test when it does not throw). */
export async function failureOf(work: Promise<unknown>): Promise<{ code: string; params: Record<string, unknown>; data: Record<string, unknown> }> {
  try {
    await work;
  } catch (error) {
    return error as { code: string; params: Record<string, unknown>; data: Record<string, unknown> };
  }
  throw new Error('expected a failure');
}
