import type { BackupProblem } from '../BackupManifest.js';

/** The facts a decoder knows about one record's own checks; absent facts are not judged. */
export interface RecordIntegrity {
  readonly seq: number;
  /** The record's signature (daily: 128 bytes from DAILY_COLLECT_SIGN; declaration: 128 in the DECLARE_DUTY answer). */
  readonly signature?: Uint8Array;
  /** A data block that ends with its XOR byte (GB18240.2 fiscal command blocks). */
  readonly xorBlock?: Uint8Array;
  /** Whether the record's own CRC held, as the decoder found. */
  readonly crcOk?: boolean;
}

export const SIGNATURE_LENGTH = 128;

/** True when the last byte is the XOR of all bytes before it. */
export function xorHolds(block: Uint8Array): boolean {
  if (block.length === 0) return false;
  let x = 0;
  for (let i = 0; i < block.length - 1; i++) x ^= block[i];
  return x === block[block.length - 1];
}

/** Each record's own check: signature present with the right length and not blank, XOR byte, CRC. */
export function checkRecordIntegrity(kind: string, records: readonly RecordIntegrity[], signatureLength = SIGNATURE_LENGTH): BackupProblem[] {
  const problems: BackupProblem[] = [];
  for (const record of records) {
    const { seq, signature, xorBlock, crcOk } = record;
    if (signature !== undefined) {
      if (signature.length !== signatureLength) {
        problems.push({ check: 'record-check', kind, seq, message: `signature is ${signature.length} bytes, expected ${signatureLength}`, data: { what: 'signature-length', length: signature.length } });
      } else if (signature.every((b) => b === signature[0])) {
        problems.push({ check: 'record-check', kind, seq, message: 'signature is blank (every byte the same)', data: { what: 'signature-blank' } });
      }
    }
    if (xorBlock !== undefined && !xorHolds(xorBlock)) {
      problems.push({ check: 'record-check', kind, seq, message: 'XOR check byte does not match the data', data: { what: 'xor' } });
    }
    if (crcOk === false) problems.push({ check: 'record-check', kind, seq, message: 'record CRC does not match', data: { what: 'crc' } });
  }
  return problems;
}
