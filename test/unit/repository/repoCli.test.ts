import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/runCli.js';
import { englishWords } from '../cli/englishWords.js';

const work = mkdtempSync(join(tmpdir(), 'fg-repo-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(args: string[], lang = 'C') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: (t: string) => { stderr += t; }, isTTY: false },
    env: { LANG: lang, FISCALD_URL: 'http://127.0.0.1:1', FISCALD_DATA_DIR: work },
  });
  return { code, stdout, stderr };
}

describe('fiscalctl repo (vendor side, no fiscald)', () => {
  it('init makes private keys (0700/0600) apart from the public files, in zh without English words; publish and rotate-root bump versions', async () => {
    const dir = join(work, 'repo');
    const init = await cli(['repo', 'init', dir, '--keys', '3', '--threshold', '2', '--algorithm', 'sm2'], 'zh_CN.UTF-8');
    expect(init.code, init.stderr).toBe(0);
    expect(englishWords(init.stdout)).toEqual([]);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(join(dir, 'keys')).filter((n) => n.endsWith('.key'))) expect(statSync(join(dir, 'keys', name)).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'keys')).filter((n) => n.startsWith('root-') && n.endsWith('.key'))).toHaveLength(3);
    expect(readdirSync(join(dir, 'public')).sort()).toEqual(['1.root.json', '1.snapshot.json', '1.targets.json', 'root.json', 'snapshot.json', 'targets', 'targets.json', 'timestamp.json']);

    const published = await cli(['repo', 'publish', dir, '--expires', '12h', '--json']);
    expect(JSON.parse(published.stdout)).toMatchObject({ versions: { root: 1, targets: 1, snapshot: 2, timestamp: 2 } });
    const rotated = await cli(['repo', 'rotate-root', dir, '--keys', '2', '--threshold', '2', '--roles', 'timestamp', '--json']);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ version: 2, roles: { root: { threshold: 2 } } });
    expect(existsSync(join(dir, 'public', '2.root.json'))).toBe(true);
  });

  it('usage errors exit 2: bad threshold, an existing repository, no repository, bad duration, unknown role, wrong arguments', async () => {
    const dir = join(work, 'other');
    expect((await cli(['repo', 'init', dir, '--keys', '2', '--threshold', '3'])).code).toBe(2);
    expect((await cli(['repo', 'init', dir])).code).toBe(0);
    const again = await cli(['repo', 'init', dir, '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({ code: 'REPO_VENDOR_INVALID' });
    expect((await cli(['repo', 'publish', join(work, 'none')])).code).toBe(2);
    expect((await cli(['repo', 'publish', dir, '--expires', '1w'])).code).toBe(2);
    expect((await cli(['repo', 'rotate-root', dir, '--roles', 'root'])).code).toBe(2);
    expect((await cli(['repo', 'add', dir])).code).toBe(2);
    expect((await cli(['repo', 'publish', dir, '--keys', '2'])).code).toBe(2);
  });
});
