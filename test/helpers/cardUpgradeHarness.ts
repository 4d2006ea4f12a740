import type { CardChannel } from '../../contracts/CardChannel.js';
import { GatewayError } from '../../contracts/errors/index.js';
import type { VirtualCard } from '../../fixtures/cards/VirtualCard.js';
import { VirtualCardChannel } from '../../fixtures/cards/VirtualCardChannel.js';
import { VirtualUpgradeCard, type UpgradeCardProfile } from '../../fixtures/cards/VirtualUpgradeCard.js';
import { SimulatedCardTechnician } from '../../fixtures/simulate/SimulatedCardTechnician.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';
import { UpgradeCardInstaller } from '../../fixtures/simulator/UpgradeCardInstaller.js';
import { buildFwpkg, generateKeyPair, parsePrivateKeyPem, parseFirmwareVersion } from '../../protocols/fwpkg/index.js';
import { DeviceRegistry } from '../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../src/jobs/JobRunner.js';
import { cardTransfer, type CardTransferOptions } from '../../src/services/upgrade/cardTransfer.js';
import { UPGRADE_JOB_KIND, upgradeRun, upgradeStages } from '../../src/services/upgrade/runUpgrade.js';
import { serialTransfer } from '../../src/services/upgrade/serialTransfer.js';
import type { UpgradeCardReader } from '../../src/services/upgrade/UpgradeCardReaders.js';
import { upgradeRequestSchema } from '../../src/services/upgrade/upgradeRequest.js';
import type { PackageForUse } from '../../src/services/upgrade/UpgradePackages.js';
import { openStore, type Store } from '../../src/store/Store.js';
import type { JobEvent } from '../../src/store/types.js';

/**
 * The IC-card upgrade path in one process, for the unit tests and the fault campaign: a simulated register with its
 * card installer (trusting a vendor key made here), the real job runner and device port, a reader over a
 * VirtualCardChannel (wrap it to inject faults) and the simulated technician who moves the cards.
 */
const opened: { register: SimulatedRegister; registry: DeviceRegistry<RegisterSession>; store: Store; technician?: SimulatedCardTechnician }[] = [];
/** Closes every harness opened so far. */
export async function closeCardHarnesses(): Promise<void> {
  for (const { register, registry, store, technician } of opened.splice(0)) {
    technician?.stop();
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

export const PACKAGE_ID = 'cd'.repeat(16);
const vendor = generateKeyPair('ed25519');
export const vendorKey = parsePrivateKeyPem(vendor.privatePem);
export const CAPACITY = 8 * 1024;

/** The default image makes a package of three 8 KiB cards however its parts are sized (short or extended APDUs). */
export async function packageOf(version: string, size = 19_000, models = ['SIM-ECR-200']): Promise<PackageForUse> {
  const image = Uint8Array.from({ length: size }, (_, i) => (i * 131 + 7) & 0xff);
  const built = await buildFwpkg({
    image, key: vendorKey, vendor: 'Sim', models, version: parseFirmwareVersion(version), versionLowest: parseFirmwareVersion('1.0.0'),
    bootloaderLowest: parseFirmwareVersion('1.0.0'), paths: ['serial', 'ic-card'], releaseNotes: '', createdAt: new Date('2026-12-01T00:00:00Z'),
  });
  return { packageId: PACKAGE_ID, manifest: built.manifest, image, fwpkg: built.bytes };
}

/** The gateway's reader in the test: the card in `channel`, `holding` while the transfer works on it. */
export class TestReader implements UpgradeCardReader {
  readonly name = 'Test Reader 0';
  holding = false;
  /** Wraps the channel the transfer gets (a fault injector), if set. */
  wrap: ((channel: CardChannel) => CardChannel) | undefined;
  constructor(readonly channel: VirtualCardChannel) {}
  hasCard(): boolean {
    return this.channel.present;
  }
  async withCard<T>(work: (channel: CardChannel, atr: Uint8Array) => Promise<T>): Promise<T> {
    const card = this.channel.card;
    if (card === undefined) throw new GatewayError('CARD_ABSENT', { params: { reader: this.name } });
    this.holding = true;
    try {
      return await work(this.wrap?.(this.channel) ?? this.channel, card.atr);
    } finally {
      this.holding = false;
    }
  }
}

export interface HarnessOptions {
  readonly profile?: UpgradeCardProfile;
  readonly firstCard?: VirtualCard;
  readonly transfer?: Partial<CardTransferOptions>;
  readonly trusted?: boolean;
  /** The job's allowance for a register reboot (also how much later it looks again after the card deadline); default 5 s. */
  readonly rebootMs?: number;
}

export async function cardHarness(options: HarnessOptions = {}) {
  const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: 30 } });
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
  });
  const store = openStore(':memory:');
  registry.add(register.transport, { simulated: true });
  const id = register.state.identity.machineNumber;
  await until(() => registry.get(id)?.state === 'online');
  const jobs = new JobRunner({ store });
  const devices = createDevicePort(registry, jobs);
  const channel = new VirtualCardChannel(options.firstCard, 'Test Reader 0');
  const reader = new TestReader(channel);
  const installer = new UpgradeCardInstaller(register.simulator, async () => (options.trusted === false ? [] : [vendorKey.publicKey]));
  const boxed: VirtualUpgradeCard[] = [];
  const technician = new SimulatedCardTechnician({
    reader: channel, gatewayHoldsCard: () => reader.holding, delayMs: 20, pollMs: 10,
    registers: [{ machineNumber: id, simulator: register.simulator, installer }],
    blankCard: () => {
      const card = new VirtualUpgradeCard({ profile: options.profile ?? 'short', capacity: CAPACITY });
      boxed.push(card);
      return card;
    },
  });
  opened.push({ register, registry, store, technician });
  technician.start();
  const transfer = cardTransfer({ readers: { pick: async () => reader }, pollMs: 20, handoverMs: 20_000, ...options.transfer });
  const upgrade = async (pkg: PackageForUse, onEvent?: (event: JobEvent, jobId: string) => void) => {
    const request = upgradeRequestSchema.parse({ package: PACKAGE_ID, path: 'ic-card' });
    const { job } = jobs.start({
      kind: UPGRADE_JOB_KIND, deviceId: id, operator: 'li', stages: upgradeStages,
      run: upgradeRun({
        packages: { forUse: async () => pkg }, devices, trialSeconds: 5, rebootMs: options.rebootMs ?? 5_000, transfers: { serial: serialTransfer(), 'ic-card': transfer },
        backupGate: () => ({ pass: async () => ({ backupId: 'backup-1', reused: true, createdAt: '2026-12-05T12:00:00Z', verifiedAt: '2026-12-05T12:00:00Z', problems: 0 }) }),
      }, request),
    });
    const events: JobEvent[] = [];
    jobs.events.subscribe(job.id, 0, (event) => { events.push(event); onEvent?.(event, job.id); });
    const settled = await jobs.settled(job.id);
    if (settled === undefined) throw new Error('the job vanished');
    return { job: settled, events };
  };
  return { register, id, channel, reader, technician, installer, upgrade, boxed, store, devices, transfer, jobs };
}

