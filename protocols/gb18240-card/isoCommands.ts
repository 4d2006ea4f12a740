import type { CommandApdu } from '../apdu/CommandApdu.js';
import { invalidValue } from './fieldErrors.js';

/** The ISO 7816-4 commands the GB18240.2 cards use (GB18240.md "ISO 7816-4 commands used"). */

const empty = new Uint8Array(0);

export function selectByName(name: string | Uint8Array): CommandApdu {
  const data = typeof name === 'string' ? Uint8Array.from(name, (c) => c.charCodeAt(0)) : name;
  if (data.length < 1 || data.length > 16) throw invalidValue('applicationName', 'must be 1…16 bytes');
  return { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data };
}

/**
 * SELECT by FID. With `askControlParameters` the command carries Le = 00 (case 4), asking the card to
 * answer its FCI/FCP (P2 = 00: "return FCI template"), which states the file's size (fci.ts);
 * without, no answer data is asked (case 3).
 */
export function selectByFileId(fid: number, options: { askControlParameters?: boolean } = {}): CommandApdu {
  if (!Number.isInteger(fid) || fid < 0 || fid > 0xffff) throw invalidValue('fileId', 'must be a 2-byte file identifier');
  const command: CommandApdu = { cla: 0x00, ins: 0xa4, p1: 0x00, p2: 0x00, data: Uint8Array.of(fid >> 8, fid & 0xff) };
  return options.askControlParameters === true ? { ...command, le: 256 } : command;
}

/** READ BINARY of the current EF at `offset` (0…32767), or of EF `sfi` (1…30) from `offset` 0…255. */
export function readBinary(offset: number, length: number, sfi?: number): CommandApdu {
  return { ...binaryAddress(offset, sfi), ins: 0xb0, data: empty, le: length };
}

export function updateBinary(offset: number, data: Uint8Array, sfi?: number): CommandApdu {
  if (data.length === 0) throw invalidValue('data', 'UPDATE BINARY needs data');
  return { ...binaryAddress(offset, sfi), ins: 0xd6, data };
}

function binaryAddress(offset: number, sfi: number | undefined): { cla: number; p1: number; p2: number } {
  if (sfi === undefined) {
    if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fff) throw invalidValue('offset', 'must be 0…32767');
    return { cla: 0x00, p1: offset >> 8, p2: offset & 0xff };
  }
  checkSfi(sfi);
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xff) throw invalidValue('offset', 'must be 0…255 with a short file identifier');
  return { cla: 0x00, p1: 0x80 | sfi, p2: offset };
}

function checkSfi(sfi: number): void {
  if (!Number.isInteger(sfi) || sfi < 1 || sfi > 30) throw invalidValue('sfi', 'must be 1…30');
}

function recordP2(sfi: number | undefined): number {
  if (sfi === undefined) return 0x04;
  checkSfi(sfi);
  return (sfi << 3) | 0x04;
}

function checkRecord(record: number): void {
  if (!Number.isInteger(record) || record < 1 || record > 254) throw invalidValue('record', 'must be 1…254');
}

/** READ RECORD `record` (absolute number) of the current EF or of EF `sfi`. */
export function readRecord(record: number, length: number, sfi?: number): CommandApdu {
  checkRecord(record);
  return { cla: 0x00, ins: 0xb2, p1: record, p2: recordP2(sfi), data: empty, le: length };
}
