import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSimulation } from '../../../fixtures/simulate/index.js';
import { resolveConfig } from '../../../src/daemon/config.js';
import { createDeviceSide } from '../../../src/daemon/createDeviceSide.js';
import { silentLogger } from '../../../src/log.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('the --simulate wiring (fixtures/simulate)', () => {
  it('is never imported by production code, statically or dynamically, and no fake lives in src/', () => {
    const offenders: string[] = [];
    for (const top of ['src', 'drivers', 'protocols']) {
      for (const file of sourceFiles(join(root, top))) {
        if (/(?:from\s+|import\s*\(\s*)['"][^'"]*fixtures\//.test(readFileSync(file, 'utf8'))) offenders.push(file.slice(root.length + 1));
      }
    }
    expect(offenders).toEqual([]);
    const fakes = sourceFiles(join(root, 'src')).filter((file) => /\/(Virtual[A-Z]\w*|simulated\w*|RegisterStateKeeper)\.ts$/.test(file));
    expect(fakes).toEqual([]);
  });

  it('checks --simulator-timing when it is loaded: a figure out of range is CONFIG_INVALID', async () => {
    await expect(openSimulation({ count: 1, timing: { selfCheckMs: -1 }, logger: silentLogger })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(openSimulation({ count: 1, timing: { noSuchFigure: 1 }, logger: silentLogger })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('runs the simulated registers on the firmware --simulator-profile names; an unknown one is CONFIG_INVALID', async () => {
    await expect(openSimulation({ count: 1, profile: 'no-such', logger: silentLogger })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const simulation = await openSimulation({ count: 1, profile: 'public', logger: silentLogger });
    const session = new RegisterSession(simulation.registers[0]!, { deviceId: 'sim' });
    try {
      await session.transport.open();
      expect((await session.extensions()).publicFirmware).toBe(true);
    } finally {
      await session.close();
      await simulation.close();
    }
  });

  it('is loaded by the composition root only through the loader it is given: --simulate without one is CONFIG_INVALID', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-simulation-'));
    dirs.push(dataDir);
    const config = resolveConfig({ listen: '127.0.0.1:0', dataDir, simulate: 1 });
    await expect(createDeviceSide({ config, logger: silentLogger })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    let loaded = 0;
    const side = await createDeviceSide({
      config: { ...config, simulatorTiming: { timed: false } }, logger: silentLogger,
      loadSimulation: async () => { loaded += 1; return import('../../../fixtures/simulate/index.js'); },
    });
    try {
      expect(loaded).toBe(1);
      expect(side.directory.list().map((device) => device.transport.path)).toEqual(['memory:sim-1']);
    } finally {
      await side.close();
    }
  });
});
