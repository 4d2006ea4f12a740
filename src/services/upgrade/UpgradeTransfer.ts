/*
 * How one upgrade path gets the image onto the register (issue 11: serial, usb-stick, ic-card).
 *
 * The job (runUpgrade.ts) is three parts; only the middle one differs per path:
 *
 *   prepare (shared)  package verified again, version gate (planInstall, including "this gateway does the path"),
 *                     backup gate, the service record's `before` written — all before the first byte moves.
 *   transfer (path)   UpgradeTransfer.transfer(ctx, device, pkg, plan): stages 'detach', 'write', 'attach' are the
 *                     transfer's to report. It ends when the register has rebooted into the new image ON TRIAL
 *                     (GB link SPEC §5.8.1) and is back on `device` (plan.waitForRegister re-attaches the loan).
 *   settle (shared)   'reload' (37, 64/06) and 'verify': running version == target, running digest (64/09) ==
 *                     manifest SHA-256, self-checks 5C–61 pass → confirm (64/08) and succeed; anything else is not
 *                     confirmed, the register reverts at its trial deadline, the job fails UPGRADE_REVERTED with
 *                     the reason (or UPGRADE_VERSION_UNCHANGED when the register never ran the target).
 *
 * Checkpoints (upgradeCheckpoint.ts, src/jobs/ENGINE.md). The runner writes phase 'write' before calling
 * transfer. While in 'write', a restarted job calls transfer AGAIN with plan.resumed set, so a transfer must be
 * re-entrant: look at the register (and the medium) first, go on from what it reports, never trust the
 * checkpoint over the register. Record the path's own progress with plan.progress(offset, detail) (offset = image
 * bytes the register or medium is known to hold; detail = small JSON the path reads back from
 * plan.resumed.detail, e.g. which card).
 * Call plan.activating() exactly once. Serial: right BEFORE 64/07 leaves, the step after which the register boots
 * the new image by itself; from then on a restarted job never calls transfer again: it goes straight to settle,
 * which reads the register — so nothing is written or activated twice. Stick and card: the gateway never commands
 * the register on these paths (the technician and the register do), so they call it once the register is seen on
 * the new image (or back from trying it); a restart before that calls transfer again, which looks at the register
 * first (already on trial: done) and at the medium (a copy that still verifies is not made again), and the runner
 * does not judge a register already on the job's target by the version gate again. Settle would otherwise read a
 * register the technician has not reached yet as "version unchanged".
 *
 * What the transfer must verify before activating (no success without verification): that the register (or the
 * medium it will read) holds exactly the package's image — serial: 64/05, the register's SHA-256 of the whole
 * image, equals the manifest's; stick/card: the staged bytes read back and compared. Errors are GatewayErrors
 * with stable codes (contracts/errors/upgrade.ts); a link cut is waited out (plan.waitForRegister) and resumed,
 * not reported. Progress is never silent for more than 2 s (waitForRegister reports while the register is away).
 */
import type { UpgradePath } from '../../../protocols/fwpkg/manifest.js';
import type { BorrowedDevice, ReattachExpectation } from '../../devices/DevicePort.js';
import type { UpgradeCheckpoint } from './upgradeCheckpoint.js';
import type { UpgradeRunContext } from './UpgradeRunContext.js';
import type { PackageForUse } from './UpgradePackages.js';

/** What the runner hands a transfer besides the package: the register as prepare saw it, the resume point and the checkpoint and wait helpers. */
export interface TransferPlan {
  /** The register's model (37) as prepare read it; the image is for this model. */
  readonly model: string;
  /** The running version before the upgrade ('0.0.0' when found in its bootloader). */
  readonly from: string;
  /** The checkpoint this run resumes (phase 'write' only), or undefined on a first run. */
  readonly resumed: UpgradeCheckpoint | undefined;
  /** Seconds the register runs the new image on trial before it reverts unless confirmed (64/07's argument). */
  readonly trialSeconds: number;
  /** How long a reboot or a move of the medium may take before the job looks again, ms. */
  readonly rebootMs: number;
  /** Persists the path's progress (phase 'write'): image bytes known to be on the register or medium, and the path's own small state. */
  progress(offset: number, detail?: Readonly<Record<string, unknown>>): void;
  /** Persists phase 'activated' before the register may boot the new image; call once, right before that step. */
  activating(): void;
  /**
   * Waits (with "the register is busy, N s of an expected M s" progress and the job's waiting state) until the same
   * register is back on the loan; past the deadline it looks again once before DEVICE_REATTACH_TIMEOUT.
   */
  waitForRegister(expect: ReattachExpectation, allowedMs?: number): Promise<void>;
}

/** What a transfer reports (UpgradeResult.write): bytes moved and resumes, the same shape for every path. */
export interface TransferOutcome {
  /** Where the transfer started: the register's (or medium's) offset at the first look. */
  readonly startedAt: number;
  /** Image bytes sent, counting any sent again. */
  readonly bytesSent: number;
  /** Each time the transfer was cut and went on from what the register (or medium) reported. */
  readonly resumes: readonly { readonly at: number; readonly resent: number }[];
  /** The path's own facts for the result (e.g. how many cards, compressed bytes on the line). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** One upgrade path. Instances are built by the wiring with their own drivers (stick roots, PC/SC) and given to UpgradeDeps.transfers. */
export interface UpgradeTransfer {
  readonly path: UpgradePath;
  /** The path hands the `.fwpkg` itself to the register (stick, card): the job asks for `pkg.fwpkg`; else only the image is read. */
  readonly needsPackageBytes?: boolean;
  /**
   * Moves `pkg.image` to the register, verifies it arrived whole, calls plan.activating(), starts (or lets the
   * register start) the trial boot, and resolves once the register is back on `device` after that reboot.
   * `device.session` changes after a reattach: read it each time, never keep it.
   */
  transfer(ctx: UpgradeRunContext, device: BorrowedDevice, pkg: PackageForUse, plan: TransferPlan): Promise<TransferOutcome>;
  /**
   * Refuses at once what the path's medium cannot take (no stick, a read-only or full one), before the backup gate
   * spends its time; called on a first run only, never on a resume (the medium may be with the technician then).
   */
  preflight?(pkg: PackageForUse): Promise<void>;
}

/** The transfers a gateway has, by path; a path missing here is refused UPGRADE_PATH_UNAVAILABLE before the job starts. */
export type UpgradeTransfers = Readonly<Partial<Record<UpgradePath, UpgradeTransfer>>>;
