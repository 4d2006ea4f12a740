import type { BackupProblem } from '../BackupManifest.js';

/**
 * Records read by position from 1 (invoices, declarations, rolls, roll summaries, initialization
 * history) carry their own position (seq, SPEC.md §5.7): read in order they must run 1, 2, 3… A
 * gap is a record the backup lacks, a repeat one it holds twice; this proves completeness from the
 * records themselves where the register gives no count (public firmware, no 72).
 */
export function checkPositions(kind: string, positions: readonly number[]): BackupProblem[] {
  const problems: BackupProblem[] = [];
  let expected = 1;
  for (const [index, position] of positions.entries()) {
    if (position !== expected) {
      const message = position > expected
        ? `${kind}: positions ${expected}–${position - 1} are missing before record ${index} (seq ${position})`
        : `${kind}: record ${index} has seq ${position}, expected ${expected} (a repeat or out of order)`;
      problems.push({ check: 'sequence', kind, seq: index, message, data: { expected, found: position } });
    }
    expected = position + 1;
  }
  return problems;
}
