import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupStore } from '../../../src/services/backup/BackupStore.js';
import { BACKUP_FOLDER } from '../../../src/services/backup/backupLayout.js';
import { verifyBackupFolder } from '../../../src/services/backup/verifyBackupFolder.js';
import { entryPoint } from '../../helpers/entryPoints.js';
import { temporaryDirectory } from '../../helpers/temporaryDirectories.js';

const TRIALS = 12;

/**
 * Starts a child writing backups and SIGKILLs it during its second backup, once that backup has read
 * `fraction` of the records the first one held (the child's own progress lines, not a clock); a fraction
 * of 1 kills it while it commits, past 1 on its second `committed`, as the third begins. Resolves with
 * how many backups it committed.
 */
function killAt(root: string, fraction: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...entryPoint('backup-child'), root], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    let recordsPerBackup = 0;
    let pending = '';
    const kill = () => proc.kill('SIGKILL');
    proc.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const progress = /^progress (\d+)$/.exec(line);
        if (progress && committed === 0) recordsPerBackup = Number(progress[1]);
        else if (progress && committed === 1 && fraction <= 1 && Number(progress[1]) >= fraction * recordsPerBackup) kill();
        else if (line === 'committed' && ++committed === 2) kill();
      }
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (${signal ?? _code})`));
      else resolve(committed);
    });
  });
}

describe('kill -9 during a backup', () => {
  it(`never leaves a folder that lists as complete without verifying (${TRIALS} trials)`, async () => {
    const base = temporaryDirectory('fg-kill-');
    let committedTotal = 0;
    let sawLeftover = 0;
    // Three children at a time, each in its own data dir; kill points spread over the second backup's
    // records and past its end, with jitter, so they land inside reads, commits and renames alike.
    const delays = Array.from({ length: TRIALS }, (_, i) => Math.min(1.1, (i * 1.1) / (TRIALS - 1) + Math.random() * 0.05));
    const roots = [0, 1, 2].map((k) => join(base, `d${k}`));
    for (let start = 0; start < TRIALS; start += roots.length) {
      const batch = delays.slice(start, start + roots.length);
      const counts = await Promise.all(batch.map((delay, k) => killAt(roots[k], delay)));
      committedTotal += counts.reduce((a, b) => a + b, 0);
      for (const root of roots.slice(0, batch.length)) {
        const store = new BackupStore(root);
        const machines = await readdir(root).catch(() => [] as string[]);
        expect(machines.length).toBeLessThanOrEqual(1);
        const machineDir = join(root, machines[0] ?? 'none');
        const names = await readdir(machineDir).catch(() => [] as string[]);
        for (const name of names) {
          if (!BACKUP_FOLDER.test(name)) continue;
          const report = await verifyBackupFolder(join(machineDir, name));
          expect(report.failures, `${name} after kill at ${batch}`).toEqual([]);
        }
        const listed = await store.list();
        expect(listed.length).toBe(names.filter((n) => BACKUP_FOLDER.test(n)).length);
        for (const backup of listed) expect((await store.verify(backup.id)).ok).toBe(true);
        sawLeftover += (await store.cleanTemporary()).length;
        expect((await readdir(machineDir).catch(() => [] as string[])).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      }
    }
    // The kills must have hit both sides: inside a backup (a leftover to clean) and after commits.
    expect(sawLeftover).toBeGreaterThan(0);
    expect(committedTotal).toBeGreaterThan(0);
  }, 120_000);
});
