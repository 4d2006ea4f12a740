// Campaign part (a), in process: serial upgrades and backups of simulated registers while the line is cut, bytes are
// dropped, corrupted or delayed, the power fails in the middle of a firmware write, the trial image does not boot, or
// the gateway "restarts" mid-write (the job's state dropped, a checkpoint behind the register's offset reconciled the
// way fiscald does after a SIGKILL: src/services/upgrade/reconcileUpgrade.ts). The real SIGKILL of fiscald mid-write is
// scripts/campaign/daemonUpgradeKills.ts. Each run ends classified by what the register runs and what the job says.
import { mkdtemp, rm } from 'node:fs/promises';
import { blockEffects, blockPlaces, BlockFaultLine, type BlockFault } from './blockFaultLine.js';
import { armPackageFileFault, expectedPackageFileCodes } from './packageFileFault.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGatewayError } from '../../contracts/errors/index.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';
import type { FaultInput } from '../../fixtures/simulator/faults.js';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { checkManifest, measureImage } from '../../protocols/fwpkg/index.js';
import { DeviceRegistry } from '../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../src/devices/lease/devicePort.js';
import type { DevicePort } from '../../src/devices/DevicePort.js';
import { RegisterSession } from '../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../src/jobs/JobRunner.js';
import { BackupStore } from '../../src/services/backup/BackupStore.js';
import { collectBackup } from '../../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../../src/services/backup/registerBackupPort.js';
import { verifyBackupFolder } from '../../src/services/backup/verifyBackupFolder.js';
import { reconcileUpgrade } from '../../src/services/upgrade/reconcileUpgrade.js';
import { UPGRADE_JOB_KIND, upgradeRun, upgradeStages, type UpgradeResult } from '../../src/services/upgrade/runUpgrade.js';
import { upgradeRequestSchema } from '../../src/services/upgrade/upgradeRequest.js';
import type { PackageForUse } from '../../src/services/upgrade/UpgradePackages.js';
import type { UpgradeRunContext } from '../../src/services/upgrade/UpgradeRunContext.js';
import { openStore, type Store } from '../../src/store/Store.js';
import type { JobEvent } from '../../src/store/types.js';

/**
 * `block`: a drop, corruption or cut placed inside a firmware block sent windowed (blockFaultLine.ts: packet 1, the
 * packet before the last, the last, the reply after it); `package-file`: the kept package file deleted, cut short
 * or rewritten on disk while its image is being written (packageFileFault.ts). Kinds alternate with the register's
 * protocol version (2: counted 74, the default simulator; 1: profile window-v1), so each kind meets both.
 */
export const upgradeFaultKinds = ['cut', 'power-loss', 'corrupt', 'drop', 'delay', 'trial-boot-fails', 'block', 'restart-mid-write', 'package-file'] as const;
export type UpgradeFaultKind = (typeof upgradeFaultKinds)[number];
export const backupFaultKinds = ['cut', 'power-cycle', 'corrupt', 'drop', 'delay'] as const;

export type UpgradeOutcome = 'new-verified' | 'resumed' | 'reverted' | 'old-working' | 'bricked' | 'lost-data' | 'hang';
/** `flagged`: committed, verifying, every record there, and the parts it could not read listed as problems in its manifest. */
export type BackupOutcome = 'complete' | 'flagged' | 'failed-then-complete' | 'lost-data' | 'hang';

export interface UpgradeFaultTotals {
  upgradeRuns: number;
  /** Faults that hit (bytes dropped, corrupted, delayed; cuts; power losses; trial boots failed; restarts). */
  upgradeFaults: number;
  upgradeFaultsByKind: Record<string, number>;
  upgradeOutcomes: Record<UpgradeOutcome, number>;
  /** How the runs that did not end on the new image ended: the job's error code (and whether the register was left on trial). */
  upgradeEndings: Record<string, number>;
  /** Upgrade runs per register protocol version (70's: 2 takes counted 74 blocks, 1 plain ones). */
  upgradeRunsByProtocol: Record<string, number>;
  /** Block faults by place and effect (`after-last cut`), counted when placed on the line. */
  blockFaultsByPlace: Record<string, number>;
  /** Firmware blocks seen sent windowed, by form. */
  windowedBlocks: { counted: number; plain: number };
  /** Resumes of the upgrades that succeeded (UpgradeResult.write.resumes), the bytes each sent again, and those over one block. */
  resumes: { count: number; resentBytes: number; maxResent: number; overOneBlock: number };
  /** Package-file faults by change and job ending (`deleted: FWPKG_NOT_FOUND`). */
  packageFileEndings: Record<string, number>;
  /** Upgrades that activated an image after its package file was changed under them. */
  activatedChangedPackage: number;
  backupRuns: number;
  backupFaults: number;
  backupOutcomes: Record<BackupOutcome, number>;
  /** One line per run that counts against the campaign (bricked, lost data, hang), with its seed. */
  problems: string[];
}

export function emptyUpgradeTotals(): UpgradeFaultTotals {
  return {
    upgradeRuns: 0, upgradeFaults: 0, upgradeFaultsByKind: {},
    upgradeOutcomes: { 'new-verified': 0, resumed: 0, reverted: 0, 'old-working': 0, bricked: 0, 'lost-data': 0, hang: 0 }, upgradeEndings: {},
    upgradeRunsByProtocol: {}, blockFaultsByPlace: {}, windowedBlocks: { counted: 0, plain: 0 },
    resumes: { count: 0, resentBytes: 0, maxResent: 0, overOneBlock: 0 }, packageFileEndings: {}, activatedChangedPackage: 0,
    backupRuns: 0, backupFaults: 0, backupOutcomes: { complete: 0, flagged: 0, 'failed-then-complete': 0, 'lost-data': 0, hang: 0 },
    problems: [],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
};
const PACKAGE_ID = 'c0'.repeat(16);
/** A job not settled within this is a hang. */
const HANG_MS = 90_000;

/** `noise`: an image deflate cannot shrink, so every block goes raw (64/02) and windowed, never as a one-packet 75. */
function packageOf(version: string, size: number, model: string, noise?: Rng): PackageForUse & { readonly image: Uint8Array } {
  const image = noise?.bytes(size) ?? Uint8Array.from({ length: size }, (_, i) => (i * 31 + version.length * 7 + (i >> 9)) & 0xff);
  const digest = measureImage(image);
  const manifest = checkManifest({
    format: 'fiscal-fwpkg/1', vendor: 'Sim', models: [model], version, versionLowest: '1.0.0', bootloaderLowest: '1.0.0',
    size: image.length, sha256: digest.sha256, sm3: digest.sm3, paths: ['serial'], releaseNotes: '',
    keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T00:00:00Z',
  });
  return { packageId: PACKAGE_ID, manifest, image };
}

interface Rig {
  readonly register: SimulatedRegister;
  readonly registry: DeviceRegistry<RegisterSession>;
  readonly store: Store;
  readonly jobs: JobRunner;
  readonly devices: DevicePort;
  readonly id: string;
  /** The largest firmware block the register takes (70's answer to 64/01): how many writes an image takes. */
  readonly maxBlock: number;
  /** 70's protocol version of the register. */
  readonly protocol: 1 | 2;
  /** The host's end of the line, watched frame by frame for block faults. */
  readonly line: BlockFaultLine;
  close(): Promise<void>;
}

async function openRig(seed: number, maxBlock: number, protocol: 1 | 2): Promise<Rig> {
  const register = await createSimulatedRegister({ seed, timing: { timed: false, rebootMs: 30 }, profile: { firmwareMaxBlock: maxBlock, protocolVersion: protocol } });
  const line = new BlockFaultLine(register.transport, register.simulator);
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
  });
  const store = openStore(':memory:');
  registry.add(line, { simulated: true });
  const id = register.state.identity.machineNumber;
  if (!(await until(() => registry.get(id)?.state === 'online', 20_000))) throw new Error('the simulated register did not come online');
  const jobs = new JobRunner({ store });
  const devices = createDevicePort(registry, jobs);
  return {
    register, registry, store, jobs, devices, id, maxBlock, protocol, line,
    async close() {
      await registry.close();
      await register.close();
      store.close();
    },
  };
}

/** The fault plan of one run, drawn from `rng`; positions count bytes from the moment the plan is set. */
function drawFaults(kind: UpgradeFaultKind, rng: Rng, imageBytes: number, maxBlock: number): FaultInput[] {
  // The image goes host → register (rx), about imageBytes plus framing; answers (tx) are small.
  const rxSpan = imageBytes + 2000;
  switch (kind) {
    case 'cut': return [rng.chance(0.5) ? { kind: 'cut', direction: 'tx', at: rng.int(10, 150), mode: 'silence' } : { kind: 'cut', direction: 'rx', at: rng.int(200, rxSpan), mode: 'silence' }];
    case 'power-loss': return [{ kind: 'power-loss', during: 'firmware-write', after: rng.int(0, Math.max(0, Math.ceil(imageBytes / maxBlock) - 1)), fraction: rng.next(), offMs: rng.int(20, 300) }];
    case 'corrupt': return [{ kind: 'corrupt', direction: rng.pick(['rx', 'both'] as const), probability: rng.pick([5e-4, 1e-3, 2e-3]) }];
    case 'drop': return [{ kind: 'drop', direction: rng.pick(['rx', 'both'] as const), probability: rng.pick([5e-4, 1e-3, 2e-3]) }];
    case 'delay': return rng.chance(0.5)
      ? [{ kind: 'delay', direction: 'tx', at: Array.from({ length: rng.int(1, 3) }, () => rng.int(5, 150)), ms: rng.int(50, 600) }]
      : [{ kind: 'delay', direction: 'rx', at: Array.from({ length: rng.int(1, 3) }, () => rng.int(100, rxSpan)), ms: rng.int(50, 600) }];
    case 'trial-boot-fails': return [{ kind: 'trial-boot-fails' }];
    case 'restart-mid-write': case 'block': case 'package-file': return [];
  }
}

interface RunOutcome {
  outcome: UpgradeOutcome;
  faults: number;
  note: string;
  /** The job's error code, when it failed. */
  code?: string;
  /** The write's resumes, when the job succeeded. */
  resumes?: readonly { readonly at: number; readonly resent: number }[];
  /** The block fault placed, or the package file change made. */
  detail?: string;
}

function faultHits(register: SimulatedRegister, before: Record<string, number>): number {
  const c = register.simulator.faults.counters;
  return c.dropped - before.dropped! + c.corrupted - before.corrupted! + c.delayed - before.delayed! + c.cuts - before.cuts! + c.powerLosses - before.powerLosses!;
}

/** Classifies what the register runs after the job, against what the job said. */
function classify(rig: Rig, pkg: PackageForUse, from: string, state: string, error: { code: string } | null, result: UpgradeResult | undefined, countsBefore: string): RunOutcome & { faults: 0 } {
  const firmware = rig.register.simulator.firmware;
  const running = firmware.running;
  const countsAfter = JSON.stringify(rig.register.simulator.memory.counts());
  const base = { faults: 0 as const };
  if (countsAfter !== countsBefore) return { ...base, outcome: 'lost-data', note: `fiscal memory counts changed: ${countsBefore} → ${countsAfter}` };
  if (firmware.trial !== null) return { ...base, outcome: 'bricked', note: `left on trial (${running.version}) after the job ended ${state}` };
  const isNew = running.version === pkg.manifest.version && running.sha256 === pkg.manifest.sha256;
  if (state === 'succeeded') {
    if (!isNew || result?.verified !== true || result.confirmed !== true) return { ...base, outcome: 'bricked', note: `job succeeded but the register runs ${running.version}` };
    return { ...base, outcome: (result.write?.resumes.length ?? 0) > 0 || result.write === null ? 'resumed' : 'new-verified', note: '' };
  }
  if (running.version !== from) return { ...base, outcome: 'bricked', note: `job ${state} ${error?.code ?? ''} but the register runs ${running.version}, not the old ${from}` };
  return { ...base, outcome: error?.code === 'UPGRADE_REVERTED' ? 'reverted' : 'old-working', note: error?.code ?? state };
}

/** One upgrade under one drawn fault, on a rig whose register runs `from`; kept package files go to `dir`. */
async function upgradeUnderFault(rig: Rig, kind: UpgradeFaultKind, rng: Rng, version: string, dir: string): Promise<RunOutcome & { from: string }> {
  const from = rig.register.simulator.firmware.running.version;
  const model = rig.register.state.identity.model;
  const size = rng.pick([16_384, 32_768, 49_152, 65_536]);
  // Half the images (all under block faults) do not deflate: their blocks go raw and windowed, where the 74 forms differ.
  const memoryPkg = packageOf(version, size, model, kind === 'block' || rng.chance(0.5) ? rng : undefined);
  const fileFault = kind === 'package-file' ? await armPackageFileFault(dir, rng, PACKAGE_ID, version, size, model) : undefined;
  const pkg: PackageForUse = fileFault?.pkg ?? memoryPkg;
  const countsBefore = JSON.stringify(rig.register.simulator.memory.counts());
  const countersBefore = { ...rig.register.simulator.faults.counters } as unknown as Record<string, number>;
  const deps = {
    packages: { forUse: async () => pkg },
    backupGate: () => ({ pass: async () => ({ backupId: 'campaign-backup', reused: true, createdAt: new Date().toISOString(), verifiedAt: new Date().toISOString(), problems: 0 }) }),
    devices: rig.devices, trialSeconds: 5, rebootMs: 5_000,
  };
  const request = upgradeRequestSchema.parse({ package: PACKAGE_ID });

  if (kind === 'restart-mid-write') {
    // The killed gateway had sent `written` bytes; its last checkpoint is some blocks behind (or at the start).
    const blocks = Math.floor(size / 2048);
    const written = rng.int(1, Math.max(1, blocks - 1)) * 2048;
    const checkpointAt = rng.int(0, written / 2048) * 2048;
    const signal = new AbortController().signal;
    await rig.devices.withDevice(rig.id, signal, async (device) => {
      await device.session.firmwareBegin({ size, sha256: Uint8Array.from(Buffer.from(pkg.manifest.sha256, 'hex')), version, model });
      for (let offset = 0; offset < written; offset += 2048) await device.session.firmwareWrite({ offset, data: Uint8Array.from(memoryPkg.image.subarray(offset, offset + 2048)) });
    });
    const checkpoint = { packageId: PACKAGE_ID, from, to: version, sha256: pkg.manifest.sha256, size, backupId: 'campaign-backup', kind: 'upgrade', phase: 'write', offset: checkpointAt };
    const run = upgradeRun(deps, request);
    let result: UpgradeResult | undefined;
    let error: { code: string } | null = null;
    try {
      const reconciled = await rig.devices.withDevice(rig.id, signal, (device) => reconcileUpgrade({ checkpoint } as never, device, run));
      if (reconciled.state !== 'resume') throw new Error(`reconcile said ${reconciled.state} for a write in progress`);
      const ctx: UpgradeRunContext = {
        deviceId: rig.id, signal, resumedFrom: checkpoint,
        stage: () => undefined, progress: () => undefined, record: () => undefined, throwIfCancelled: () => undefined,
        checkpoint: () => undefined, waiting: () => undefined, running: () => undefined,
      };
      result = (await reconciled.run(ctx)) as UpgradeResult;
    } catch (caught) {
      error = isGatewayError(caught) ? { code: caught.code } : { code: String(caught) };
    }
    const outcome = classify(rig, pkg, from, error === null ? 'succeeded' : 'failed', error, result, countsBefore);
    return { ...outcome, outcome: outcome.outcome === 'new-verified' ? 'resumed' : outcome.outcome, faults: 1, from };
  }

  rig.register.simulator.setFaults({ seed: rng.int(1, 0x7fffffff), faults: drawFaults(kind, rng, size, rig.maxBlock) });
  const blockFault: BlockFault | undefined = kind === 'block' ? { place: rng.pick(blockPlaces), effect: rng.pick(blockEffects), block: rng.int(0, 2) } : undefined;
  const placedBefore = rig.line.placed;
  rig.line.arm(blockFault, rng.int(1, 0x7fffffff));
  let changed: string | undefined;
  if (fileFault !== undefined) rig.line.watchData(() => { changed = fileFault.apply(); });
  // A pulled cable is plugged back a moment later, as a technician would.
  const restorer = setInterval(() => { if (rig.register.simulator.line.isDead) rig.register.simulator.restoreLink(); }, 40);
  try {
    const { job } = rig.jobs.start({ kind: UPGRADE_JOB_KIND, deviceId: rig.id, operator: 'campaign', stages: upgradeStages, run: upgradeRun(deps, request) });
    const events: JobEvent[] = [];
    rig.jobs.events.subscribe(job.id, 0, (event) => { events.push(event); });
    const settled = await Promise.race([rig.jobs.settled(job.id), sleep(HANG_MS).then(() => 'hang' as const)]);
    const trialFailed = kind === 'trial-boot-fails' && rig.register.simulator.firmware.lastTrial?.reason === 'did-not-boot' ? 1 : 0;
    // A block fault counts once when it took effect (a dropped frame is 255 dropped bytes, one fault).
    const hits = faultHits(rig.register, countersBefore);
    const faults = (kind === 'block' ? Math.min(1, hits) : hits) + trialFailed + (changed === undefined ? 0 : 1);
    const detail = blockFault !== undefined ? (rig.line.placed > placedBefore ? `${blockFault.place} ${blockFault.effect}` : undefined)
      : fileFault !== undefined && changed !== undefined ? `${fileFault.change}` : undefined;
    if (settled === 'hang') return { outcome: 'hang', faults, note: `job still ${rig.jobs.get(job.id)?.state ?? 'missing'} after ${HANG_MS} ms${changed === undefined ? '' : ` (package file ${changed})`}`, from };
    rig.register.simulator.setFaults({ faults: [] });
    rig.register.simulator.restoreLink();
    // A register rebooting after a power loss or a revert answers again shortly: judge it once it does.
    await until(() => rig.registry.get(rig.id)?.state === 'online', 10_000);
    // A job that ended while the register still runs its image on trial leaves it to the register's own deadline
    // (trialSeconds): not confirmed, it reverts by itself. Judge what it runs once the trial is over.
    const onTrial = rig.register.simulator.firmware.trial !== null;
    if (onTrial) await until(() => rig.register.simulator.firmware.trial === null, (deps.trialSeconds + 5) * 1000);
    const result = settled?.result as UpgradeResult | undefined;
    const outcome = classify(rig, pkg, from, settled?.state ?? 'missing', settled?.error ?? null, result, countsBefore);
    return {
      ...outcome, faults, from, note: `${outcome.note}${onTrial ? ' (the job ended while the register was on trial; it reverted at its deadline)' : ''}${changed === undefined ? '' : ` (package file ${fileFault?.change ?? ''})`}`,
      ...(settled?.error?.code === undefined ? {} : { code: settled.error.code }),
      ...(result?.write?.resumes === undefined ? {} : { resumes: result.write.resumes }),
      ...(detail === undefined ? {} : { detail }),
    };
  } finally {
    rig.line.arm(undefined, 1);
    rig.line.watchData(undefined);
    clearInterval(restorer);
    rig.register.simulator.setFaults({ faults: [] });
  }
}

/** A backup of a register with history under one drawn fault: it must come out complete and verifying, or fail clearly and succeed once the line is back. */
async function backupUnderFault(register: SimulatedRegister, session: RegisterSession, store: BackupStore, kind: (typeof backupFaultKinds)[number], rng: Rng): Promise<{ outcome: BackupOutcome; faults: number; note: string }> {
  const countersBefore = { ...register.simulator.faults.counters } as unknown as Record<string, number>;
  const counts = register.simulator.memory.counts();
  const attempt = async () => {
    const { dir, manifest } = await collectBackup(await openRegisterBackupPort(session, { deviceId: 'campaign' }), store);
    const verified = await verifyBackupFolder(dir);
    const complete = manifest.kinds.invoices?.records === counts.invoices && manifest.kinds.daily?.records === counts.dailyRecords && manifest.problems.length === 0;
    const problems = JSON.stringify(manifest.problems.slice(0, 2)).slice(0, 400);
    const recordsThere = manifest.kinds.invoices?.records === counts.invoices && manifest.kinds.daily?.records === counts.dailyRecords;
    const onlyUnread = manifest.problems.length > 0 && manifest.problems.every((problem) => problem.check === 'read');
    return { complete, flagged: recordsThere && onlyUnread, verified: verified.ok, note: `${manifest.kinds.invoices?.records} of ${counts.invoices} invoices, ${manifest.kinds.daily?.records} of ${counts.dailyRecords} daily, ${verified.ok ? 'verifies' : 'does not verify'}, problems ${problems}` };
  };
  let powerCycles = 0;
  const faults: FaultInput[] = kind === 'cut' ? [{ kind: 'cut', direction: rng.pick(['tx', 'rx'] as const), at: rng.int(100, 60_000), mode: 'silence' }]
    : kind === 'corrupt' ? [{ kind: 'corrupt', direction: rng.pick(['tx', 'rx', 'both'] as const), probability: rng.pick([1e-5, 5e-5, 1e-4]) }]
      : kind === 'drop' ? [{ kind: 'drop', direction: rng.pick(['tx', 'rx', 'both'] as const), probability: rng.pick([1e-5, 5e-5, 1e-4]) }]
        : kind === 'delay' ? [{ kind: 'delay', direction: 'tx', at: [rng.int(100, 40_000)], ms: rng.int(100, 2_500) }] : [];
  register.simulator.setFaults({ seed: rng.int(1, 0x7fffffff), faults });
  // A pulled cable is plugged back a moment later, as for the upgrades.
  const restorer = setInterval(() => { if (register.simulator.line.isDead) register.simulator.restoreLink(); }, 40);
  const powerCycle = kind === 'power-cycle' ? setTimeout(() => { powerCycles += 1; void register.simulator.powerCycle(rng.int(50, 400)); }, rng.int(5, 400)) : undefined;
  let first: Awaited<ReturnType<typeof attempt>> | Error;
  try {
    first = await Promise.race([attempt().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))), sleep(HANG_MS).then(() => 'hang' as const)]) as typeof first;
  } finally {
    clearTimeout(powerCycle);
    clearInterval(restorer);
  }
  const hits = faultHits(register, countersBefore) + powerCycles;
  register.simulator.setFaults({ faults: [] });
  register.simulator.restoreLink();
  if ((first as unknown) === 'hang') return { outcome: 'hang', faults: hits, note: 'backup did not end' };
  if (!(first instanceof Error)) {
    if (first.complete && first.verified) return { outcome: 'complete', faults: hits, note: '' };
    if (first.flagged && first.verified) return { outcome: 'flagged', faults: hits, note: first.note };
    return { outcome: 'lost-data', faults: hits, note: `committed but ${first.note}` };
  }
  if (!isGatewayError(first) && !isGatewayError(first.cause)) return { outcome: 'lost-data', faults: hits, note: `failed without a gateway error: ${first.message}` };
  await sleep(500);
  const again = await attempt().catch((error: unknown) => error as Error);
  if (again instanceof Error) return { outcome: 'lost-data', faults: hits, note: `the backup after the fault failed too: ${again.message}` };
  return again.complete && again.verified ? { outcome: 'failed-then-complete', faults: hits, note: '' } : { outcome: 'lost-data', faults: hits, note: `after the fault: ${again.note}` };
}

export interface UpgradeFaultOptions {
  readonly seed: number;
  /** Wall-clock budget, ms; the part stops starting runs once it is spent. */
  readonly budgetMs: number;
  /** Share of the budget spent on backups (the rest on upgrades). */
  readonly backupShare?: number;
  readonly maxUpgradeRuns?: number;
  readonly maxBackupRuns?: number;
  /** Only these upgrade fault kinds, in turn (default all of upgradeFaultKinds). */
  readonly kinds?: readonly UpgradeFaultKind[];
  readonly say?: (line: string) => void;
}

export async function runUpgradeFaults(options: UpgradeFaultOptions): Promise<UpgradeFaultTotals> {
  const totals = emptyUpgradeTotals();
  const rng = new Rng(options.seed);
  const say = options.say ?? (() => undefined);
  const started = Date.now();
  const upgradeUntil = started + options.budgetMs * (1 - (options.backupShare ?? 0.25));
  // One register of each protocol version; runs alternate between them, and a kind meets the other one next cycle.
  const rigs: Partial<Record<1 | 2, Rig>> = {};
  const kindList = options.kinds ?? upgradeFaultKinds;
  const kinds = kindList.length;
  const files = await mkdtemp(join(tmpdir(), 'fg-campaign-packages-'));
  let version = 3;
  try {
    for (let i = 0; Date.now() < upgradeUntil && i < (options.maxUpgradeRuns ?? Infinity); i += 1) {
      const protocol = ((i % kinds) + Math.floor(i / kinds)) % 2 === 0 ? 2 : 1;
      const rig = (rigs[protocol] ??= await openRig(rng.int(1, 1000), rng.pick([2048, 4096, 65_024]), protocol));
      const kind = kindList[i % kinds]!;
      version += 1;
      const forms = { ...rig.line.forms };
      const run = await upgradeUnderFault(rig, kind, rng, `${Math.floor(version / 100) + 3}.${version % 100}.0`, files);
      totals.windowedBlocks.counted += rig.line.forms.counted - forms.counted;
      totals.windowedBlocks.plain += rig.line.forms.plain - forms.plain;
      totals.upgradeRunsByProtocol[`v${protocol}`] = (totals.upgradeRunsByProtocol[`v${protocol}`] ?? 0) + 1;
      if (kind === 'block' && run.detail !== undefined) totals.blockFaultsByPlace[run.detail] = (totals.blockFaultsByPlace[run.detail] ?? 0) + 1;
      for (const resume of run.resumes ?? []) {
        totals.resumes.count += 1;
        totals.resumes.resentBytes += resume.resent;
        totals.resumes.maxResent = Math.max(totals.resumes.maxResent, resume.resent);
        if (resume.resent > rig.maxBlock) {
          totals.resumes.overOneBlock += 1;
          totals.problems.push(`upgrade run ${i} (${kind}, v${protocol}, seed ${options.seed}): a resume at ${resume.at} sent ${resume.resent} bytes again, over one block (${rig.maxBlock})`);
        }
      }
      if (kind === 'package-file' && run.detail !== undefined) {
        const expected = (expectedPackageFileCodes as Record<string, readonly string[] | undefined>)[run.detail]?.includes(run.code ?? '') === true;
        const ending = `${run.detail}: ${run.code ?? run.outcome}${expected ? '' : ' (not the refusal expected)'}`;
        totals.packageFileEndings[ending] = (totals.packageFileEndings[ending] ?? 0) + 1;
        if (run.outcome === 'new-verified' || run.outcome === 'resumed') {
          totals.activatedChangedPackage += 1;
          totals.problems.push(`upgrade run ${i} (package-file, v${protocol}, seed ${options.seed}): activated after its package file was ${run.note}`);
        }
      }
      totals.upgradeRuns += 1;
      totals.upgradeFaults += run.faults;
      totals.upgradeFaultsByKind[kind] = (totals.upgradeFaultsByKind[kind] ?? 0) + run.faults;
      totals.upgradeOutcomes[run.outcome] += 1;
      if (run.outcome === 'reverted' || run.outcome === 'old-working') {
        const ending = `${kind}: ${run.outcome} ${run.note}`;
        totals.upgradeEndings[ending] = (totals.upgradeEndings[ending] ?? 0) + 1;
      }
      if (['bricked', 'lost-data', 'hang'].includes(run.outcome)) {
        totals.problems.push(`upgrade run ${i} (${kind}, v${protocol}${run.detail === undefined ? '' : ` ${run.detail}`}, seed ${options.seed}): ${run.outcome}: ${run.note}`);
        say(`upgrade run ${i} ${kind} v${protocol}: ${run.outcome} ${run.note}`);
        await rig.close().catch(() => undefined);
        delete rigs[protocol];
      } else if (i % 50 === 49) {
        // A fresh register now and then: one register's slots and counters do not carry the whole campaign.
        await rig.close();
        delete rigs[protocol];
      }
    }
  } finally {
    for (const rig of Object.values(rigs)) await rig.close().catch(() => undefined);
    await rm(files, { recursive: true, force: true });
  }
  say(`upgrades: ${totals.upgradeRuns} runs, ${totals.upgradeFaults} faults, ${JSON.stringify(totals.upgradeOutcomes)}`);

  const folder = await mkdtemp(join(tmpdir(), 'fg-campaign-backup-'));
  const register = await createSimulatedRegister({ seed: rng.int(1, 1000), history: { days: 30, invoicesPerDay: 8 }, timing: { timed: false, rebootMs: 30 } });
  const session = await RegisterSession.open(register.transport, { deviceId: 'campaign' });
  try {
    const store = new BackupStore(join(folder, 'backups'));
    const until = started + options.budgetMs;
    for (let i = 0; Date.now() < until && i < (options.maxBackupRuns ?? Infinity); i += 1) {
      const kind = backupFaultKinds[i % backupFaultKinds.length]!;
      const run = await backupUnderFault(register, session, store, kind, rng);
      totals.backupRuns += 1;
      totals.backupFaults += run.faults;
      totals.backupOutcomes[run.outcome] += 1;
      if (run.outcome === 'lost-data' || run.outcome === 'hang') {
        totals.problems.push(`backup run ${i} (${kind}, seed ${options.seed}): ${run.outcome}: ${run.note}`);
        say(`backup run ${i} ${kind}: ${run.outcome} ${run.note}`);
      }
    }
  } finally {
    await session.close().catch(() => undefined);
    await register.close();
    await rm(folder, { recursive: true, force: true });
  }
  say(`backups: ${totals.backupRuns} runs, ${totals.backupFaults} faults, ${JSON.stringify(totals.backupOutcomes)}`);
  return totals;
}

