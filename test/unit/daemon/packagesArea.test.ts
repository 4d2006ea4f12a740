import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packagesArea } from '../../../src/daemon/areas/packages.js';
import { createLogger } from '../../../src/log.js';
import { lendingPort } from '../../helpers/fakeDevicePort.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-packages-area-'));
  dirs.push(dataDir);
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
  const deps = { devices: lendingPort(), registers: { list: () => [] }, dataDir, logger };
  return { dataDir, lines, deps };
}

describe('the packages area of fiscald', () => {
  it('removes an upload a crash left half written, and names the trusted keys it starts with', async () => {
    const { dataDir, lines, deps } = setup();
    mkdirSync(join(dataDir, 'packages', '.tmp-0123456789abcdef'), { recursive: true });
    writeFileSync(join(dataDir, 'packages', '.tmp-0123456789abcdef', 'package.fwpkg'), 'half');
    const trusted = join(dataDir, 'keys');
    mkdirSync(trusted);
    copyFileSync(join(fixtures, 'vector-ed25519.pub'), join(trusted, 'vendor.pub'));
    const area = await packagesArea(deps, { trustedKeys: trusted });
    expect(existsSync(join(dataDir, 'packages', '.tmp-0123456789abcdef'))).toBe(false);
    expect(area.plugins.map((p) => p.name)).toEqual(['packages']);
    expect(area.definitions).toEqual([]);
    expect(area.store.dir).toBe(join(dataDir, 'packages'));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'removed an unfinished package upload' }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'trusted keys for firmware packages', keys: ['ed25519:bcb89b5112801de59cb7f0d7b178acd5'] }));
  });

  it('warns when the trusted-keys folder is missing: every package would be refused', async () => {
    const { dataDir, lines, deps } = setup();
    await packagesArea(deps, { trustedKeys: join(dataDir, 'trusted-keys') });
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, dir: join(dataDir, 'trusted-keys') }));
  });
});
