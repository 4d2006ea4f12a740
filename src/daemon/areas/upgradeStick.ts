import { copyToStick, stickWithRoomFor, type CopyToStickOptions } from '../../../drivers/stick/copyToStick.js';
import { checkStickCopy } from '../../../drivers/stick/findOnStick.js';
import { systemStickRoots } from '../../../drivers/stick/RemovableVolumes.js';
import type { UpgradeStick } from '../../services/upgrade/UpgradeStick.js';

/** The upgrade's stick port over drivers/stick: the system's removable volumes, or the roots a simulation or a test points elsewhere. */
export function upgradeStick(options: Pick<CopyToStickOptions, 'roots' | 'freeSpace' | 'onWritten'> = {}): UpgradeStick {
  const roots = options.roots ?? systemStickRoots;
  return {
    async copy(bytes, relativeTarget, onProgress) {
      const copy = await copyToStick(bytes, relativeTarget, { ...options, ...(onProgress === undefined ? {} : { onProgress }) });
      return { mountPoint: copy.volume.mountPoint, path: copy.path, bytes: copy.bytes, sha256: copy.sha256 };
    },
    async room(size) {
      return { mountPoint: (await stickWithRoomFor(size, options)).mountPoint };
    },
    async check(relativeTarget, sha256) {
      const found = await checkStickCopy(relativeTarget, sha256, roots);
      if (found.state === 'absent') return found;
      return found.state === 'verified'
        ? { state: 'verified', mountPoint: found.volume.mountPoint, path: found.path, bytes: found.bytes }
        : { state: 'damaged', mountPoint: found.volume.mountPoint, path: found.path, why: found.why };
    },
  };
}
