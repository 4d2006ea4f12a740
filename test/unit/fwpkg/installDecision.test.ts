import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkManifest, compareVersions, decideInstall, parseFirmwareVersion as v, UPGRADE_PATHS, versionFromBytes,
  type FwpkgManifest, type InstallRequest,
} from '../../../protocols/fwpkg/index.js';

const manifest: FwpkgManifest = checkManifest({
  format: 'fiscal-fwpkg/1', vendor: 'V', models: ['SK-3000税控机', 'SK-3000A'], version: '2.5.0', versionLowest: '2.0.0',
  bootloaderLowest: '1.1.0', size: 1, sha256: '0'.repeat(64), sm3: '0'.repeat(64), paths: ['serial', 'usb-stick'],
  releaseNotes: '', keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T08:00:00Z',
});
const register = { model: 'SK-3000税控机', firmwareVersion: v('2.4.1'), bootloaderVersion: v('1.1.0') };
const request = (over: Partial<InstallRequest> = {}, reg: Partial<typeof register> = {}): InstallRequest =>
  ({ manifest, path: 'serial', ...over, register: { ...register, ...reg } });
const refusal = (r: InstallRequest) => {
  const decision = decideInstall(r);
  return decision.allowed ? undefined : { code: decision.refusal.code, params: decision.refusal.params };
};

describe('the version rules (decideInstall)', () => {
  it('allows a newer version over one at or above versionLowest', () => {
    expect(decideInstall(request())).toEqual({ allowed: true, kind: 'upgrade', from: '2.4.1', to: '2.5.0' });
    expect(decideInstall(request({}, { firmwareVersion: v('2.0.0'), bootloaderVersion: v('3.0.0') }))).toMatchObject({ allowed: true, kind: 'upgrade' });
  });

  it('refuses each broken rule with its own code and the facts', () => {
    expect(refusal(request({}, { model: 'SK-2000' }))).toEqual({ code: 'UPGRADE_MODEL_NOT_LISTED', params: { model: 'SK-2000', models: 'SK-3000税控机, SK-3000A' } });
    expect(refusal(request({ path: 'ic-card' }))).toEqual({ code: 'UPGRADE_PATH_NOT_ALLOWED', params: { path: 'ic-card', paths: 'serial, usb-stick' } });
    expect(refusal(request({}, { bootloaderVersion: v('1.0.9') }))).toEqual({ code: 'UPGRADE_BOOTLOADER_TOO_OLD', params: { bootloader: '1.0.9', lowest: '1.1.0' } });
    expect(refusal(request({}, { firmwareVersion: v('1.9.9') }))).toEqual({ code: 'UPGRADE_BELOW_LOWEST', params: { running: '1.9.9', lowest: '2.0.0', target: '2.5.0' } });
    expect(refusal(request({}, { firmwareVersion: v('2.5.0') }))).toEqual({ code: 'UPGRADE_SAME_VERSION', params: { version: '2.5.0' } });
    expect(refusal(request({}, { firmwareVersion: v('2.6.0') }))).toEqual({ code: 'UPGRADE_OLDER_VERSION', params: { running: '2.6.0', target: '2.5.0' } });
  });

  it('same version only with reinstall, older only with allowDowngrade (each flag opens only its own door)', () => {
    expect(decideInstall(request({ reinstall: true }, { firmwareVersion: v('2.5.0') }))).toEqual({ allowed: true, kind: 'reinstall', from: '2.5.0', to: '2.5.0' });
    expect(refusal(request({ allowDowngrade: true }, { firmwareVersion: v('2.5.0') }))?.code).toBe('UPGRADE_SAME_VERSION');
    expect(decideInstall(request({ allowDowngrade: true }, { firmwareVersion: v('2.6.0') }))).toEqual({ allowed: true, kind: 'downgrade', from: '2.6.0', to: '2.5.0' });
    expect(refusal(request({ reinstall: true }, { firmwareVersion: v('2.6.0') }))?.code).toBe('UPGRADE_OLDER_VERSION');
    // Neither flag lifts the model, path, bootloader or lowest rules.
    const both = { reinstall: true, allowDowngrade: true };
    expect(refusal(request(both, { model: 'X' }))?.code).toBe('UPGRADE_MODEL_NOT_LISTED');
    expect(refusal(request({ ...both, path: 'ic-card' }))?.code).toBe('UPGRADE_PATH_NOT_ALLOWED');
    expect(refusal(request(both, { bootloaderVersion: v('0.9.0') }))?.code).toBe('UPGRADE_BOOTLOADER_TOO_OLD');
    expect(refusal(request(both, { firmwareVersion: v('1.0.0') }))?.code).toBe('UPGRADE_BELOW_LOWEST');
  });

  it('for any register and flags: allowed exactly when every rule holds, and the kind follows the version order', () => {
    const byte = fc.integer({ min: 0, max: 4 });
    const version = fc.tuple(byte, byte, byte).map(([a, b, c]) => versionFromBytes(a, b, c));
    fc.assert(fc.property(
      version, version, version, version, version, fc.constantFrom('SK-3000税控机', 'SK-3000A', 'OTHER'), fc.constantFrom(...UPGRADE_PATHS), fc.boolean(), fc.boolean(),
      (target, low, bootLow, running, boot, model, path, reinstall, allowDowngrade) => {
        const lowest = compareVersions(low, target) <= 0 ? low : target;
        const m = { ...manifest, version: target, versionLowest: lowest, bootloaderLowest: bootLow };
        const decision = decideInstall({ manifest: m, register: { model, firmwareVersion: running, bootloaderVersion: boot }, path, reinstall, allowDowngrade });
        const order = compareVersions(target, running);
        const ok = m.models.includes(model) && m.paths.includes(path) && compareVersions(boot, bootLow) >= 0
          && compareVersions(running, lowest) >= 0 && (order > 0 || (order === 0 && reinstall) || (order < 0 && allowDowngrade));
        expect(decision.allowed).toBe(ok);
        if (decision.allowed) expect(decision.kind).toBe(order > 0 ? 'upgrade' : order === 0 ? 'reinstall' : 'downgrade');
        else expect(decision.refusal.spec.exit).toBe(3);
      },
    ), { numRuns: 2000 });
  });
});
