import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import { withBulkBaud } from '../../devices/bulkBaud.js';
import type { UpgradeTransfer } from './UpgradeTransfer.js';
import { writeImage, type WriteOptions } from './writeImage.js';

/**
 * The serial path (GB link 64 over the windowed transfer, SPEC.md §5.8): the image written from the offset the
 * register reports, at the fastest rate both sides support and back to the normal rate after, the register's
 * SHA-256 of the whole image checked (64/04), then 64/07 boots it on trial and the loan waits for the register.
 * Only to a register whose 70 lists 64 (UPGRADE_SERIAL_NOT_OFFERED otherwise); blocks deflated (75) when 70 lists
 * 75 and `compress` is not false; windowed (74) when 70 lists 74.
 */
export function serialTransfer(options: WriteOptions = {}): UpgradeTransfer {
  return {
    path: 'serial',
    async transfer(ctx, device, pkg, plan) {
      ctx.stage('detach');
      const offered = await device.session.extensions();
      if (!(offered.capabilities?.commands.includes(CMD.FIRMWARE) ?? false)) {
        throw new GatewayError('UPGRADE_SERIAL_NOT_OFFERED', { data: { publicFirmware: offered.publicFirmware } });
      }
      ctx.progress(1, 'transfer begins');

      ctx.stage('write');
      const total = pkg.image.length;
      const target = { image: pkg.image, sha256: pkg.manifest.sha256, version: pkg.manifest.version, model: plan.model };
      // After a cut the register falls back to its normal rate by itself; withBulkBaud brings ours back on every path.
      const write = await withBulkBaud(device.session, () => writeImage(device, target, {
        written: (offset) => {
          plan.progress(offset);
          ctx.progress(offset / total, `${offset} of ${total} bytes written`);
        },
        away: () => plan.waitForRegister('either'),
      }, ctx.signal, options));
      ctx.progress(1, 'the register\'s digest of the whole image matches the package');

      ctx.stage('attach');
      plan.activating();
      try {
        await device.session.firmwareActivateTrial(plan.trialSeconds);
      } catch (error) {
        // A lost OK: the register may be rebooting already; what runs afterwards says what happened.
        if (!isGatewayError(error, 'LINK_IN_DOUBT') && !isGatewayError(error, 'LINK_TIMEOUT')) throw error;
      }
      await plan.waitForRegister('either');
      return write;
    },
  };
}
