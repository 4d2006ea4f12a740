import type { BackupProblem } from '../BackupManifest.js';

/** The register or card said how many records of a kind it holds; the backup read `actual`. */
export function checkCount(kind: string, expected: number | undefined, actual: number): BackupProblem[] {
  if (expected === undefined || expected === actual) return [];
  return [{
    check: 'count',
    kind,
    message: `${actual} ${kind} records read, the device reports ${expected}`,
    data: { expected, actual },
  }];
}
