import type { Logger } from 'pino';
import type { ByteTransport } from '../../contracts/ByteTransport.js';
import type { StickRoots } from '../../drivers/stick/RemovableVolumes.js';
import type { PcscSource } from '../devices/readers/PcscCardReaders.js';
import type { StickHandover } from '../services/upgrade/UpgradeStick.js';

/** What `fiscald --simulate=N` asks of the simulation. */
export interface SimulationOptions {
  readonly count: number;
  /** `--simulator-timing` as given; the simulation checks it (CONFIG_INVALID). */
  readonly timing?: Readonly<Record<string, number | boolean>>;
  /** `--simulator-profile` as given (fixtures/simulator/SimulatorProfile.ts); the simulation checks it (CONFIG_INVALID). */
  readonly profile?: string;
  /** The register time zone setting (minutes east of UTC): new simulated registers keep their clocks in it. */
  readonly utcOffsetMinutes?: number;
  /** Registers and reader cards persist under `<dataDir>/simulator`; in memory only when absent. */
  readonly dataDir?: string;
  /** The trusted-keys folder: the simulated registers trust the same keys when they read a package from the stick. */
  readonly trustedKeys?: string;
  readonly logger: Logger;
}

/** The simulated USB stick: where the stick driver finds it, and the technician who carries it to a register when told. */
export interface SimulatedStickSide {
  readonly roots: StickRoots;
  readonly technician: (handover: StickHandover) => void;
}

/** Simulated registers (the host ends of their lines) and PC/SC readers holding virtual cards. */
export interface Simulation {
  readonly registers: readonly ByteTransport[];
  readonly pcsc: () => Promise<PcscSource>;
  readonly stick?: SimulatedStickSide;
  /** Saves and stops every simulated register and reader; call after the registry has let go of them. */
  close(): Promise<void>;
}

export interface SimulationModule {
  openSimulation(options: SimulationOptions): Promise<Simulation>;
}

/**
 * Loads the simulation (fixtures/simulate) when `--simulate` asks for it. The entry point (bin/fiscald.js, a test
 * harness) passes it in: production code never imports the fixtures, and without `--simulate` they are never loaded.
 */
export type SimulationLoader = () => Promise<SimulationModule>;
