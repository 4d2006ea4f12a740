import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { RegisterSimulator, type RegisterSimulatorOptions } from '../../../fixtures/simulator/RegisterSimulator.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { seedHistory, type SeedSummary } from '../../../fixtures/simulator/seedHistory.js';
import { VirtualClock } from '../../../fixtures/simulator/SimulatorClock.js';
import { formatDate } from '../../../fixtures/simulator/registerTime.js';
import { HostLink } from './hostLink.js';

export interface Harness {
  readonly sim: RegisterSimulator;
  readonly link: HostLink;
  readonly clock: VirtualClock;
  readonly host: ReturnType<typeof createMemoryTransportPair>['host'];
  readonly seed?: SeedSummary;
}

/** A simulator on a virtual clock over the memory pair, optionally with seeded history. */
export async function startHarness(options: {
  history?: { days: number; invoicesPerDay: number };
  simulator?: Partial<RegisterSimulatorOptions>;
} = {}): Promise<Harness> {
  const clock = new VirtualClock();
  const state = createFactoryState({ seed: 11 });
  const seed = options.history === undefined
    ? undefined
    : seedHistory(state, { ...options.history, today: formatDate(clock.now(), 480), seed: 11 });
  const { host, device } = createMemoryTransportPair();
  const sim = new RegisterSimulator({ state, clock, ...options.simulator });
  await sim.attach(device);
  await host.open();
  return { sim, link: new HostLink(host), clock, host, ...(seed === undefined ? {} : { seed }) };
}
