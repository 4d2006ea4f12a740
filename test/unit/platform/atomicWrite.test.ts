import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as fs from 'node:fs';
import type * as fsPromises from 'node:fs/promises';

/** Every open / fsync / rename, in order, with what it was done to. */
const calls: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  return {
    ...real,
    open: async (path: string, flags: string, mode?: number) => {
      const handle = await real.open(path, flags, mode);
      calls.push(`open ${flags} ${path}`);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        calls.push(`fsync ${path}`);
        return sync();
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      calls.push(`rename ${from} -> ${to}`);
      return real.rename(from, to);
    },
  };
});

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const paths = new Map<number, string>();
  return {
    ...real,
    openSync: (path: string, flags: string, mode?: number) => {
      const fd = real.openSync(path, flags, mode);
      paths.set(fd, path);
      calls.push(`open ${flags} ${path}`);
      return fd;
    },
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${paths.get(fd)}`);
      real.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      calls.push(`rename ${from} -> ${to}`);
      real.renameSync(from, to);
    },
  };
});

// Unit files share workers: another file may have loaded these modules with the real fs already.
vi.resetModules();
const { writeFileAtomic, writeFileAtomicSync } = await import('../../../platform/atomicWrite.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fg-atomic-'));
  calls.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const steps = () => calls.map((c) => c.replaceAll(dir, '<dir>').replace(/\.[0-9a-f]{12}\.tmp/g, '.<hex>.tmp'));

describe.each([
  ['writeFileAtomic', (path: string, data: string, mode?: number) => writeFileAtomic(path, data, mode === undefined ? {} : { mode })],
  ['writeFileAtomicSync', async (path: string, data: string, mode?: number) => writeFileAtomicSync(path, data, mode === undefined ? {} : { mode })],
] as const)('%s', (_name, write) => {
  it('writes a temp file opened wx in the same folder, fsyncs it, renames it, fsyncs the folder, in that order', async () => {
    await write(join(dir, 'state.json'), '{"a":1}');
    expect(steps()).toEqual([
      'open wx <dir>/.state.json.<hex>.tmp',
      'fsync <dir>/.state.json.<hex>.tmp',
      'rename <dir>/.state.json.<hex>.tmp -> <dir>/state.json',
      expect.stringMatching(/^open r <dir>$/),
      'fsync <dir>',
    ]);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"a":1}');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('replaces an existing file whole and gives it the mode asked (0600 by default) whatever the umask', async () => {
    writeFileSync(join(dir, 'token'), 'old', { mode: 0o666 });
    const previous = process.umask(0);
    try {
      await write(join(dir, 'token'), 'new');
      await write(join(dir, 'public.json'), '{}', 0o644);
    } finally {
      process.umask(previous);
    }
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('new');
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'public.json')).mode & 0o777).toBe(0o644);
  });

  it('leaves the old file and no temp file when the rename fails', async () => {
    writeFileSync(join(dir, 'x'), 'old');
    await expect(write(join(dir, 'missing-folder', 'x'), 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['x']);
  });
});

describe('writeFileAtomic with a stream of chunks', () => {
  it('writes every chunk, and on a failing source keeps the old file and removes its temp file', async () => {
    async function* chunks(fail: boolean) {
      yield Buffer.from('ab');
      if (fail) throw new Error('source broke');
      yield Buffer.from('cd');
    }
    await writeFileAtomic(join(dir, 'archive.tar'), chunks(false), { mode: 0o644 });
    expect(readFileSync(join(dir, 'archive.tar'), 'utf8')).toBe('abcd');
    await expect(writeFileAtomic(join(dir, 'archive.tar'), chunks(true))).rejects.toThrow('source broke');
    expect(readFileSync(join(dir, 'archive.tar'), 'utf8')).toBe('abcd');
    expect(readdirSync(dir)).toEqual(['archive.tar']);
  });
});
