import { describe, expect, it } from 'vitest';
import { decideInstall } from '../../../protocols/fwpkg/installDecision.js';
import { parseFirmwareVersion } from '../../../protocols/fwpkg/FirmwareVersion.js';
import type { FwpkgManifest, UpgradePath } from '../../../protocols/fwpkg/manifest.js';
import { upgradeGate, type GateRule } from '../../../src/api/console/app/upgradeGate.js';

/** decideInstall's refusal codes, as the console's rule names. */
const ruleOf: Record<string, GateRule> = {
  UPGRADE_MODEL_NOT_LISTED: 'model', UPGRADE_PATH_NOT_ALLOWED: 'path', UPGRADE_BOOTLOADER_TOO_OLD: 'bootloader',
  UPGRADE_BELOW_LOWEST: 'lowest', UPGRADE_SAME_VERSION: 'same', UPGRADE_OLDER_VERSION: 'older',
};

describe('the console\'s version gate', () => {
  it('decides every case as decideInstall does, in the same order', () => {
    const versions = ['0.9.0', '1.2.3', '1.10.0', '2.0.0'];
    let cases = 0;
    for (const version of versions) for (const lowest of versions) for (const running of versions) for (const boot of ['0.5.0', '1.0.0'])
      for (const model of ['SIM-1', 'OTHER']) for (const path of ['serial', 'usb-stick'] as UpgradePath[])
        for (const reinstall of [false, true]) for (const allowDowngrade of [false, true]) {
          const manifest = { version, versionLowest: lowest, bootloaderLowest: '1.0.0', models: ['SIM-1'], paths: ['serial', 'ic-card'] };
          const expected = decideInstall({
            manifest: manifest as unknown as FwpkgManifest, path, reinstall, allowDowngrade,
            register: { model, firmwareVersion: parseFirmwareVersion(running), bootloaderVersion: parseFirmwareVersion(boot) },
          });
          const shown = upgradeGate(manifest, { model, firmwareVersion: running, bootloaderVersion: boot }, { path, reinstall, allowDowngrade });
          expect(shown).toEqual(expected.allowed ? { allowed: true, kind: expected.kind } : { allowed: false, rule: ruleOf[expected.refusal.code] });
          cases += 1;
        }
    expect(cases).toBeGreaterThan(1000);
  });

  it('says the versions are unknown rather than guess when the register has not said them', () => {
    const manifest = { version: '9.1.0', versionLowest: '0.0.1', bootloaderLowest: '0.0.1', models: ['SIM-1'], paths: ['serial'] };
    expect(upgradeGate(manifest, { model: 'SIM-1' }, { path: 'serial', reinstall: false, allowDowngrade: false })).toEqual({ allowed: false, rule: 'unknown' });
  });
});
