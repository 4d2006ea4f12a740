import { isGatewayError } from '../../../contracts/errors/index.js';
import type { FirmwareTrial, MediaInstallReport } from '../../../protocols/gb-link/index.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';

/**
 * What the stick and card paths watch while the register installs from a medium by itself: its last install
 * report (64/0A, GB link SPEC §5.8.2) and its trial state, compared with what they were before the handover.
 */

/** The register's last install from a medium (64/0A), or undefined from a register without the report (ER 20). */
export async function mediaReport(device: BorrowedDevice): Promise<MediaInstallReport | undefined> {
  try {
    return await device.session.firmwareMediaReport();
  } catch (error) {
    if (isGatewayError(error, 'LINK_UNKNOWN_COMMAND') || isGatewayError(error, 'LINK_EXTENSION_NOT_OFFERED')) return undefined;
    throw error;
  }
}

export const sameReport = (a: MediaInstallReport | undefined, b: MediaInstallReport | undefined) =>
  a?.state === b?.state && a?.source === b?.source && a?.reason === b?.reason && a?.version === b?.version;

export const sameTrial = (a: FirmwareTrial, b: FirmwareTrial) =>
  a.state === b.state && a.reason === b.reason && a.trialVersion === b.trialVersion && a.previousVersion === b.previousVersion;
