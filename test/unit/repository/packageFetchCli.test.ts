import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/CliContext.js';
import { DaemonProblem } from '../../../src/cli/DaemonProblem.js';
import { packageFetch } from '../../../src/cli/commands/packageFetch.js';

const idle = { repository: 'https://repo.example/', source: 'https://repo.example/', root: null, targets: null, snapshot: null, timestamp: { version: 2, expires: '2026-12-06T00:00:00Z', expired: true }, verifiedAt: '2026-12-01T00:00:00Z', ageSeconds: 4 * 86400, current: false, download: null };
const cachedPackage = { name: `targets/${'1'.repeat(64)}.fwpkg`, models: ['FX-100'], version: '9.1.0', length: 3 << 20, sha256: '1'.repeat(64), paths: ['serial'], packageId: '0123456789abcdef0123456789abcdef', cached: true };

function context(options: { tty: boolean; post: () => Promise<unknown>; download?: { received: number; length: number; resumedFrom: number } }) {
  let stderr = '';
  let stdout = '';
  const client = {
    post: options.post,
    get: async () => ({ repository: { ...idle, packages: [cachedPackage], download: options.download ? { name: cachedPackage.name, ...options.download } : null } }),
  };
  const ctx = {
    io: { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; }, isTTY: options.tty }, env: {} },
    client, json: false, language: 'en', positionals: ['fetch'], options: {}, commands: [],
    printJson: (v: unknown) => { stdout += JSON.stringify(v); }, print: (t: string) => { stdout += t; },
  } as unknown as CliContext;
  return { ctx, out: () => ({ stdout, stderr }) };
}

describe('fiscalctl package fetch', () => {
  it('draws the download on a terminal while fiscald fetches, and not when stderr is no terminal', async () => {
    const answer = { fetched: [{ ...cachedPackage, downloaded: true }], models: ['FX-100'], repository: { ...idle, current: true, packages: [cachedPackage] } };
    // The fetch answers once the progress line is drawn (a terminal), or after a few polls would have drawn it (no terminal).
    const slow = (drawn: () => boolean, most: number) => () => new Promise((resolve) => {
      let polls = 0;
      const timer = setInterval(() => { polls += 1; if (drawn() || polls > most) { clearInterval(timer); resolve(answer); } }, 100);
    });
    let ttyErr = () => '';
    const tty = context({ tty: true, post: slow(() => ttyErr().includes('Downloading'), 100), download: { received: 1 << 20, length: 3 << 20, resumedFrom: 512 << 10 } });
    ttyErr = () => tty.out().stderr;
    expect(await packageFetch(tty.ctx)).toBe(0);
    expect(tty.out().stderr).toMatch(/\rDownloading targets\/1{16}… 33% \(1\.0\/3\.0 MiB, resumed at 0\.5 MiB\)/);
    expect(tty.out().stdout).toMatch(/Downloaded, verified and kept 0123456789abcdef0123456789abcdef: version 9\.1\.0/);
    const pipe = context({ tty: false, post: slow(() => false, 8), download: { received: 1 << 20, length: 3 << 20, resumedFrom: 0 } });
    expect(await packageFetch(pipe.ctx)).toBe(0);
    expect(pipe.out().stderr).toBe('');
  });

  it('offline: names the cached packages and how old the metadata is, then fails with the repository error (exit 5)', async () => {
    const offline = context({ tty: false, post: () => Promise.reject(new DaemonProblem(503, { code: 'REPO_UNREACHABLE', title: 'unreachable' })) });
    await expect(packageFetch(offline.ctx)).rejects.toMatchObject({ code: 'REPO_UNREACHABLE', exitCode: 5 });
    expect(offline.out().stderr).toMatch(/Metadata verified .* \(4 d 0 h ago\), expired .*: the repository may have newer packages since/);
    expect(offline.out().stderr).toMatch(/can still be used to upgrade.*\n  0123456789abcdef0123456789abcdef  9\.1\.0  FX-100/);
  });
});
