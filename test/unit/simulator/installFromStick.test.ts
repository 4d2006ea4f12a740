import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { installFromStick } from '../../../fixtures/simulator/installFromStick.js';
import { packFwpkg, parsePublicKeyPem, unpackFwpkg, type FwpkgPublicKey } from '../../../protocols/fwpkg/index.js';
import { stickPackagePath } from '../../../src/services/upgrade/UpgradeStick.js';
import { signedPackage, stranger, vendorPublic } from '../../helpers/stickUpgradeHarness.js';

const registers: SimulatedRegister[] = [];
afterEach(async () => {
  for (const register of registers.splice(0)) await register.close();
});

/** A stick folder holding `bytes` at `file` with its sha256sum sidecar (or a wrong one). */
async function stickWith(file: string, bytes: Uint8Array, sidecarOf: Uint8Array = bytes): Promise<string> {
  const volume = await mkdtemp(join(tmpdir(), 'fg-sim-stick-read-'));
  const path = join(volume, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  await writeFile(`${path}.sha256`, `${createHash('sha256').update(sidecarOf).digest('hex')}  ${file.split('/').at(-1)}\n`);
  return volume;
}

async function register(): Promise<SimulatedRegister> {
  const created = await createSimulatedRegister({ timing: { timed: false, rebootMs: 5 } });
  registers.push(created);
  return created;
}

const file = stickPackagePath('SIM-ECR-200', '2.4.0');

/** A stick prepared for one case, and the keys the register trusts (the vendor's when absent). */
interface Made { readonly volume: string; readonly file: string; readonly trusted?: readonly FwpkgPublicKey[] }

describe('a simulated register reading a package from a USB stick', () => {
  it('checks it itself, writes its other slot, reboots on trial and reports the install (64/0A)', async () => {
    const reg = await register();
    const pkg = await signedPackage('2.4.0');
    const outcome = await installFromStick(reg.simulator, { volume: await stickWith(file, pkg.fwpkg!), file, trusted: [vendorPublic], trialSeconds: 60 });
    expect(outcome).toEqual({ installed: true, version: '2.4.0' });
    expect(reg.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
    expect(reg.simulator.firmware.trial).not.toBeNull();
    expect(reg.simulator.firmware.mediaReport).toEqual({ state: 'installed', source: 'usb-stick', reason: 'none', version: '2.4.0' });
  });

  it.each([
    ['in another model\'s folder', async (): Promise<Made> => {
      const pkg = await signedPackage('2.4.0');
      const other = stickPackagePath('OTHER-9', '2.4.0');
      return { volume: await stickWith(other, pkg.fwpkg!), file: other };
    }, 'other-model-folder', 'not-found', '0.0.0'],
    ['not matching its .sha256', async (): Promise<Made> => ({ volume: await stickWith(file, (await signedPackage('2.4.0')).fwpkg!, Uint8Array.of(1)), file }), 'damaged', 'damaged', '0.0.0'],
    ['signed by a key it does not trust', async (): Promise<Made> => ({ volume: await stickWith(file, (await signedPackage('2.4.0')).fwpkg!), file, trusted: [parsePublicKeyPem(stranger.publicPem)] }), 'signature', 'signature', '0.0.0'],
    ['with an image that is not the manifest\'s', async (): Promise<Made> => {
      const parts = await unpackFwpkg((await signedPackage('2.4.0')).fwpkg!);
      const image = Uint8Array.from(parts.image);
      image[10] = image[10]! ^ 0xff;
      return { volume: await stickWith(file, await packFwpkg({ ...parts, image }, new Date('2026-12-01T00:00:00Z'))), file };
    }, 'image', 'image', '0.0.0'],
    ['for another model', async (): Promise<Made> => ({ volume: await stickWith(file, (await signedPackage('2.4.0', { models: ['OTHER-9'] })).fwpkg!), file }), 'model', 'model', '2.4.0'],
    ['that does not allow the stick path', async (): Promise<Made> => ({ volume: await stickWith(file, (await signedPackage('2.4.0', { paths: ['serial'] })).fwpkg!), file }), 'path', 'path', '2.4.0'],
  ] as const)('refuses a package %s: nothing written, the old image runs, the report says why', async (_name, make, refusal, reported, version) => {
    const reg = await register();
    const made = await make();
    const outcome = await installFromStick(reg.simulator, { volume: made.volume, file: made.file, trusted: made.trusted ?? [vendorPublic], trialSeconds: 60 });
    expect(outcome).toMatchObject({ installed: false, refusal });
    expect(reg.simulator.firmware.running.version).toBe('2.3.1');
    expect(reg.simulator.firmware.trial).toBeNull();
    expect(reg.simulator.firmware.upgrade).toBeNull();
    expect(reg.simulator.firmware.mediaReport).toEqual({ state: 'refused', source: 'usb-stick', reason: reported, version });
  });
});
