import type { ApiPlugin } from '../api/ApiContext.js';
import type { DeviceDirectory } from '../api/DeviceDirectory.js';
import type { DeviceFeed, JobRunner } from '../jobs/JobRunner.js';
import type { JobDefinition } from '../jobs/types.js';
import type { PastRecord } from '../services/common/PastRecord.js';

/**
 * What the device side is built with: the job runner, whose jobs own devices (it shares the registry's owner
 * table through the DevicePort; a busy slot names its job).
 */
export interface DeviceSideContext {
  /** This gateway's service records (a resumed job reads what earlier jobs left, as its route did). */
  readonly records?: { list(filter: { device: string }): readonly PastRecord[] };
  readonly jobs: Pick<JobRunner, 'runningOn' | 'shareOwners' | 'checkpointed'>;
}

/**
 * The hardware half of the daemon, real or simulated: the devices the API lists, the API areas and
 * job definitions that need them, and how to let go of them at shutdown.
 */
export interface DeviceSide {
  readonly directory: DeviceDirectory;
  readonly plugins: readonly ApiPlugin[];
  readonly definitions: readonly JobDefinition[];
  /** Where the job runner learns that a register is back (and borrows it) to reconcile the jobs waiting for it. */
  readonly feed?: DeviceFeed;
  close(): Promise<void>;
}
