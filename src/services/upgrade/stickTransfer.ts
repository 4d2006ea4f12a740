import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { mediaInstallReportSchema, type FirmwareTrial, type MediaInstallReport } from '../../../protocols/gb-link/index.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import { isLinkFailure } from '../common/linkFailure.js';
import type { TransferOutcome, TransferPlan, UpgradeTransfer } from './UpgradeTransfer.js';
import { mediaReport, sameReport, sameTrial } from './mediaInstallReport.js';
import type { UpgradeRunContext } from './UpgradeRunContext.js';
import type { PackageForUse } from './UpgradePackages.js';
import { stickPackagePath, type StickHandover, type UpgradeStick } from './UpgradeStick.js';

export interface StickTransferOptions {
  readonly stick: UpgradeStick;
  /**
   * How long the technician may take to move the stick, confirm on the register, and the register to install and
   * reboot, before the job looks again (once, `plan.rebootMs` later) and then declares. Default 10 minutes.
   */
  readonly handoverMs?: number;
  /** How often the register is asked (37, 64/09) while the job waits for it; default 1 s (progress is never silent longer). */
  readonly pollMs?: number;
  /** Also told what the waiting reason tells people (the simulation's technician follows it); nothing in production. */
  readonly technician?: (handover: StickHandover) => void;
  readonly now?: () => number;
}

const DEFAULT_HANDOVER_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 1000;

/** What the stick path keeps in its checkpoint (TransferPlan.progress detail), read back on a resume. */
const stickDetailSchema = z.object({
  step: z.enum(['staged', 'handed-over']),
  file: z.string(),
  sha256: z.string(),
  mountPoint: z.string().optional(),
  /** The register's media report (64/0A) before the technician was told: a resumed wait compares with it, not with what the register says now. */
  reportBefore: mediaInstallReportSchema.optional(),
});
type StickDetail = z.infer<typeof stickDetailSchema>;

function readDetail(value: unknown): StickDetail | undefined {
  const parsed = stickDetailSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The register took the package from the stick: it runs the target on trial (settle then verifies and confirms). */
function onTrialWith(trial: FirmwareTrial, target: string): boolean {
  return trial.state === 'on-trial' && trial.trialVersion === target;
}

/** Why a register refused a package on a stick (GB link SPEC §5.8.2), for the job's error in both languages. */
const refusalWords: Record<MediaInstallReport['reason'], { readonly zh: string; readonly en: string }> = {
  none: { zh: '原因不明', en: 'no reason given' },
  'not-found': { zh: '在该型号的目录中找不到升级包', en: 'it found no such package in its model\'s folder' },
  damaged: { zh: '升级包文件与校验值不符或已损坏', en: 'the file does not match its .sha256 or is not a package' },
  signature: { zh: '签名无效或不是收款机信任的密钥所签', en: 'its signature is missing, altered or by a key the register does not trust' },
  image: { zh: '固件映像与清单的摘要不符', en: 'the image does not match the manifest\'s digests' },
  model: { zh: '升级包不适用于该型号', en: 'the package is not for this model' },
  path: { zh: '升级包不允许经 U 盘安装', en: 'the package may not be installed from a stick' },
};



/**
 * The USB-stick path (DESIGN.md "usb-stick"; issue 11 item 7): the package itself (signature included, the register
 * checks it) is staged as `FISCAL/UPGRADE/<model>/<version>.fwpkg` with its `.sha256` on the first writable removable
 * volume, fsynced, read back and compared; then the technician is told to move the stick to the register and
 * confirm there, and the job waits (progress every second) until the register runs the target on trial. The gateway
 * never commands the register on this path, so a resumed run only looks: the register first (already on trial →
 * done), then the stick (a copy that still verifies is not made again; no stick means it is with the technician).
 * `plan.activating()` is called once the register is seen on the new image (or back from trying it), which is the
 * first moment the settle step has anything to verify.
 */
export function stickTransfer(options: StickTransferOptions): UpgradeTransfer {
  return {
    path: 'usb-stick',
    needsPackageBytes: true,
    transfer: (ctx, device, pkg, plan) => transferByStick(options, ctx, device, pkg, plan),
    // No stick, a read-only or a full one: refused before the backup gate makes a backup for nothing.
    preflight: async (pkg) => {
      if (pkg.fwpkg === undefined) throw new GatewayError('UPGRADE_STICK_PACKAGE_UNAVAILABLE', { params: { packageId: pkg.packageId } });
      await options.stick.room(pkg.fwpkg.length);
    },
  };
}

async function transferByStick(options: StickTransferOptions, ctx: UpgradeRunContext, device: BorrowedDevice, pkg: PackageForUse, plan: TransferPlan): Promise<TransferOutcome> {
  const fwpkg = pkg.fwpkg;
  if (fwpkg === undefined) throw new GatewayError('UPGRADE_STICK_PACKAGE_UNAVAILABLE', { params: { packageId: pkg.packageId } });
  const target = pkg.manifest.version;
  const file = stickPackagePath(plan.model, target);
  const sha256 = createHash('sha256').update(fwpkg).digest('hex');
  const machineNumber = device.identity.machineNumber;

  ctx.stage('detach');
  const before = await device.session.firmwareTrial();
  if (onTrialWith(before, target)) {
    // A restart while the register was installing from the stick: it is done; nothing to copy or tell.
    plan.activating();
    ctx.progress(1, `the register already runs ${target} on trial`);
    return { startedAt: fwpkg.length, bytesSent: 0, resumes: [], detail: { file, reused: true } };
  }
  const resumed = readDetail(plan.resumed?.detail);
  const earlier = resumed !== undefined && resumed.sha256 === sha256 && resumed.file === file ? resumed : undefined;
  const found = earlier === undefined ? undefined : await options.stick.check(file, sha256);
  ctx.progress(1, found === undefined ? 'looking for a writable USB stick' : `earlier copy on the stick: ${found.state}`);

  ctx.stage('write');
  let mountPoint: string | undefined;
  let bytesSent = 0;
  const resumes: { at: number; resent: number }[] = [];
  if (found?.state === 'verified') {
    mountPoint = found.mountPoint;
    ctx.progress(1, `${file} on the stick still reads back right: not copied again`);
  } else if (found?.state === 'absent' && earlier?.step === 'handed-over') {
    // The stick left the gateway after the technician was told: it is with them or in the register.
    mountPoint = undefined;
    ctx.progress(1, 'the stick is not in the gateway: it is with the technician');
  } else {
    const copy = await options.stick.copy(fwpkg, file, (done, total, phase) => {
      ctx.progress(phase === 'write' ? 0.5 * done / total : 0.5 + 0.5 * done / total, `${done} of ${total} bytes ${phase === 'write' ? 'copied to' : 'read back from'} the stick`);
    });
    if (copy.sha256 !== sha256 || copy.bytes !== fwpkg.length) throw new GatewayError('STICK_VERIFY_FAILED', { params: { file } });
    mountPoint = copy.mountPoint;
    bytesSent = copy.bytes;
    if (found !== undefined) resumes.push({ at: 0, resent: copy.bytes });
    plan.progress(pkg.image.length, { step: 'staged', file, sha256, mountPoint });
    ctx.progress(1, `${copy.bytes} bytes copied to ${mountPoint}, read back and verified`);
  }

  ctx.stage('attach');
  const reportBefore = earlier?.step === 'handed-over' && earlier.reportBefore !== undefined ? earlier.reportBefore : await mediaReport(device);
  plan.progress(pkg.image.length, {
    step: 'handed-over', file, sha256, ...(mountPoint === undefined ? {} : { mountPoint }), ...(reportBefore === undefined ? {} : { reportBefore }),
  });
  const where = mountPoint === undefined ? '' : `（${mountPoint}）`;
  ctx.waiting({
    for: 'technician', code: 'UPGRADE_STICK_HANDOVER',
    message: {
      'zh-CN': `请把 U 盘${where}拔下，插到收款机 ${machineNumber}，并在收款机上确认升级（文件 ${file}）`,
      en: `Move the stick${mountPoint === undefined ? '' : ` (${mountPoint})`} to the register ${machineNumber} and confirm the upgrade on the register (file ${file})`,
    },
  });
  options.technician?.({ jobDeviceId: ctx.deviceId, machineNumber, model: plan.model, version: target, mountPoint, file });
  await waitForInstall(options, ctx, device, plan, target, before, reportBefore);
  plan.activating();
  return {
    startedAt: found?.state === 'verified' ? fwpkg.length : 0, bytesSent, resumes,
    detail: { file, mountPoint: mountPoint ?? null, packageBytes: fwpkg.length, reused: found?.state === 'verified' },
  };
}

/**
 * Asks the register every `pollMs` until it runs the target on trial (or is back from trying it: settle reports
 * the revert). While it reboots, `plan.waitForRegister` waits with its own progress. The deadline passing makes
 * the job look again once, `plan.rebootMs` later (a register that started installing at the last moment); then,
 * with the register still on its old image, UPGRADE_STICK_NOT_INSTALLED. A register with the media report (64/0A)
 * that refused the package ends the wait at once: UPGRADE_STICK_REFUSED with its reason.
 */
async function waitForInstall(
  options: StickTransferOptions, ctx: UpgradeRunContext, device: BorrowedDevice, plan: TransferPlan, target: string, before: FirmwareTrial,
  reportBefore: MediaInstallReport | undefined,
): Promise<void> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const allowed = options.handoverMs ?? DEFAULT_HANDOVER_MS;
  const started = now();
  let away = false;
  let lookingAgain = false;
  for (;;) {
    ctx.signal.throwIfAborted();
    let running: string;
    try {
      running = (await device.session.factoryData()).firmwareVersion;
      const trial = await device.session.firmwareTrial();
      if (onTrialWith(trial, target)) {
        // It rebooted between two looks, unseen: identified again, so the registry (devices) shows what it runs now.
        if (!away) await plan.waitForRegister('application');
        return;
      }
      // It tried the image and is back on the old one (did not boot): settle says why. A stale 64/09 from before does not count.
      if (trial.trialVersion === target && trial.state === 'reverted' && (away || !sameTrial(trial, before))) return;
      // The register says it refused what it found on the stick: no use waiting for the deadline.
      const report = reportBefore === undefined ? undefined : await mediaReport(device);
      if (report?.state === 'refused' && report.source === 'usb-stick' && !sameReport(report, reportBefore)) {
        const words = refusalWords[report.reason];
        throw new GatewayError('UPGRADE_STICK_REFUSED', {
          params: { machine: device.identity.machineNumber, reason: words.en, reasonZh: words.zh, running },
          data: { registerReason: report.reason, packageVersion: report.version, changed: false },
        });
      }
    } catch (error) {
      if (!isLinkFailure(error)) throw error;
      away = true;
      await plan.waitForRegister('either');
      continue;
    }
    const elapsed = now() - started;
    if (elapsed >= allowed + (lookingAgain ? plan.rebootMs : 0)) {
      if (lookingAgain) {
        throw new GatewayError('UPGRADE_STICK_NOT_INSTALLED', {
          params: { machine: device.identity.machineNumber, seconds: Math.round(elapsed / 1000), target, running },
          data: { changed: false },
        });
      }
      lookingAgain = true;
      ctx.progress(0.99, 'the expected time has passed: looking again');
    } else {
      ctx.progress(Math.min(0.99, elapsed / allowed), `waiting for the register to install from the stick, ${Math.round(elapsed / 1000)} s of an expected ${Math.round(allowed / 1000)} s`);
    }
    await sleep(pollMs, undefined, { signal: ctx.signal });
  }
}
