import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAMP, freshCompiledEntry } from '../../../bin/compiledEntry.js';

// bin/fiscald.js and bin/fiscalctl.js run dist/bin's copy only when it was built from the sources as they are now.
describe('freshCompiledEntry: the compiled bin or, when missing or stale, none (tsx then)', () => {
  let project: string;
  let dist: string;
  const builtAt = Date.parse('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(ms);

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'fg-compiled-entry-'));
    dist = join(project, 'dist', 'bin');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(dist, { recursive: true });
    for (const file of ['src/a.ts', 'src/b.ts']) {
      writeFileSync(join(project, file), 'export {};\n');
      utimesSync(join(project, file), at(builtAt - 60_000), at(builtAt - 60_000));
    }
    writeFileSync(join(dist, 'fiscald.js'), '');
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  const stamp = (value: unknown) => writeFileSync(join(dist, STAMP), JSON.stringify(value));

  it('takes the compiled file when no source changed since the build started', () => {
    stamp({ startedAtMs: builtAt, inputs: ['src/a.ts', 'src/b.ts'] });
    expect(freshCompiledEntry('fiscald', dist, project)).toBe(pathToFileURL(join(dist, 'fiscald.js')).href);
  });

  it('falls back when a source was edited after the build started', () => {
    stamp({ startedAtMs: builtAt, inputs: ['src/a.ts', 'src/b.ts'] });
    utimesSync(join(project, 'src/b.ts'), at(builtAt + 1000), at(builtAt + 1000));
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
  });

  it('falls back when a source it was built from is gone', () => {
    stamp({ startedAtMs: builtAt, inputs: ['src/a.ts', 'src/b.ts'] });
    rmSync(join(project, 'src/a.ts'));
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
  });

  it('falls back when there is no build, no stamp (a build cut short) or no such entry point', () => {
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
    stamp({ startedAtMs: builtAt, inputs: ['src/a.ts'] });
    expect(freshCompiledEntry('fiscalctl', dist, project)).toBeUndefined();
    rmSync(dist, { recursive: true });
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
  });

  it('falls back on a stamp it cannot read', () => {
    writeFileSync(join(dist, STAMP), '{"startedAtMs":');
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
    stamp({ startedAtMs: builtAt, inputs: [] });
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
    stamp({ inputs: ['src/a.ts'] });
    expect(freshCompiledEntry('fiscald', dist, project)).toBeUndefined();
  });
});
