import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GatewayError } from '../../../contracts/errors/index.js';
import { verifyBackupArchive, writeBackupArchive } from './BackupArchive.js';
import type { BackupStore } from './BackupStore.js';

/** What the stick side did: a durable copy, its `sha256sum` sidecar, and the hash read back. */
export interface StickCopyResult {
  readonly mountPoint: string;
  readonly path: string;
  readonly checksumPath: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Copies a file onto a removable volume (the daemon passes drivers/stick's copyToStick). */
export type StickWriter = (sourcePath: string, relativeTarget: string, mountPoint?: string) => Promise<StickCopyResult>;

export interface StickExport extends StickCopyResult {
  readonly backupId: string;
  /** Files of the backup inside the archive on the stick, each re-hashed against its SHA256SUMS. */
  readonly filesVerified: number;
}

/**
 * Export to a USB stick (issue 6): only a backup that still verifies is exported; its archive is
 * written to a temporary file, copied to `FISCAL/BACKUP/<machine>/<backup>.tar` with a `.sha256`
 * beside it, read back, and then the archive on the stick is opened and every file in it checked
 * against its SHA256SUMS, so what the technician carries away is proved whole.
 */
export async function exportBackupToStick(store: BackupStore, backupId: string, writeToStick: StickWriter, mountPoint?: string): Promise<StickExport> {
  const verification = await store.assertVerified(backupId);
  const machine = basename(join(verification.dir, '..'));
  const name = `${machine}-${basename(verification.dir)}.tar`;
  const work = await mkdtemp(join(tmpdir(), 'fiscal-export-'));
  try {
    const archive = await writeBackupArchive(verification.dir, join(work, name));
    const copy = await writeToStick(archive.path, `FISCAL/BACKUP/${machine}/${name}`, mountPoint);
    if (copy.sha256 !== archive.sha256) throw new GatewayError('STICK_VERIFY_FAILED', { params: { file: copy.path } });
    const report = await verifyBackupArchive(copy.path);
    const failure = report.failures[0];
    if (failure !== undefined) throw new GatewayError('STICK_VERIFY_FAILED', { params: { file: `${copy.path}:${failure.file}` }, data: { failures: report.failures } });
    return { ...copy, backupId, filesVerified: report.manifest?.files.length ?? 0 };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
