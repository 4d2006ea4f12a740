import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyToStick } from '../../../drivers/stick/copyToStick.js';
import { checkStickCopy } from '../../../drivers/stick/findOnStick.js';
import { stickPackagePath } from '../../../src/services/upgrade/UpgradeStick.js';
import { fakeStickTree } from './fakeStickTree.js';

const bytes = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7) & 0xff);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const target = 'FISCAL/UPGRADE/SK-3000/2.5.0.fwpkg';

describe('a copy on the stick, looked at again (a resumed upgrade)', () => {
  it('copies bytes held in memory, with the sidecar, and finds the copy verified on whichever volume holds it', async () => {
    const tree = await fakeStickTree();
    const copy = await copyToStick(bytes, target, { roots: tree.roots, mountPoint: tree.usbDisk });
    expect(copy).toMatchObject({ bytes: bytes.length, sha256 });
    expect(await checkStickCopy(target, sha256, tree.roots)).toMatchObject({ state: 'verified', path: join(tree.usbDisk, target), bytes: bytes.length, volume: { disk: 'sdd' } });
  });

  it('a copy whose bytes changed, or whose sidecar is gone, is damaged; none at all is absent', async () => {
    const tree = await fakeStickTree();
    const copy = await copyToStick(bytes, target, { roots: tree.roots });
    expect(await checkStickCopy('FISCAL/UPGRADE/SK-3000/9.9.9.fwpkg', sha256, tree.roots)).toEqual({ state: 'absent' });
    await rm(copy.checksumPath);
    expect(await checkStickCopy(target, sha256, tree.roots)).toMatchObject({ state: 'damaged', why: 'its .sha256 sidecar is missing or differs' });
    await copyToStick(bytes, target, { roots: tree.roots });
    const changed = await readFile(copy.path);
    changed[1234] = changed[1234]! ^ 1;
    await writeFile(copy.path, changed);
    expect(await checkStickCopy(target, sha256, tree.roots)).toMatchObject({ state: 'damaged', why: 'its digest differs' });
  });

  it('a path out of the stick is never looked at', async () => {
    const tree = await fakeStickTree();
    expect(await checkStickCopy('../../etc/passwd', sha256, tree.roots)).toEqual({ state: 'absent' });
  });
});

describe('where a package goes on the stick', () => {
  it('FISCAL/UPGRADE/<model>/<version>.fwpkg, a model name made a safe folder name', () => {
    expect(stickPackagePath('SIM-ECR-200', '2.4.0')).toBe('FISCAL/UPGRADE/SIM-ECR-200/2.4.0.fwpkg');
    expect(stickPackagePath('SK 3000/B', '1.0.0')).toBe('FISCAL/UPGRADE/SK_3000_B/1.0.0.fwpkg');
    expect(stickPackagePath('..', '1.0.0')).toBe('FISCAL/UPGRADE/_./1.0.0.fwpkg');
    expect(stickPackagePath('税控-1', '1.0.0')).toBe('FISCAL/UPGRADE/__-1/1.0.0.fwpkg');
  });
});
