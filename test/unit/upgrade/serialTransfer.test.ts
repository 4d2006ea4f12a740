import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { standardCommands } from '../../../fixtures/simulator/commands/index.js';
import { capabilitiesHandler } from '../../../fixtures/simulator/commands/identityCommands.js';
import type { CommandHandler } from '../../../fixtures/simulator/CommandHandler.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { checkManifest, measureImage } from '../../../protocols/fwpkg/index.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { UPGRADE_JOB_KIND, upgradeRun, upgradeStages, type UpgradeResult } from '../../../src/services/upgrade/runUpgrade.js';
import { serialTransfer } from '../../../src/services/upgrade/serialTransfer.js';
import { upgradeRequestSchema } from '../../../src/services/upgrade/upgradeRequest.js';
import type { PackageForUse } from '../../../src/services/upgrade/UpgradePackages.js';
import { nextBlockSize, type WriteOutcome } from '../../../src/services/upgrade/writeImage.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import type { JobEvent } from '../../../src/store/types.js';

const opened: { register: SimulatedRegister; registry: DeviceRegistry<RegisterSession>; store: Store }[] = [];
afterEach(async () => {
  for (const { register, registry, store } of opened.splice(0)) {
    await registry.close();
    await register.close();
    store.close();
  }
});

const until = (check: () => boolean) => new Promise<void>((resolve) => {
  const poll = () => (check() ? resolve() : setTimeout(poll, 10));
  poll();
});

const PACKAGE_ID = 'cd'.repeat(16);

/** Like firmware: half of it code-like (a small alphabet, compresses), half noise (does not); seeded. */
function firmwareLike(size: number): Uint8Array {
  let seed = 7;
  const next = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) >>> 8;
  };
  return Uint8Array.from({ length: size }, (_, i) => (Math.floor(i / 4096) % 2 === 0 ? [0x00, 0x48, 0x89, 0xe5, 0xc3, 0x8b][next() % 6]! : next() & 0xff));
}

function packageOf(image: Uint8Array, version = '2.4.0'): PackageForUse {
  const digest = measureImage(image);
  const manifest = checkManifest({
    format: 'fiscal-fwpkg/1', vendor: 'Sim', models: ['SIM-ECR-200'], version, versionLowest: '1.0.0', bootloaderLowest: '1.0.0',
    size: image.length, sha256: digest.sha256, sm3: digest.sm3, paths: ['serial'], releaseNotes: '', keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T00:00:00Z',
  });
  return { packageId: PACKAGE_ID, manifest, image };
}

/** The simulator's commands without `drop`, with a 70 that lists only what is left. */
function commandsWithout(...drop: number[]): CommandHandler[] {
  const kept = standardCommands.filter((h) => !drop.includes(h.code) && h.code !== CMD.CAPABILITIES);
  return [...kept, capabilitiesHandler(() => kept.map((h) => h.code).concat(drop.includes(CMD.CAPABILITIES) ? [] : [CMD.CAPABILITIES]))];
}

async function harness(options: { commands?: CommandHandler[]; publicFirmware?: boolean } = {}) {
  const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: 30 }, profile: { firmwareMaxBlock: 2048 } });
  if (options.commands !== undefined) register.simulator.answerOnly(options.commands);
  if (options.publicFirmware === true) register.simulator.answerOnly(standardCommands.filter((h) => h.code < CMD.CAPABILITIES));
  const commands: { cmd: number; windowed: boolean }[] = [];
  register.simulator.onEvent((event) => {
    if (event.type === 'command' && (event.cmd === CMD.FIRMWARE || event.cmd === CMD.FIRMWARE_WRITE_COMPRESSED)) commands.push({ cmd: event.cmd, windowed: event.windowed === true });
  });
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
  });
  const store = openStore(':memory:');
  opened.push({ register, registry, store });
  registry.add(register.transport, { simulated: true });
  const id = register.state.identity.machineNumber;
  await until(() => registry.get(id)?.state === 'online');
  const jobs = new JobRunner({ store });
  const devices = createDevicePort(registry, jobs);
  const upgrade = async (pkg: PackageForUse, compress?: boolean, onEvent?: (event: JobEvent) => void) => {
    const { job } = jobs.start({
      kind: UPGRADE_JOB_KIND, deviceId: id, operator: 'li', stages: upgradeStages,
      run: upgradeRun({
        packages: { forUse: async () => pkg }, devices, trialSeconds: 5, rebootMs: 5_000,
        backupGate: () => ({ pass: async () => ({ backupId: 'backup-1', reused: true, createdAt: '2026-12-05T12:00:00Z', verifiedAt: '2026-12-05T12:00:00Z', problems: 0 }) }),
        transfers: { serial: serialTransfer(compress === undefined ? {} : { compress }) },
      }, upgradeRequestSchema.parse({ package: PACKAGE_ID })),
    });
    if (onEvent !== undefined) jobs.events.subscribe(job.id, 0, onEvent);
    const settled = await jobs.settled(job.id);
    if (settled === undefined) throw new Error('the job vanished');
    return settled;
  };
  return { register, registry, id, devices, upgrade, commands };
}

const writes = (commands: { cmd: number; windowed: boolean }[], cmd: number) => commands.filter((c) => c.cmd === cmd);

describe('the serial path: 70 checked, blocks windowed (74) and deflated (75) when the register lists them', () => {
  it('compressible blocks go as 75, the others as 64/02, all in 74; the register inflates and its digest of the image matches', async () => {
    const { register, upgrade, commands } = await harness();
    const pkg = packageOf(firmwareLike(40_960));
    const job = await upgrade(pkg);
    expect(job.error).toBeNull();
    const write = (job.result as UpgradeResult).write as WriteOutcome;
    expect(write.detail.compression).toBe(true);
    expect(write.detail.compressedBlocks).toBeGreaterThan(0);
    expect(write.detail.rawBlocks).toBeGreaterThan(0);
    expect(write.bytesSent).toBe(pkg.image.length);
    expect(write.detail.blockBytes).toBeLessThan(pkg.image.length * 0.8);
    expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
    const compressed = writes(commands, CMD.FIRMWARE_WRITE_COMPRESSED);
    expect(compressed.length).toBe(write.detail.compressedBlocks);
    expect(compressed.every((c) => c.windowed)).toBe(true);
    // 64/02 blocks (several packets) go windowed too; the one-packet 64 sub-commands do not.
    expect(writes(commands, CMD.FIRMWARE).filter((c) => c.windowed).length).toBe(write.detail.rawBlocks);
  });

  it('a register whose 70 does not list 75 gets every block raw (64/02, windowed)', async () => {
    const { register, upgrade, commands } = await harness({ commands: commandsWithout(CMD.FIRMWARE_WRITE_COMPRESSED) });
    const pkg = packageOf(firmwareLike(20_480));
    const job = await upgrade(pkg);
    expect(job.error).toBeNull();
    expect((job.result as UpgradeResult).write).toMatchObject({ detail: { compression: false, compressedBlocks: 0, blockBytes: pkg.image.length } });
    expect(writes(commands, CMD.FIRMWARE_WRITE_COMPRESSED)).toEqual([]);
    expect(register.simulator.firmware.running.version).toBe('2.4.0');
  });

  it('compression turned off by the gateway: raw blocks even to a register that lists 75', async () => {
    const { upgrade, commands } = await harness();
    const job = await upgrade(packageOf(firmwareLike(12_288)), false);
    expect(job.error).toBeNull();
    expect((job.result as UpgradeResult).write).toMatchObject({ detail: { compression: false, compressedBlocks: 0 } });
    expect(writes(commands, CMD.FIRMWARE_WRITE_COMPRESSED)).toEqual([]);
  });

  it('a register without 74 gets the blocks stop-and-wait', async () => {
    const { upgrade, commands } = await harness({ commands: commandsWithout(CMD.WINDOWED_TRANSFER) });
    const job = await upgrade(packageOf(firmwareLike(12_288)));
    expect(job.error).toBeNull();
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.some((c) => c.windowed)).toBe(false);
  });

  it('a register whose 70 does not list 64 is refused UPGRADE_SERIAL_NOT_OFFERED before anything is written', async () => {
    const { register, upgrade, commands } = await harness({ commands: commandsWithout(CMD.FIRMWARE) });
    const job = await upgrade(packageOf(firmwareLike(8192)));
    expect(job.error).toMatchObject({ code: 'UPGRADE_SERIAL_NOT_OFFERED' });
    expect(commands).toEqual([]);
    expect(register.simulator.firmware.upgrade).toBeNull();
  });

  it('a register on public firmware (ER 20 to 70) is refused the same way', async () => {
    const { upgrade, commands } = await harness({ publicFirmware: true });
    const job = await upgrade(packageOf(firmwareLike(8192)));
    expect(job.error).toMatchObject({ code: 'UPGRADE_SERIAL_NOT_OFFERED' });
    expect(commands).toEqual([]);
  });

  it('75 that does not inflate to its size is ER 75 (LINK_FIRMWARE_INFLATE_FAILED) and writes nothing', async () => {
    const { register, id, devices } = await harness();
    const image = firmwareLike(4096);
    await devices.withDevice(id, new AbortController().signal, async (device) => {
      await device.session.firmwareBegin({ size: image.length, sha256: Uint8Array.from(createHash('sha256').update(image).digest()), version: '2.4.0', model: 'SIM-ECR-200' });
      const deflated = Uint8Array.from(deflateRawSync(image.subarray(0, 2048)));
      await expect(device.session.firmwareWriteCompressed({ offset: 0, size: 2000, deflated })).rejects.toMatchObject({ code: 'LINK_FIRMWARE_INFLATE_FAILED' });
      await expect(device.session.firmwareWriteCompressed({ offset: 0, size: 2048, deflated: Uint8Array.of(1, 2, 3) })).rejects.toMatchObject({ code: 'LINK_FIRMWARE_INFLATE_FAILED' });
      expect(await device.session.firmwareQuery()).toMatchObject({ state: 'receiving', received: 0 });
      expect(await device.session.firmwareWriteCompressed({ offset: 0, size: 2048, deflated })).toEqual({ received: 2048 });
    });
    expect(register.simulator.firmware.upgrade).toMatchObject({ committed: 2048 });
  });

  it('a cut in the middle of a compressed, windowed write: resumed from the register\'s offset, at most one block sent again', async () => {
    const { register, upgrade } = await harness();
    const pkg = packageOf(firmwareLike(65_536));
    let armed = false;
    const cutMidWrite = (event: JobEvent) => {
      const written = /^(\d+) of \d+ bytes written$/.exec(String(event.data.detail ?? ''));
      if (armed || written === null || Number(written[1]) < 20_000) return;
      armed = true;
      // The register's next answer is lost mid-way: it may have taken the block, the host cannot know.
      register.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'tx', at: 3 }] });
    };
    const restore = setInterval(() => { if (register.simulator.line.isDead) register.simulator.restoreLink(); }, 20);
    try {
      const job = await upgrade(pkg, undefined, cutMidWrite);
      expect(armed).toBe(true);
      expect(job.error).toBeNull();
      const write = (job.result as UpgradeResult).write as WriteOutcome;
      expect(write.resumes.length).toBeGreaterThanOrEqual(1);
      for (const resume of write.resumes) expect(resume.resent).toBeLessThanOrEqual(2048);
      expect(write.bytesSent - pkg.image.length).toBeLessThanOrEqual(2048 * write.resumes.length);
      expect(write.detail.compressedBlocks).toBeGreaterThan(0);
      expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
    } finally {
      clearInterval(restore);
    }
  });

  it('blocks of about a second of line: the register\'s max block at 921 600, smaller at slower rates, 4 KiB first when the rate is unknown', () => {
    expect(nextBlockSize(65_024, 92_160)).toBe(65_024);
    expect(nextBlockSize(65_024, 11_520)).toBe(11_520);
    expect(nextBlockSize(65_024, 960)).toBe(768);
    expect(nextBlockSize(65_024, 10)).toBe(256);
    expect(nextBlockSize(65_024, undefined)).toBe(4096);
    expect(nextBlockSize(2048, undefined)).toBe(2048);
    expect(nextBlockSize(100, 10)).toBe(100);
  });
});
