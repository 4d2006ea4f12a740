import type { BorrowedDevice } from '../../devices/DevicePort.js';
import type { GatewayError } from '../../../contracts/errors/index.js';
import type { JobRow } from '../../store/types.js';
import { readUpgradeCheckpoint } from './upgradeCheckpoint.js';
import type { UpgradeRunContext } from './UpgradeRunContext.js';

/** The job runner's ReconcileOutcome, as far as an upgrade gives one. */
export type UpgradeReconcileOutcome =
  | { readonly state: 'succeeded'; readonly result: unknown; readonly after: unknown }
  | { readonly state: 'failed'; readonly error: GatewayError }
  | { readonly state: 'resume'; readonly run: (ctx: UpgradeRunContext) => Promise<unknown> };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * An upgrade a restart (or a long absence) interrupted, once its register is back (src/jobs/ENGINE.md): already on
 * the target with the trial confirmed and the package's digest → succeeded; otherwise the run goes on from its
 * checkpoint under the same job — the write from the offset the register reports (also from its bootloader), an
 * image on trial to its verification, a reverted one to its report. Nothing is written or activated twice.
 */
export async function reconcileUpgrade(job: JobRow, device: BorrowedDevice, run: (ctx: UpgradeRunContext) => Promise<unknown>): Promise<UpgradeReconcileOutcome> {
  const checkpoint = readUpgradeCheckpoint(job.checkpoint);
  if (checkpoint === undefined || checkpoint.phase === 'write') return { state: 'resume', run };
  const identity = await device.session.factoryData();
  if (identity.firmwareVersion !== checkpoint.to) return { state: 'resume', run };
  const trial = await device.session.firmwareTrial();
  if (trial.state === 'confirmed' && trial.runningVersion === checkpoint.to && hex(trial.runningSha256) === checkpoint.sha256) {
    const after = { firmwareVersion: checkpoint.to, verified: true, confirmed: true, kind: checkpoint.kind, packageId: checkpoint.packageId };
    return {
      state: 'succeeded', after,
      result: {
        machineNumber: identity.machineNumber, packageId: checkpoint.packageId, kind: checkpoint.kind, before: checkpoint.from, after: checkpoint.to,
        path: checkpoint.path, backupId: checkpoint.backupId, verified: true, confirmed: true, write: null,
      },
    };
  }
  return { state: 'resume', run };
}
