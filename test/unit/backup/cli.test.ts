import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/runCli.js';
import { writeBackupArchive } from '../../../src/services/backup/BackupArchive.js';
import { tempStore, writeSampleBackup } from './sampleBackup.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
    env: { FISCALD_URL: 'http://127.0.0.1:9', FISCALD_TOKEN: 'unused-token' },
  });
  return { code, stdout, stderr };
}

describe('fiscalctl verify-backup FILE.tar', () => {
  it('checks an archive without the daemon: 0 when good, 3 naming the file when not, 3 on a broken archive', async () => {
    const store = await tempStore();
    const { dir, manifest } = await writeSampleBackup(store);
    const out = join(dirname(store.root), 'b.tar');
    await writeBackupArchive(dir, out);
    const good = await cli(['verify-backup', out, '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, backupId: manifest.id, failures: [] });

    const bytes = await readFile(out);
    const at = bytes.indexOf(Buffer.from('{"seq":0,"raw":0,"record":{"number":1'));
    bytes[at + 30] ^= 0x01;
    const bad = join(dirname(out), 'bad.tar');
    await writeFile(bad, bytes);
    const failed = await cli(['verify-backup', bad]);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toContain('invoices.jsonl：摘要不符');

    const broken = join(dirname(out), 'broken.tar');
    await writeFile(broken, bytes.subarray(0, 1000));
    const refused = await cli(['verify-backup', broken, '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'BACKUP_ARCHIVE_INVALID' });
  });
});
