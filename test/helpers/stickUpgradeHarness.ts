import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedStick } from '../../fixtures/simulate/SimulatedStick.js';
import { StickTechnician } from '../../fixtures/simulate/StickTechnician.js';
import type { CommandHandler } from '../../fixtures/simulator/CommandHandler.js';
import { firmwareHandler } from '../../fixtures/simulator/commands/firmwareCommands.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';
import { ErCode, RegisterRefusal } from '../../fixtures/simulator/RegisterRefusal.js';
import { CMD, FIRMWARE_SUB } from '../../protocols/gb-link/index.js';
import { buildFwpkg, generateKeyPair, parseFirmwareVersion, parsePrivateKeyPem, parsePublicKeyPem, type FwpkgPublicKey } from '../../protocols/fwpkg/index.js';
import { upgradeStick } from '../../src/daemon/areas/upgradeStick.js';
import { DeviceRegistry } from '../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../src/jobs/JobRunner.js';
import { reconcileUpgrade } from '../../src/services/upgrade/reconcileUpgrade.js';
import { UPGRADE_JOB_KIND, upgradeRun, upgradeStages } from '../../src/services/upgrade/runUpgrade.js';
import { serialTransfer } from '../../src/services/upgrade/serialTransfer.js';
import { stickTransfer, type StickTransferOptions } from '../../src/services/upgrade/stickTransfer.js';
import { upgradeRequestSchema } from '../../src/services/upgrade/upgradeRequest.js';
import type { PackageForUse } from '../../src/services/upgrade/UpgradePackages.js';
import type { StickHandover } from '../../src/services/upgrade/UpgradeStick.js';
import { openStore, type Store } from '../../src/store/Store.js';
import type { JobEvent, JobRow } from '../../src/store/types.js';

/**
 * The USB-stick upgrade path in one process, for the unit tests and the fault campaign (scripts/campaign/stickFaults.ts):
 * a simulated register, the real job runner and device port, a simulated stick in a temporary folder seen through
 * the stick driver's roots, and the simulated technician who carries it (when `moveMs` is given).
 */
const opened: { register: SimulatedRegister; registry: DeviceRegistry<RegisterSession>; store: Store; technician?: StickTechnician }[] = [];
/** Closes every harness opened so far. */
export async function closeStickHarnesses(): Promise<void> {
  for (const { register, registry, store, technician } of opened.splice(0)) {
    await technician?.stop();
    await registry.close();
    await register.close();
    store.close();
  }
}

export function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });
}

/** 64 as a register without the media report (GB link SPEC §5.8.2) answers it: 0A is an unknown sub-command. */
const withoutMediaReport: CommandHandler = {
  code: CMD.FIRMWARE,
  handle: (context, params) => (params[0] === FIRMWARE_SUB.mediaReport
    ? Promise.reject(new RegisterRefusal(ErCode.unknownCommand, 'no media report in this firmware'))
    : firmwareHandler.handle(context, params)),
};

export const PACKAGE_ID = 'cd'.repeat(16);
const vendor = generateKeyPair('ed25519');
export const vendorPublic: FwpkgPublicKey = parsePublicKeyPem(vendor.publicPem);
export const stranger = generateKeyPair('ed25519');

/** A signed package as the packages area hands it over: manifest, image, and the .fwpkg itself. */
export async function signedPackage(version: string, options: { models?: string[]; paths?: ('serial' | 'usb-stick' | 'ic-card')[]; key?: string } = {}): Promise<PackageForUse> {
  const image = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 17 + version.length) & 0xff);
  const built = await buildFwpkg({
    image, key: parsePrivateKeyPem(options.key ?? vendor.privatePem), vendor: 'Sim', models: options.models ?? ['SIM-ECR-200'],
    version: parseFirmwareVersion(version), versionLowest: parseFirmwareVersion('1.0.0'), bootloaderLowest: parseFirmwareVersion('1.0.0'), paths: options.paths ?? ['serial', 'usb-stick'],
    releaseNotes: '', createdAt: new Date('2026-12-01T00:00:00Z'),
  });
  return { packageId: PACKAGE_ID, manifest: built.manifest, image, fwpkg: built.bytes };
}

export interface StickHarnessOptions {
  readonly stick?: { readOnly?: boolean; present?: boolean };
  /** The technician's walk to the register, ms; undefined: nobody carries the stick. */
  readonly moveMs?: number;
  /** The keys the register trusts (default: the vendor's). */
  readonly registerTrusts?: readonly FwpkgPublicKey[];
  readonly transfer?: Partial<Omit<StickTransferOptions, 'stick' | 'technician'>>;
  readonly freeSpace?: number;
  /** The stick gives back other bytes than it was given: this byte of the copy flipped once it is durable (true: byte 100). */
  readonly corruptAfterWrite?: boolean | number;
  readonly faults?: 'trial-boot-fails';
  /** How long the job waits for a reboot before it looks again (TransferPlan.rebootMs); default 2 s. */
  readonly rebootMs?: number;
  readonly onCarry?: (stick: SimulatedStick, handover: StickHandover) => Promise<void>;
  /** A register whose firmware has no 64/0A media report (answers ER 20): the job learns a refusal only from the version, after its deadline. */
  readonly withoutMediaReport?: boolean;
}

export async function stickHarness(options: StickHarnessOptions = {}) {
  const register = await createSimulatedRegister({
    timing: { timed: false, rebootMs: 30 }, ...(options.faults === undefined ? {} : { faults: { faults: [{ kind: options.faults }] } }),
    ...(options.withoutMediaReport === true ? { handlers: [withoutMediaReport] } : {}),
  });
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
  });
  const store = openStore(':memory:');
  const stick = await SimulatedStick.create(await mkdtemp(join(tmpdir(), 'fg-stick-upgrade-')), options.stick ?? {});
  const technician = new StickTechnician({
    stick, registers: new Map([[register.state.identity.machineNumber, register.simulator]]), trialSeconds: 30,
    trustedKeys: async () => options.registerTrusts ?? [vendorPublic], moveMs: options.moveMs ?? 0,
    ...(options.onCarry === undefined ? {} : { onCarry: options.onCarry }),
  });
  opened.push({ register, registry, store, technician });
  registry.add(register.transport, { simulated: true });
  const id = register.state.identity.machineNumber;
  await until(() => registry.get(id)?.state === 'online');
  const jobs = new JobRunner({ store });
  const devices = createDevicePort(registry, jobs);
  const told: StickHandover[] = [];
  const transfer = stickTransfer({
    stick: upgradeStick({
      roots: stick.roots,
      ...(options.freeSpace === undefined ? {} : { freeSpace: async () => options.freeSpace! }),
      ...(options.corruptAfterWrite === undefined || options.corruptAfterWrite === false ? {} : { onWritten: async (path: string) => {
        // A stick that returns other bytes than it was given: the same length, one byte different.
        const bytes = await readFile(path);
        const at = options.corruptAfterWrite === true ? 100 : Number(options.corruptAfterWrite) % bytes.length;
        bytes[at] = bytes[at]! ^ 0xff;
        await writeFile(path, bytes);
      } }),
    }),
    technician: (handover) => {
      told.push(handover);
      if (options.moveMs !== undefined) technician.told(handover);
    },
    pollMs: 20, handoverMs: 3_000, ...options.transfer,
  });
  const gate = { calls: 0 };
  const start = (pkg: PackageForUse, resumedFrom?: Record<string, unknown>) => {
    const request = upgradeRequestSchema.parse({ package: PACKAGE_ID, path: 'usb-stick' });
    const { job } = jobs.start({
      kind: UPGRADE_JOB_KIND, deviceId: id, operator: 'li', stages: upgradeStages,
      run: (ctx) => upgradeRun({
        packages: { forUse: async () => pkg }, devices, trialSeconds: 30, rebootMs: options.rebootMs ?? 2_000,
        backupGate: () => ({ pass: async () => {
          gate.calls += 1;
          return { backupId: 'backup-1', reused: true, createdAt: '2026-12-05T12:00:00Z', verifiedAt: '2026-12-05T12:00:00Z', problems: 0 };
        } }),
        transfers: { serial: serialTransfer(), 'usb-stick': transfer },
      }, request)(resumedFrom === undefined ? ctx : { ...ctx, resumedFrom }),
    });
    const events: JobEvent[] = [];
    jobs.events.subscribe(job.id, 0, (event) => events.push(event));
    return { jobId: job.id, events };
  };
  const upgrade = async (pkg: PackageForUse, resumedFrom?: Record<string, unknown>): Promise<{ job: JobRow; events: JobEvent[] }> => {
    const { jobId, events } = start(pkg, resumedFrom);
    const settled = await jobs.settled(jobId);
    if (settled === undefined) throw new Error('the job vanished');
    return { job: settled, events };
  };
  /**
   * fiscald started again with this job's `checkpoint` in its store, once the register is back: reconcileUpgrade
   * decides (succeeded at once, or the run resumed under a job from the checkpoint).
   */
  const restart = async (pkg: PackageForUse, checkpoint: Record<string, unknown>): Promise<{ job: JobRow | undefined; reconciled: 'succeeded' | 'failed' | 'resume' }> => {
    const request = upgradeRequestSchema.parse({ package: PACKAGE_ID, path: 'usb-stick' });
    const run = upgradeRun({
      packages: { forUse: async () => pkg }, devices, trialSeconds: 30, rebootMs: options.rebootMs ?? 2_000,
      backupGate: () => ({ pass: async () => { throw new Error('a resumed upgrade does not pass the backup gate again'); } }),
      transfers: { serial: serialTransfer(), 'usb-stick': transfer },
    }, request);
    const outcome = await devices.withDevice(id, new AbortController().signal, (device) => reconcileUpgrade({ checkpoint } as unknown as JobRow, device, run));
    if (outcome.state !== 'resume') return { job: undefined, reconciled: outcome.state };
    const { job } = jobs.start({
      kind: UPGRADE_JOB_KIND, deviceId: id, operator: 'li', stages: upgradeStages,
      run: (ctx) => outcome.run({ ...ctx, resumedFrom: checkpoint }),
    });
    return { job: await jobs.settled(job.id), reconciled: 'resume' };
  };
  return { register, registry, id, stick, technician, told, upgrade, restart, jobs, devices, gateCalls: () => gate.calls };
}

