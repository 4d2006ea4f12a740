import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { InstallKind } from '../../../protocols/fwpkg/installDecision.js';
import { selfCheckKinds, type FirmwareTrial } from '../../../protocols/gb-link/index.js';
import type { UpgradePath } from '../../../protocols/fwpkg/manifest.js';
import type { BorrowedDevice, DevicePort, ReattachExpectation } from '../../devices/DevicePort.js';
import type { BackupGate } from '../common/BackupGate.js';
import { isLinkFailure } from '../common/linkFailure.js';
import { planInstall } from './planInstall.js';
import { readUpgradeCheckpoint, type UpgradeCheckpoint } from './upgradeCheckpoint.js';
import type { UpgradeRequest } from './upgradeRequest.js';
import type { UpgradeRunContext } from './UpgradeRunContext.js';
import type { PackageForUse, UpgradePackages } from './UpgradePackages.js';
import { serialTransfer } from './serialTransfer.js';
import type { TransferOutcome, TransferPlan, UpgradeTransfers } from './UpgradeTransfer.js';

export const UPGRADE_JOB_KIND = 'upgrade';

/** The write and the activation must not be cut by a cancel: they end first (a register half-told is worse). */
export const upgradeStages = [
  { id: 'prepare', weight: 10 },
  { id: 'detach', weight: 1 },
  { id: 'write', weight: 60, critical: true },
  { id: 'attach', weight: 15 },
  { id: 'reload', weight: 2 },
  { id: 'verify', weight: 12 },
] as const;

export interface UpgradeDeps {
  readonly packages: UpgradePackages;
  /** The backup area's gate for this register and job (src/services/common/BackupGate.ts): a current verified backup first. */
  backupGate(ctx: UpgradeRunContext): BackupGate;
  /** Lends the job's register (its own loan, re-entrant, held across reboots). */
  readonly devices: DevicePort;
  /** The paths this gateway does (UpgradeTransfer.ts); default: serial only. */
  readonly transfers?: UpgradeTransfers;
  /** Seconds the register runs the new image on trial before it reverts unless confirmed (64/07). */
  readonly trialSeconds?: number;
  /** How long a reboot may take before the job looks again, ms. */
  readonly rebootMs?: number;
  readonly now?: () => number;
}

export interface UpgradeResult {
  readonly machineNumber: string;
  readonly packageId: string;
  readonly kind: InstallKind;
  readonly before: string;
  readonly after: string;
  readonly path: UpgradePath;
  readonly backupId: string;
  readonly verified: true;
  readonly confirmed: true;
  /** What the transfer reported; null when a resumed job found the register already on trial. */
  readonly write: TransferOutcome | null;
}

/** The transfers of a gateway that was given none: the serial path. */
export const defaultTransfers: UpgradeTransfers = { serial: serialTransfer() };

/** The paths `transfers` does, for planInstall's "this gateway does the path" check. */
export function availablePaths(transfers: UpgradeTransfers | undefined): readonly UpgradePath[] {
  return Object.keys(transfers ?? defaultTransfers) as UpgradePath[];
}

const DEFAULT_TRIAL_SECONDS = 120;
const DEFAULT_REBOOT_MS = 60_000;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const revertReasons = {
  'not-confirmed': { zh: '未在期限内确认', en: 'it was not confirmed within the deadline' },
  'did-not-boot': { zh: '新固件无法启动', en: 'the new image did not boot' },
  none: { zh: '原因不明', en: 'no reason given' },
} as const;

/** Checks the gateway made on the trial image that failed, named for the job's error (the register only knows "not confirmed"). */
type Objection = { readonly zh: string; readonly en: string };

/**
 * The upgrade job (issue 11; src/jobs/ENGINE.md; the contract in UpgradeTransfer.ts): prepare (package verified
 * again, version gate, backup gate, the service record's `before`) → the path's transfer (detach, write, attach:
 * the image on the register, checked, booted on trial) → settle: reload → verify (37 version, 64/09 running
 * digest, self-checks) → confirm (64/08), else no confirm and the register reverts by itself: the job fails
 * UPGRADE_REVERTED with the reason. A run resumed from its checkpoint goes on where it stopped.
 */
export function upgradeRun(deps: UpgradeDeps, request: UpgradeRequest) {
  return (ctx: UpgradeRunContext): Promise<UpgradeResult> => runUpgrade(deps, request, ctx);
}

async function runUpgrade(deps: UpgradeDeps, request: UpgradeRequest, ctx: UpgradeRunContext): Promise<UpgradeResult> {
  const now = deps.now ?? Date.now;
  const rebootMs = deps.rebootMs ?? DEFAULT_REBOOT_MS;
  const withDevice = <T>(work: (device: BorrowedDevice) => Promise<T>) => deps.devices.withDevice(ctx.deviceId, ctx.signal, work);
  const resumed = readUpgradeCheckpoint(ctx.resumedFrom);
  const transfers = deps.transfers ?? defaultTransfers;
  ctx.stage('prepare');
  const pkg = await deps.packages.forUse(request.package, { packageBytes: transfers[request.path]?.needsPackageBytes === true });
  ctx.progress(0.2, `package ${pkg.packageId} verified`);

  if (resumed !== undefined && resumed.phase !== 'write') {
    // The register is (or was) told to boot the new image: never write or activate again.
    return withDevice((device) => settleThroughCuts(deps, ctx, device, pkg, resumed, null));
  }

  const planned = await withDevice(async (device) => {
    const identity = await device.session.factoryData();
    // A register found in its bootloader (0.0.0) resuming this job's write is not judged again: its application is gone.
    // Nor one already on this job's target: a path where the register installs by itself (stick, card) got there; the transfer looks.
    if (resumed !== undefined && (identity.firmwareVersion === '0.0.0' || identity.firmwareVersion === resumed.to)) return { identity, kind: resumed.kind, from: resumed.from };
    return { identity, ...planInstall(pkg.manifest, identity, request, availablePaths(transfers)) };
  });
  const transfer = transfers[request.path];
  if (transfer === undefined) throw new GatewayError('UPGRADE_PATH_UNAVAILABLE', { params: { path: request.path } });
  ctx.progress(0.4, `${planned.kind} ${planned.from} → ${pkg.manifest.version} allowed`);
  if (resumed === undefined) await transfer.preflight?.(pkg);

  const backupId = resumed?.backupId ?? (await deps.backupGate(ctx).pass({ operation: 'upgrade' })).backupId;
  ctx.progress(1, `backup ${backupId} verified`);

  const base = {
    packageId: pkg.packageId, from: planned.from, to: pkg.manifest.version, sha256: pkg.manifest.sha256, size: pkg.manifest.size, backupId, kind: planned.kind,
    path: request.path,
  } as const;
  ctx.record({
    action: UPGRADE_JOB_KIND, machineNumber: planned.identity.machineNumber,
    before: {
      firmwareVersion: planned.from, target: pkg.manifest.version, packageId: pkg.packageId, path: request.path, kind: planned.kind,
      downgrade: planned.kind === 'downgrade', reinstall: planned.kind === 'reinstall', backupId,
    },
  });

  return withDevice(async (device) => {
    let last: UpgradeCheckpoint = { ...base, phase: 'write', offset: resumed?.offset ?? 0, ...(resumed?.detail === undefined ? {} : { detail: resumed.detail }) };
    ctx.checkpoint(last);
    let activated: UpgradeCheckpoint | undefined;
    const plan: TransferPlan = {
      model: planned.identity.model, from: planned.from, resumed, rebootMs,
      trialSeconds: deps.trialSeconds ?? DEFAULT_TRIAL_SECONDS,
      progress: (offset, detail) => {
        last = { ...base, phase: 'write', offset, ...(detail === undefined ? {} : { detail: { ...detail } }) };
        ctx.checkpoint(last);
      },
      activating: () => {
        activated = { ...last, phase: 'activated', offset: pkg.image.length };
        ctx.checkpoint(activated);
      },
      waitForRegister: (expect, allowedMs) => waitForRegister(ctx, device, allowedMs ?? rebootMs, now, expect),
    };
    const write = await transfer.transfer(ctx, device, pkg, plan);
    if (activated === undefined) throw new Error(`the ${request.path} transfer returned without plan.activating()`);
    return settleThroughCuts(deps, ctx, device, pkg, activated, write);
  });
}

/** How many times verification starts again after the link failed under it, before the job gives up. */
const SETTLE_PASSES = 3;

/**
 * Settle, and settle again when the link fails under it (a cut, a corrupted frame, the register rebooting on
 * its own): every pass reads the register first (version, trial state) and confirms only an image still on
 * trial, so a second pass finds what the first left, a lost 64/08 answer included, and a register that
 * reverted meanwhile is reported as reverted, not as a link error.
 */
async function settleThroughCuts(
  deps: UpgradeDeps, ctx: UpgradeRunContext, device: BorrowedDevice, pkg: PackageForUse, checkpoint: UpgradeCheckpoint, write: TransferOutcome | null,
): Promise<UpgradeResult> {
  for (let pass = 1; ; pass += 1) {
    try {
      return await settle(deps, ctx, device, pkg, checkpoint, write);
    } catch (error) {
      const cut = isGatewayError(error) && (isLinkFailure(error) || error.code === 'LINK_CRC_ERROR');
      if (!cut || pass >= SETTLE_PASSES) throw error;
      ctx.progress(0, 'the link failed while verifying: reading the register again');
      await waitForRegister(ctx, device, deps.rebootMs ?? DEFAULT_REBOOT_MS, deps.now ?? Date.now, 'either');
    }
  }
}

/** Reload and verify: confirm the trial image when it is the package's and healthy, else let it revert and say why. */
async function settle(
  deps: UpgradeDeps, ctx: UpgradeRunContext, device: BorrowedDevice, pkg: PackageForUse, checkpoint: UpgradeCheckpoint, write: TransferOutcome | null,
): Promise<UpgradeResult> {
  const now = deps.now ?? Date.now;
  ctx.stage('reload');
  const identity = await device.session.factoryData();
  const trial = await device.session.firmwareTrial();
  ctx.progress(1, `the register runs ${identity.firmwareVersion}`);

  ctx.stage('verify');
  const target = pkg.manifest.version;
  if (trial.state === 'reverted') throw reverted(trial, target, identity.firmwareVersion, undefined);
  if (identity.firmwareVersion !== target) {
    throw new GatewayError('UPGRADE_VERSION_UNCHANGED', { params: { running: identity.firmwareVersion, target }, data: { trial: trial.state } });
  }
  const objection = await objectionTo(device, trial, pkg);
  if (trial.state === 'on-trial' && objection === undefined) {
    ctx.checkpoint({ ...checkpoint, phase: 'confirming' });
    await device.session.firmwareConfirm();
  }
  const after = objection === undefined ? await device.session.firmwareTrial() : trial;
  if (objection === undefined && after.state === 'confirmed' && after.runningVersion === target) {
    ctx.progress(1, `${target} verified and confirmed`);
    const result: UpgradeResult = {
      machineNumber: identity.machineNumber, packageId: pkg.packageId, kind: checkpoint.kind, before: checkpoint.from, after: target, path: checkpoint.path,
      backupId: checkpoint.backupId, verified: true, confirmed: true, write,
    };
    ctx.record({ after: { firmwareVersion: target, verified: true, confirmed: true, kind: checkpoint.kind, packageId: pkg.packageId } });
    return result;
  }
  // Not confirmed: the register goes back to its old image at the trial deadline (GB link SPEC §5.8.1); wait for it.
  ctx.progress(0.5, 'not confirmed: waiting for the register to go back to its old image');
  const back = await waitForRevert(ctx, device, after.secondsLeft, deps.rebootMs ?? DEFAULT_REBOOT_MS, now);
  const running = (await device.session.factoryData()).firmwareVersion;
  ctx.record({ after: { firmwareVersion: running, verified: false, reverted: back.state === 'reverted', reason: objection?.en ?? back.reason } });
  throw reverted(back, target, running, objection);
}

/** What the gateway finds wrong with the image on trial: its digest, then the self-checks (5C–61). */
async function objectionTo(device: BorrowedDevice, trial: FirmwareTrial, pkg: PackageForUse): Promise<Objection | undefined> {
  if (hex(trial.runningSha256) !== pkg.manifest.sha256) return { zh: '运行中固件的摘要与升级包不符', en: 'the running image\'s digest differs from the package\'s' };
  for (const kind of selfCheckKinds) {
    const check = await device.session.selfCheck(kind);
    if (check.result !== 0) return { zh: `自检未通过（${kind === 'cpu' ? '处理器' : '部件'} ${check.result}）`, en: `self-check ${kind} failed (${check.result}: ${check.detail})` };
  }
  return undefined;
}

function reverted(trial: FirmwareTrial, target: string, running: string, objection: Objection | undefined): GatewayError {
  const reason = revertReasons[trial.reason];
  return new GatewayError('UPGRADE_REVERTED', {
    params: { target, running },
    data: {
      reason: objection === undefined ? reason.en : `${objection.en}, so it was not confirmed`,
      reasonZh: objection === undefined ? reason.zh : `${objection.zh}，未确认`,
      registerReason: trial.reason, trialState: trial.state, reverted: trial.state === 'reverted', changed: false,
    },
  });
}

/**
 * Asks the register about its trial once a second until it is no longer on trial (it reverts at its deadline and
 * reboots meanwhile), with progress; a deadline passed twice over is DEVICE_REATTACH_TIMEOUT, never a guess.
 */
async function waitForRevert(ctx: UpgradeRunContext, device: BorrowedDevice, secondsLeft: number, rebootMs: number, now: () => number): Promise<FirmwareTrial> {
  const allowed = (secondsLeft + 1) * 1000 + rebootMs;
  const started = now();
  for (;;) {
    const elapsed = now() - started;
    try {
      const trial = await device.session.firmwareTrial();
      if (trial.state !== 'on-trial') return trial;
    } catch (error) {
      if (!isLinkFailure(error)) throw error;
      await waitForRegister(ctx, device, rebootMs, now, 'application');
      continue;
    }
    if (elapsed > 2 * allowed) throw new GatewayError('DEVICE_REATTACH_TIMEOUT', { params: { id: ctx.deviceId, expect: 'application', seconds: Math.round(elapsed / 1000) } });
    ctx.progress(Math.min(0.99, elapsed / allowed), `the register is busy, ${Math.round(elapsed / 1000)} s of an expected ${Math.round(allowed / 1000)} s`);
    await sleep(1000, undefined, { signal: ctx.signal });
  }
}

/**
 * The register is away (rebooting, a cut link): waits with progress every second ("the register is busy, N s of
 * an expected M s"). A deadline that passes makes the job look again once, as long, before it declares anything.
 */
async function waitForRegister(ctx: UpgradeRunContext, device: BorrowedDevice, allowedMs: number, now: () => number, expect: ReattachExpectation): Promise<void> {
  ctx.waiting({ for: 'device', code: 'DEVICE_OFFLINE', message: { 'zh-CN': '收款机正在重启，等待其重新连接', en: 'The register is restarting; waiting for it to come back' } });
  const onWaiting = (elapsed: number, allowed: number) => {
    const seconds = Math.round(elapsed / 1000);
    const expected = Math.round(allowed / 1000);
    ctx.progress(Math.min(0.99, elapsed / allowed), `the register is busy, ${seconds} s of an expected ${expected} s`);
  };
  try {
    await device.reattach({ expect, deadline: now() + allowedMs, onWaiting });
  } catch (error) {
    if (!isGatewayError(error, 'DEVICE_REATTACH_TIMEOUT')) throw error;
    ctx.progress(0.99, 'the expected time has passed: looking again');
    await device.reattach({ expect, deadline: now() + allowedMs, onWaiting });
  }
  ctx.running();
}
