// Campaign part for the USB-stick path (issue 11 item 7), in process: upgrades of a simulated register through the
// simulated stick while the stick is read-only, full, gives back other bytes than it was given, is damaged on the
// way to the register, the register refuses the package (a key it does not trust, another model's package; with its
// 64/0A report and without), the
// trial image does not boot, the technician comes late, the register loses power or its line while the job waits,
// and fiscald restarts (its store holding the checkpoint) after staging, while the stick is with the technician, or
// after the register installed. Each run ends classified by what the register runs and what the job says; a job
// that reports success without the register on the target, or a register running neither image, counts against it.
//
//   node bin/run-ts.js scripts/campaign/stickFaults.ts [--runs 26] [--seed 1] [--json]
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { parsePublicKeyPem } from '../../protocols/fwpkg/index.js';
import { upgradeStick } from '../../src/daemon/areas/upgradeStick.js';
import type { PackageForUse } from '../../src/services/upgrade/UpgradePackages.js';
import { stickPackagePath } from '../../src/services/upgrade/UpgradeStick.js';
import type { JobRow } from '../../src/store/types.js';
import { closeStickHarnesses, PACKAGE_ID, signedPackage, stickHarness, stranger, until, type StickHarnessOptions } from '../../test/helpers/stickUpgradeHarness.js';

export const stickFaultKinds = [
  'read-only', 'full', 'bad-read-back', 'damaged-on-the-way', 'register-untrusted-key', 'register-other-model', 'register-refuses-without-report', 'trial-boot-fails',
  'technician-late', 'power-cut-while-waiting', 'line-cut-while-waiting', 'restart-after-staging', 'restart-stick-with-technician',
  'restart-after-install', 'restart-copy-damaged',
] as const;
export type StickFaultKind = (typeof stickFaultKinds)[number];
export type StickOutcome = 'new-verified' | 'resumed' | 'reverted' | 'old-working' | 'bricked' | 'unverified-success';

/** What each fault must end in (besides never bricked, never success unverified). */
const expected: Record<StickFaultKind, { readonly outcome: StickOutcome; readonly code?: string }> = {
  'read-only': { outcome: 'old-working', code: 'STICK_READ_ONLY' },
  full: { outcome: 'old-working', code: 'STICK_FULL' },
  'bad-read-back': { outcome: 'old-working', code: 'STICK_VERIFY_FAILED' },
  'damaged-on-the-way': { outcome: 'old-working', code: 'UPGRADE_STICK_REFUSED' },
  'register-untrusted-key': { outcome: 'old-working', code: 'UPGRADE_STICK_REFUSED' },
  'register-other-model': { outcome: 'old-working', code: 'UPGRADE_STICK_REFUSED' },
  'register-refuses-without-report': { outcome: 'old-working', code: 'UPGRADE_STICK_NOT_INSTALLED' },
  'trial-boot-fails': { outcome: 'reverted', code: 'UPGRADE_REVERTED' },
  'technician-late': { outcome: 'new-verified' },
  'power-cut-while-waiting': { outcome: 'new-verified' },
  'line-cut-while-waiting': { outcome: 'new-verified' },
  'restart-after-staging': { outcome: 'resumed' },
  'restart-stick-with-technician': { outcome: 'resumed' },
  'restart-after-install': { outcome: 'resumed' },
  'restart-copy-damaged': { outcome: 'resumed' },
};

export interface StickFaultTotals {
  runs: number;
  faults: number;
  faultsByKind: Record<StickFaultKind, number>;
  outcomes: Record<StickOutcome, number>;
  /** Package bytes copied onto the stick again by a resumed run (0 when the earlier copy still verified). */
  copiedAgainPerResume: number[];
  problems: string[];
}

const FROM = '2.3.1';
const TARGET = '2.4.0';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function optionsFor(kind: StickFaultKind, rng: Rng): StickHarnessOptions {
  const quick = { handoverMs: 400, pollMs: 20 };
  switch (kind) {
    case 'read-only': return { stick: { readOnly: true }, moveMs: 0 };
    case 'full': return { freeSpace: rng.int(0, 20_000), moveMs: 0 };
    case 'bad-read-back': return { corruptAfterWrite: rng.int(0, 1_000_000), moveMs: 0 };
    case 'damaged-on-the-way': return {
      moveMs: 0, transfer: quick, rebootMs: 300,
      onCarry: async (stick, handover) => {
        const path = join(stick.volume, handover.file);
        const bytes = await readFile(path);
        const at = rng.int(0, bytes.length - 1);
        bytes[at] = bytes[at]! ^ (1 << rng.int(0, 7));
        await writeFile(path, bytes);
      },
    };
    case 'register-untrusted-key': return { moveMs: 0, registerTrusts: [parsePublicKeyPem(stranger.publicPem)], transfer: quick, rebootMs: 300 };
    case 'register-other-model': return { moveMs: 0, transfer: quick, rebootMs: 300 };
    case 'register-refuses-without-report': return { moveMs: 0, withoutMediaReport: true, registerTrusts: [parsePublicKeyPem(stranger.publicPem)], transfer: quick, rebootMs: 300 };
    case 'trial-boot-fails': return { moveMs: 0, faults: 'trial-boot-fails' };
    case 'technician-late': return { moveMs: 500 + rng.int(0, 400), transfer: { handoverMs: 300, pollMs: 20 }, rebootMs: 1_500 };
    case 'power-cut-while-waiting':
    case 'line-cut-while-waiting': return { moveMs: 600, transfer: { handoverMs: 5_000, pollMs: 20 } };
    default: return { moveMs: 0 };
  }
}

/** The checkpoint fiscald would hold for this job at `step` (what TransferPlan.progress wrote). */
function checkpointAt(pkg: PackageForUse, step: 'staged' | 'handed-over', mountPoint?: string): Record<string, unknown> {
  return {
    phase: 'write', packageId: PACKAGE_ID, from: FROM, to: TARGET, sha256: pkg.manifest.sha256, size: pkg.manifest.size, offset: pkg.image.length,
    backupId: 'campaign-backup', kind: 'upgrade', path: 'usb-stick',
    detail: { step, file: stickPackagePath('SIM-ECR-200', TARGET), sha256: sha256(pkg.fwpkg!), ...(mountPoint === undefined ? {} : { mountPoint }) },
  };
}

async function runOne(kind: StickFaultKind, rng: Rng, seed: number, totals: StickFaultTotals): Promise<void> {
  const pkg = await signedPackage(TARGET);
  const rig = await stickHarness(optionsFor(kind, rng));
  const file = stickPackagePath('SIM-ECR-200', TARGET);
  let job: JobRow | undefined;
  let reconciled: string | undefined;
  try {
    if (kind.startsWith('restart-')) {
      const copy = await upgradeStick({ roots: rig.stick.roots }).copy(pkg.fwpkg!, file);
      let step: 'staged' | 'handed-over' = 'handed-over';
      if (kind === 'restart-after-staging') step = 'staged';
      if (kind === 'restart-stick-with-technician') await rig.stick.unplug();
      if (kind === 'restart-copy-damaged') {
        const bytes = await readFile(copy.path);
        const at = rng.int(0, bytes.length - 1);
        bytes[at] = bytes[at]! ^ 0x01;
        await writeFile(copy.path, bytes);
      }
      if (kind === 'restart-after-install') {
        // The technician went while fiscald was down; the register is on the new image on trial when fiscald is back.
        rig.register.simulator.setTiming({ rebootMs: 500 });
        rig.technician.told({ jobDeviceId: rig.id, machineNumber: rig.id, model: 'SIM-ECR-200', version: TARGET, mountPoint: copy.mountPoint, file });
        await rig.technician.idle();
        await until(() => rig.registry.get(rig.id)?.identity?.firmwareVersion === TARGET && rig.registry.get(rig.id)?.state === 'online');
      }
      const restarted = await rig.restart(pkg, checkpointAt(pkg, step, copy.mountPoint));
      job = restarted.job;
      reconciled = restarted.reconciled;
    } else {
      const pending = rig.upgrade(kind === 'register-other-model' ? { ...pkg, fwpkg: (await signedPackage(TARGET, { models: ['OTHER-9'] })).fwpkg! } : pkg);
      if (kind === 'power-cut-while-waiting' || kind === 'line-cut-while-waiting') {
        await until(() => rig.told.length > 0);
        if (kind === 'power-cut-while-waiting') await rig.register.simulator.powerCycle(rng.int(0, 200));
        else {
          rig.register.simulator.line.kill();
          setTimeout(() => rig.register.simulator.restoreLink(), rng.int(100, 400));
        }
      }
      job = (await pending).job;
    }
  } finally {
    await rig.technician.idle();
  }
  totals.runs += 1;
  totals.faults += 1;
  totals.faultsByKind[kind] += 1;
  const firmware = rig.register.simulator.firmware;
  const running = firmware.running.version;
  const write = (job?.result as { write?: { bytesSent?: number } } | undefined)?.write;
  if (kind.startsWith('restart-')) totals.copiedAgainPerResume.push(write?.bytesSent ?? 0);
  const succeeded = job?.state === 'succeeded' || reconciled === 'succeeded';
  let outcome: StickOutcome;
  if (succeeded) {
    const verified = running === TARGET && firmware.trial === null && firmware.running.sha256 === pkg.manifest.sha256 && firmware.lastTrial?.outcome === 'confirmed';
    outcome = !verified ? 'unverified-success' : kind.startsWith('restart-') ? 'resumed' : 'new-verified';
  } else if (running !== FROM || firmware.trial !== null) {
    outcome = 'bricked';
  } else {
    outcome = firmware.lastTrial?.outcome === 'reverted' && firmware.lastTrial.trialVersion === TARGET ? 'reverted' : 'old-working';
  }
  totals.outcomes[outcome] += 1;
  const code = job?.error?.code;
  const want = expected[kind];
  if (outcome === 'bricked' || outcome === 'unverified-success') totals.problems.push(`seed ${seed} ${kind}: ${outcome} (job ${job?.state}, register runs ${running})`);
  else if (outcome !== want.outcome || (want.code !== undefined && code !== want.code)) {
    totals.problems.push(`seed ${seed} ${kind}: ended ${outcome}${code === undefined ? '' : ` ${code}`}, expected ${want.outcome}${want.code === undefined ? '' : ` ${want.code}`}`);
  }
  await closeStickHarnesses();
}

export async function runStickFaultCampaign(options: { runs: number; seed: number; kinds?: readonly StickFaultKind[] }): Promise<StickFaultTotals> {
  const kinds = options.kinds ?? stickFaultKinds;
  const totals: StickFaultTotals = {
    runs: 0, faults: 0,
    faultsByKind: Object.fromEntries(stickFaultKinds.map((kind) => [kind, 0])) as Record<StickFaultKind, number>,
    outcomes: { 'new-verified': 0, resumed: 0, reverted: 0, 'old-working': 0, bricked: 0, 'unverified-success': 0 },
    copiedAgainPerResume: [], problems: [],
  };
  for (let run = 0; run < options.runs; run += 1) {
    const seed = options.seed * 1000 + run;
    // Every kind in turn, then again: each fault kind is hit runs / kinds times.
    await runOne(kinds[run % kinds.length]!, new Rng(seed), seed, totals);
  }
  return totals;
}

export function formatStickFaultTotals(totals: StickFaultTotals): string {
  const again = totals.copiedAgainPerResume;
  return [
    `USB-stick path: ${totals.runs} runs, ${totals.faults} faults (${Object.entries(totals.faultsByKind).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `  outcomes: ${Object.entries(totals.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  package bytes copied onto the stick again per resume: ${again.length} resumes, ${again.filter((b) => b === 0).length} with none, max ${Math.max(0, ...again)}`,
    ...totals.problems.map((p) => `  PROBLEM ${p}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } } });
  const totals = await runStickFaultCampaign({ runs: Number(values.runs ?? 28), seed: Number(values.seed ?? 1) });
  console.log(values.json === true ? JSON.stringify(totals) : formatStickFaultTotals(totals));
  process.exitCode = totals.problems.length === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
