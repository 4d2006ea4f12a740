import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../contracts/errors/index.js';
import { runDecoderFuzz } from '../../scripts/campaign/decoderFuzz.js';
import { runHttpFuzz } from '../../scripts/campaign/httpFuzz.js';
import { runUpgradeFaults, upgradeFaultKinds } from '../../scripts/campaign/upgradeFaults.js';
import { removeDataDir, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

/**
 * The fast slice of issue 15's reliability campaign (the long run is `npm run campaign -- --minutes N`,
 * scripts/campaign.ts): one upgrade under each fault kind on the in-process
 * simulator and a backup under a cut line, a small decoder fuzz budget over every decoder, and a few hundred malformed requests to every
 * route of a real fiscald's OpenAPI document, side by side. Counts only: nothing here is timed.
 */
describe.concurrent('reliability campaign, fast slice', () => {
  it('an upgrade under each fault kind and a backup under a cut line: none bricked, none lost, none hung', async () => {
    const totals = await runUpgradeFaults({ seed: 15, budgetMs: 120_000, maxUpgradeRuns: upgradeFaultKinds.length, maxBackupRuns: 1 });
    expect(totals.upgradeRuns).toBe(upgradeFaultKinds.length);
    expect(totals.backupRuns).toBe(1);
    // Each kind did hit: a fault plan that never fires would make the slice pass for nothing.
    for (const kind of ['cut', 'power-loss', 'trial-boot-fails', 'restart-mid-write']) expect(totals.upgradeFaultsByKind[kind], kind).toBeGreaterThan(0);
    expect(totals.upgradeOutcomes.reverted, 'the image that does not boot is reverted').toBeGreaterThanOrEqual(1);
    // Both register protocol versions, firmware blocks in both 74 forms, a fault placed inside a block, a package file changed mid-write.
    expect(totals.upgradeRunsByProtocol).toEqual({ v1: expect.any(Number), v2: expect.any(Number) });
    expect(totals.windowedBlocks.counted, 'counted 74 blocks').toBeGreaterThan(0);
    expect(totals.windowedBlocks.plain, 'plain 74 blocks').toBeGreaterThan(0);
    expect(totals.upgradeFaultsByKind.block, 'a fault inside a windowed block').toBeGreaterThan(0);
    expect(Object.keys(totals.packageFileEndings), 'a package file changed mid-write').toHaveLength(1);
    expect({ overOneBlock: totals.resumes.overOneBlock, activatedChangedPackage: totals.activatedChangedPackage }).toEqual({ overOneBlock: 0, activatedChangedPackage: 0 });
    expect({ bricked: totals.upgradeOutcomes.bricked, lost: totals.upgradeOutcomes['lost-data'] + totals.backupOutcomes['lost-data'], hangs: totals.upgradeOutcomes.hang + totals.backupOutcomes.hang }, totals.problems.join('\n'))
      .toEqual({ bricked: 0, lost: 0, hangs: 0 });
  }, 180_000);

  it('every decoder family is fuzzed and only ever answers a value or its typed error', async () => {
    const totals = await runDecoderFuzz({ seed: 15, budgetMs: 60_000, maxInputs: 30_000 });
    expect(totals.inputs).toBe(30_000);
    expect(Object.keys(totals.byFamily).sort()).toEqual(['apdu', 'card', 'codec', 'fwpkg', 'fwrepo', 'gb-link']);
    expect(totals.targetNames).toEqual(expect.arrayContaining(['gb-link.windowedParams.counted', 'gb-link.windowReceiver.counted', 'gb-link.frames.counted74', 'fwpkg.spans']));
    expect(totals.accepted).toBeGreaterThan(0);
    expect({ crashes: totals.crashes, hangs: totals.hangs }, JSON.stringify(totals.examples)).toEqual({ crashes: 0, hangs: 0 });
  }, 90_000);

  it('a decoder that throws anything but its typed error is counted as a crash, with the input', async () => {
    const totals = await runDecoderFuzz({
      seed: 1, budgetMs: 10_000, maxInputs: 400,
      targets: [
        { name: 'planted.typed', seeds: [], maxLength: 8, decode: () => { throw new GatewayError('LINK_PAYLOAD_INVALID', { params: { detail: 'planted' } }); } },
        { name: 'planted.crash', seeds: [], maxLength: 8, decode: (bytes) => { if (bytes.length > 4) throw new TypeError('planted'); return bytes.length; } },
      ],
    });
    expect(totals.crashes).toBeGreaterThan(0);
    expect(totals.examples.every((e) => e.target === 'planted.crash' && e.error === 'TypeError: planted')).toBe(true);
  });

  it('a decoder whose promise never settles is counted as a hang and the fuzzing goes on', async () => {
    const totals = await runDecoderFuzz({
      seed: 1, budgetMs: 30_000, maxInputs: 3, settleMs: 100,
      targets: [{ name: 'planted.never', seeds: [], maxLength: 8, decode: (bytes) => (bytes.length === 0 ? Promise.resolve(0) : new Promise(() => undefined)) }],
    });
    expect(totals.inputs).toBe(3);
    expect(totals.hangs).toBeGreaterThan(0);
    expect(totals.examples.every((e) => e.target === 'planted.never' && e.error.startsWith('not settled'))).toBe(true);
  }, 30_000);

  describe('HTTP fuzzing of a running fiscald', () => {
    let daemon: RunningDaemon;
    beforeAll(async () => { daemon = await startDaemon({ simulate: 1 }); }, 90_000);
    afterAll(async () => {
      await daemon?.stop();
      if (daemon) removeDataDir(daemon.dataDir);
    });

    it('a few hundred malformed requests over every route: no 5xx, every error problem+json, every request answered, the daemon still up', async () => {
      const alive = () => {
        try { process.kill(daemon.pid, 0); return true; } catch { return false; }
      };
      const totals = await runHttpFuzz({ url: daemon.url, token: daemon.token, alive }, { seed: 15, budgetMs: 60_000, maxRequests: 300, concurrency: 4 });
      expect(totals.routes).toBeGreaterThan(20);
      expect(totals.requests).toBeGreaterThanOrEqual(300);
      expect({ fiveHundreds: totals.fiveHundreds, outsideProblemJson: totals.outsideProblemJson, hangs: totals.hangs, daemonDown: totals.daemonDown }, JSON.stringify(totals.findings, null, 1))
        .toEqual({ fiveHundreds: 0, outsideProblemJson: 0, hangs: 0, daemonDown: false });
    }, 90_000);
  });
});
