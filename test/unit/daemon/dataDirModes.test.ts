import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDaemon, type InProcessDaemon } from '../api/daemonHarness.js';

/**
 * Nothing under the data dir is readable beyond its owner, but for the two things the `fiscal` group is given
 * (udev/fiscald.service: the data dir to enter, 0750, and the token to read, 0640): the database and its WAL,
 * backups, simulator state. Run under a shell's umask (022), where a mkdir or open without a mode gives 0755/0644.
 */
let d: InProcessDaemon;
let umask: number;
const modes = new Map<string, number>();

function walk(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    modes.set(relative(d.dataDir, path), stat.mode & 0o777);
    if (stat.isDirectory()) walk(path);
  }
}

beforeAll(async () => {
  umask = process.umask(0o022);
  d = await startInProcessDaemon();
  const backup = await d.request({ method: 'POST', url: `/v1/devices/${d.initialized.id}/backups`, payload: {}, headers: { 'x-operator': 'modes' } });
  expect(backup.statusCode, backup.body).toBe(202);
  const job = await d.daemon.jobs.settled((backup.json() as { job: { id: string } }).job.id);
  expect(job?.state).toBe('succeeded');
  await d.shutdown();
  modes.set('.', statSync(d.dataDir).mode & 0o777);
  walk(d.dataDir);
}, 120_000);
afterAll(async () => {
  process.umask(umask);
  await d.stop();
});

describe('modes under the data dir', () => {
  it('found the database, a backup and the simulator state', () => {
    const names = [...modes.keys()];
    expect(names).toContain('token');
    expect(names).toContain('fiscald.sqlite');
    expect(names.some((name) => name.startsWith('backups/') && name.endsWith('.jsonl'))).toBe(true);
    expect(names.some((name) => name.startsWith('simulator/register-'))).toBe(true);
  });

  it('the data dir at most 0750 and the token 0640 (the fiscal group); everything the daemon keeps is its owner\'s alone', () => {
    expect(modes.get('.')! & 0o027, modes.get('.')!.toString(8)).toBe(0);
    expect(modes.get('token')!.toString(8)).toBe('640');
    // The simulated USB stick (simulator/stick) stands in for removable media, a mock /sys, /dev and volume: it is
    // held to the rule below (nobody else reaches it), not to its own modes.
    const open = [...modes].filter(([name, mode]) => name !== '.' && name !== 'token' && !name.startsWith('simulator/stick') && (mode & 0o077) !== 0)
      .map(([name, mode]) => `${name} ${mode.toString(8)}`);
    expect(open.join('\n')).toBe('');
  });

  it('nothing but the token can be reached by another user or the group (every folder on the way must let them in)', () => {
    /** Whether a class (group: x 0o010, r 0o040; others: x 0o001, r 0o004) can enter every folder down to `name` and read it. */
    const reachable = (name: string, enter: number, read: number): boolean => {
      const parts = name.split('/');
      const folders = ['.', ...parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'))];
      return folders.every((folder) => (modes.get(folder)! & enter) !== 0) && (modes.get(name)! & read) !== 0;
    };
    const exposed = [...modes.keys()].filter((name) => name !== '.' && name !== 'token' && (reachable(name, 0o010, 0o040) || reachable(name, 0o001, 0o004)));
    expect(exposed).toEqual([]);
  });
});
