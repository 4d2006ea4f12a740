import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where backups live: `<backups-root>/<machine-number>/<UTC time>-<id>/`. A backup is written in
 * `<backups-root>/<machine-number>/.tmp-<id>/` and renamed into place when complete, so the only
 * folders that match `BACKUP_FOLDER` are complete ones; `.tmp-*` folders are leftovers of a crash.
 */
export const BACKUP_FOLDER = /^(\d{8}T\d{6}Z)-([0-9a-z]{12})$/;
export const TEMP_PREFIX = '.tmp-';

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newBackupId(): string {
  return [...randomBytes(12)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

/** `2026-11-22T07:57:51.123Z` → `20261122T075751Z`: sortable, and legal on FAT sticks. */
export function folderTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function backupFolderName(at: Date, id: string): string {
  return `${folderTime(at)}-${id}`;
}

export function machineFolder(root: string, machineNumber: string): string {
  return join(root, machineNumber);
}
