import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupArea } from '../../../src/daemon/areas/backup.js';
import { changesArea } from '../../../src/daemon/areas/changes.js';
import type { AreaDeps } from '../../../src/daemon/areas/Area.js';
import type { BorrowedDevice, DevicePort } from '../../../src/devices/DevicePort.js';
import { silentLogger } from '../../../src/log.js';
import type { JobRow } from '../../../src/store/types.js';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

const job = (kind: string, checkpoint: unknown, params: Record<string, unknown> = {}): JobRow => ({
  id: `${kind}-1`, kind, deviceId: 'D1', operator: 'li', params, stages: [], state: 'waiting', stage: null, fraction: 0,
  createdAt: '', finishedAt: null, result: null, error: null, record: {}, checkpoint, waiting: null,
});

describe('the changes area\'s job kinds', () => {
  it('reconciles registration changes, resumes rolls and deregistrations', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-area-'));
    dirs.push(dataDir);
    const port: DevicePort = { withDevice: async () => { throw new Error('not lent in this test'); } };
    const deps: AreaDeps = { devices: port, registers: { list: () => [] }, dataDir, logger: silentLogger, records: { list: () => [] } };
    const area = changesArea(deps, await backupArea(deps));
    const kinds = new Map(area.definitions.map((definition) => [definition.kind, definition]));
    expect([...kinds.keys()].sort()).toEqual(['deregister', 'registration-change', 'roll']);
    const device = { id: 'D1', identity: { machineNumber: 'D1' } } as unknown as BorrowedDevice;
    expect(await kinds.get('roll')!.reconcile!(job('roll', { distribution: 'settled' }), device)).toMatchObject({ state: 'resume' });
    expect(await kinds.get('deregister')!.reconcile!(job('deregister', { backupId: 'b' }, { allowUndeclared: false }), device)).toMatchObject({ state: 'resume' });
    expect(await kinds.get('registration-change')!.reconcile!(job('registration-change', null), device)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART' } });
  });
});
