import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupStore } from '../../../src/services/backup/BackupStore.js';
import { BACKUP_FOLDER } from '../../../src/services/backup/backupLayout.js';
import { verifyBackupFolder } from '../../../src/services/backup/verifyBackupFolder.js';

const TRIALS = 12;
const runTs = join(import.meta.dirname, '../../../bin/run-ts.js');
const child = join(import.meta.dirname, 'backupChild.ts');

/**
 * Starts a child writing backups and SIGKILLs it once it has committed one backup, `fraction` of one
 * backup's duration later (so the kill points follow the machine's speed, not a fixed clock);
 * resolves with how many it committed.
 */
function killMidway(root: string, fraction: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [runTs, child, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = 0;
    let readyAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (text.includes('ready')) readyAt ??= performance.now();
      const commits = text.split('committed').length - 1;
      if (commits > 0 && committed === 0 && readyAt !== undefined) {
        timer = setTimeout(() => proc.kill('SIGKILL'), Math.floor((performance.now() - readyAt) * fraction));
      }
      committed += commits;
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (${signal ?? _code})`));
      else resolve(committed);
    });
  });
}

describe('kill -9 during a backup', () => {
  it(`never leaves a folder that lists as complete without verifying (${TRIALS} trials)`, async () => {
    const base = await mkdtemp(join(tmpdir(), 'fg-kill-'));
    let committedTotal = 0;
    let sawLeftover = 0;
    // Three children at a time, each in its own data dir; kill points spread over 0…1.3 backups after the
    // first commit, with jitter, so they land inside reads, commits and renames alike.
    const delays = Array.from({ length: TRIALS }, (_, i) => (i * 1.3) / TRIALS + Math.random() * 0.1);
    const roots = [0, 1, 2].map((k) => join(base, `d${k}`));
    for (let start = 0; start < TRIALS; start += roots.length) {
      const batch = delays.slice(start, start + roots.length);
      const counts = await Promise.all(batch.map((delay, k) => killMidway(roots[k], delay)));
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
