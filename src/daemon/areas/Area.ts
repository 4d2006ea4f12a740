import type { Logger } from 'pino';
import type { ApiPlugin } from '../../api/ApiContext.js';
import type { DeviceSnapshot } from '../../devices/Device.js';
import type { DevicePort } from '../../devices/DevicePort.js';
import type { JobDefinition } from '../../jobs/types.js';
import type { SimulatedStickSide } from '../Simulation.js';
import type { PastRecord } from '../../services/common/PastRecord.js';
import type { JobRow } from '../../store/types.js';

/** What every feature area is built from: the one DevicePort and the daemon's own pieces. */
export interface AreaDeps {
  readonly devices: DevicePort;
  /** The registers as the registry lists them (never touches hardware). */
  readonly registers: { list(): readonly DeviceSnapshot[] };
  readonly dataDir: string;
  readonly logger: Logger;
  /** The register time zone setting (daemon config registerUtcOffset, SPEC.md §4.1), minutes east of UTC; UTC+8 when absent. */
  readonly registerUtcOffsetMinutes?: number;
  /** The job holding a register, if any. */
  readonly busyWith?: (deviceId: string) => string | undefined;
  /** The jobs of a kind that wrote a checkpoint, newest first (the job runner); none when absent. */
  readonly jobs?: { checkpointed(kind: string): readonly JobRow[] };
  /** This gateway's service records of a register (the store's); none when absent. */
  readonly records?: { list(filter: { device: string }): readonly PastRecord[] };
  /** The removable volumes the stick features use: the system's when absent, `--simulate`'s stick (and its technician) when simulating. */
  readonly stick?: Partial<SimulatedStickSide>;
}

/** One feature area in the daemon: its API routes and the job kinds it defines (with their reconcile). */
export interface Area {
  readonly plugins: readonly ApiPlugin[];
  readonly definitions: readonly JobDefinition[];
}
