import { createHash } from 'node:crypto';
import { invalidValue, malformedResponse } from './fieldErrors.js';
import { decodeBcd, encodeBcd } from './bcd.js';
import { decodeGbk, encodeGbk } from './text.js';

/**
 * The upgrade card (升级卡) layout of this project (SPEC.md §8; GB18240 defines none): EF01 of the UPGRADE01
 * application is one transparent area, a 140-byte header then the data, a slice of one signed `.fwpkg`.
 * A package longer than one card spans n cards, part k of n each. Pure: bytes in, values out.
 */

/** `FGUC`: fiscal-gateway upgrade card. */
export const UPGRADE_CARD_MAGIC = Uint8Array.of(0x46, 0x47, 0x55, 0x43);
export const UPGRADE_CARD_FORMAT = 1;
export const UPGRADE_CARD_HEADER_SIZE = 140;
/** The upgrade area is EF01 (FID EF01) of UPGRADE01. */
export const UPGRADE_AREA_FID = 0xef01;
const CHECK_AT = 136;
const MACHINE_AT = 128;
/** Machine number 0…0: the set is for any register of the model. */
export const ANY_MACHINE = '0000000000000000';
const MODEL_BYTES = 20;
const MAX_PARTS = 0xffff;

export interface UpgradeCardHeader {
  /** This card's part, 1…parts. */
  readonly part: number;
  readonly parts: number;
  /** Seconds the register runs the new image on trial before it reverts unless confirmed (GB link SPEC §5.8.1). */
  readonly trialSeconds: number;
  /** Bytes of the whole `.fwpkg` the n cards carry. */
  readonly packageLength: number;
  /** Where this card's data starts in the package. */
  readonly dataOffset: number;
  /** Bytes of data on this card after the header. */
  readonly dataLength: number;
  /** SHA-256 of the package's `manifest.json` bytes, lower-case hex: the same on every card of a set. */
  readonly manifestSha256: string;
  /** SHA-256 of this card's data, lower-case hex. */
  readonly dataSha256: string;
  /** The gateway's package id (32 hex digits). */
  readonly packageId: string;
  /** The package's version x.y.z. */
  readonly version: string;
  /** The register model the package is installed on (GBK, at most 20 bytes). */
  readonly model: string;
  /**
   * The register the set was written for (16 digits), or ANY_MACHINE. Information for the technician and the
   * register's screen, not a lock: the same signed set may upgrade several registers of the model.
   */
  readonly machineNumber: string;
}

const HEX_32 = /^[0-9a-f]{64}$/;
const HEX_16 = /^[0-9a-f]{32}$/;
const VERSION = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function u16(view: DataView, at: number, value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw invalidValue(field, `must be 0…65535, got ${value}`);
  view.setUint16(at, value);
}

function u32(view: DataView, at: number, value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw invalidValue(field, `must be 0…4294967295, got ${value}`);
  view.setUint32(at, value);
}

function hexInto(target: Uint8Array, at: number, hex: string, pattern: RegExp, field: string): void {
  if (!pattern.test(hex)) throw invalidValue(field, 'must be lower-case hex of the right length');
  target.set(Buffer.from(hex, 'hex'), at);
}

function versionParts(version: string): [number, number, number] {
  const match = VERSION.exec(version);
  const parts = match === null ? [] : [Number(match[1]), Number(match[2]), Number(match[3])];
  if (parts.length !== 3 || parts.some((n) => n > 255)) throw invalidValue('version', `must be x.y.z, each 0…255, got ${version}`);
  return parts as [number, number, number];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The 4-byte header check: the first 4 bytes of SHA-256 over header bytes 0…135. */
function headerCheck(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes.subarray(0, CHECK_AT)).digest().subarray(0, 4);
}

/** Checks the relations between the fields that every header must keep. */
function consistencyProblem(header: UpgradeCardHeader): string | undefined {
  if (header.parts < 1 || header.parts > MAX_PARTS) return `parts ${header.parts} is not 1…${MAX_PARTS}`;
  if (header.part < 1 || header.part > header.parts) return `part ${header.part} is not 1…${header.parts}`;
  if (header.dataLength < 1) return 'a card carries at least one byte of data';
  if (header.dataOffset + header.dataLength > header.packageLength) {
    return `data ${header.dataOffset}+${header.dataLength} runs past the package of ${header.packageLength} bytes`;
  }
  if (header.part === 1 && header.dataOffset !== 0) return 'part 1 starts at offset 0';
  if (header.part === header.parts && header.dataOffset + header.dataLength !== header.packageLength) return 'the last part ends the package';
  return undefined;
}

/**
 * Header layout (big-endian): 0 magic `FGUC` 4, 4 format u8 (1), 5 reserved u8 (0), 6 part u16, 8 parts u16,
 * 10 trial seconds u16, 12 package length u32, 16 data offset u32, 20 data length u32, 24 manifest SHA-256 32,
 * 56 data SHA-256 32, 88 package id 16, 104 version 3 × u8, 107 reserved u8 (0), 108 model gbk 20,
 * 128 machine number bcd8, 136 check 4 (SHA-256 of bytes 0…135, first 4 bytes).
 */
export function encodeUpgradeCardHeader(header: UpgradeCardHeader): Uint8Array {
  const problem = consistencyProblem(header);
  if (problem !== undefined) throw invalidValue('upgradeCardHeader', problem);
  const bytes = new Uint8Array(UPGRADE_CARD_HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  bytes.set(UPGRADE_CARD_MAGIC, 0);
  bytes[4] = UPGRADE_CARD_FORMAT;
  u16(view, 6, header.part, 'part');
  u16(view, 8, header.parts, 'parts');
  u16(view, 10, header.trialSeconds, 'trialSeconds');
  u32(view, 12, header.packageLength, 'packageLength');
  u32(view, 16, header.dataOffset, 'dataOffset');
  u32(view, 20, header.dataLength, 'dataLength');
  hexInto(bytes, 24, header.manifestSha256, HEX_32, 'manifestSha256');
  hexInto(bytes, 56, header.dataSha256, HEX_32, 'dataSha256');
  hexInto(bytes, 88, header.packageId, HEX_16, 'packageId');
  bytes.set(versionParts(header.version), 104);
  if (header.model.length === 0) throw invalidValue('model', 'must not be empty');
  bytes.set(encodeGbk(header.model, MODEL_BYTES, 'model'), 108);
  if (!/^\d{16}$/.test(header.machineNumber)) throw invalidValue('machineNumber', 'must be 16 digits');
  bytes.set(encodeBcd(header.machineNumber, 8, 'machineNumber'), MACHINE_AT);
  bytes.set(headerCheck(bytes), CHECK_AT);
  return bytes;
}

/** Why a header does not decode, for a caller that treats such a card as blank rather than as an error. */
export type UpgradeCardHeaderReading =
  | { readonly ok: true; readonly header: UpgradeCardHeader }
  | { readonly ok: false; readonly reason: 'blank' | 'not-ours' | 'format' | 'check' | 'inconsistent'; readonly detail: string };

/** Reads a header without throwing: a blank or foreign card is an answer, not a failure. */
export function readUpgradeCardHeader(bytes: Uint8Array): UpgradeCardHeaderReading {
  if (bytes.length < UPGRADE_CARD_HEADER_SIZE) return { ok: false, reason: 'format', detail: `${bytes.length} bytes, a header has ${UPGRADE_CARD_HEADER_SIZE}` };
  const head = bytes.subarray(0, UPGRADE_CARD_HEADER_SIZE);
  if (head.every((b) => b === 0x00) || head.every((b) => b === 0xff)) return { ok: false, reason: 'blank', detail: 'the header is erased' };
  if (!UPGRADE_CARD_MAGIC.every((b, i) => head[i] === b)) return { ok: false, reason: 'not-ours', detail: 'no FGUC magic' };
  if (head[4] !== UPGRADE_CARD_FORMAT) return { ok: false, reason: 'format', detail: `format ${head[4]}, this gateway reads ${UPGRADE_CARD_FORMAT}` };
  const check = headerCheck(head);
  if (!check.every((b, i) => head[CHECK_AT + i] === b)) return { ok: false, reason: 'check', detail: 'the header check does not match' };
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const hex = (at: number, size: number) => Buffer.from(head.subarray(at, at + size)).toString('hex');
  let model: string;
  let machineNumber: string;
  try {
    model = decodeGbk(head.subarray(108, 128), 'model');
    machineNumber = decodeBcd(head.subarray(MACHINE_AT, MACHINE_AT + 8), 'machineNumber');
  } catch (error) {
    return { ok: false, reason: 'format', detail: (error as Error).message };
  }
  const header: UpgradeCardHeader = {
    part: view.getUint16(6), parts: view.getUint16(8), trialSeconds: view.getUint16(10),
    packageLength: view.getUint32(12), dataOffset: view.getUint32(16), dataLength: view.getUint32(20),
    manifestSha256: hex(24, 32), dataSha256: hex(56, 32), packageId: hex(88, 16),
    version: `${head[104]}.${head[105]}.${head[106]}`, model, machineNumber,
  };
  const problem = model.length === 0 ? 'no model' : consistencyProblem(header);
  if (problem !== undefined) return { ok: false, reason: 'inconsistent', detail: problem };
  return { ok: true, header };
}

/** Decodes a header, or CARD_RESPONSE_MALFORMED naming what is wrong. */
export function decodeUpgradeCardHeader(bytes: Uint8Array): UpgradeCardHeader {
  const reading = readUpgradeCardHeader(bytes);
  if (!reading.ok) throw malformedResponse(`upgrade card header: ${reading.detail}`);
  return reading.header;
}

/** What every card of one set says of the package. */
export interface UpgradeCardSetInfo {
  readonly packageId: string;
  readonly version: string;
  readonly model: string;
  readonly manifestSha256: string;
  readonly trialSeconds: number;
  readonly machineNumber: string;
}

/** One card's content: the header and the bytes that follow it in EF01. */
export interface UpgradeCardPart {
  readonly header: UpgradeCardHeader;
  /** Header ‖ data: exactly what EF01 holds from offset 0. */
  readonly bytes: Uint8Array;
}

/**
 * Package bytes one card of `capacity` bytes (EF01 size) carries when it is written `apduPayload` bytes an
 * UPDATE BINARY (SPEC.md §8.2): header and data are one stream from offset 0, and the card is filled only up to the
 * largest whole number of APDUs it holds, so every APDU of a card but the set's very last is full. `apduPayload` 1
 * (the default) fills the card to the byte. A card smaller than one APDU's worth past the header is filled whole.
 */
export function dataPerCard(capacity: number, apduPayload = 1): number {
  if (!Number.isInteger(capacity) || capacity <= UPGRADE_CARD_HEADER_SIZE) {
    throw invalidValue('capacity', `an upgrade card needs more than ${UPGRADE_CARD_HEADER_SIZE} bytes, got ${capacity}`);
  }
  if (!Number.isInteger(apduPayload) || apduPayload < 1) throw invalidValue('apduPayload', `must be a positive whole number, got ${apduPayload}`);
  const whole = Math.floor(capacity / apduPayload) * apduPayload;
  return whole > UPGRADE_CARD_HEADER_SIZE ? whole - UPGRADE_CARD_HEADER_SIZE : capacity - UPGRADE_CARD_HEADER_SIZE;
}

/** How many cards of `capacity` bytes, written `apduPayload` bytes an APDU, a package of `packageLength` bytes takes. */
export function cardsNeeded(packageLength: number, capacity: number, apduPayload = 1): number {
  return Math.ceil(packageLength / dataPerCard(capacity, apduPayload));
}

/**
 * Splits a package over cards of `capacity` bytes written `apduPayload` bytes an UPDATE BINARY: part k holds bytes
 * [(k−1)·D, min(k·D, L)) with D = dataPerCard(capacity, apduPayload). The headers record each part's offset and
 * length, so a reader of the cards (joinUpgradeCards, the register) needs neither the capacity nor the APDU size.
 */
export function splitIntoUpgradeCards(pkg: Uint8Array, capacity: number, info: UpgradeCardSetInfo, apduPayload = 1): UpgradeCardPart[] {
  if (pkg.length === 0) throw invalidValue('package', 'is empty');
  const per = dataPerCard(capacity, apduPayload);
  const parts = Math.ceil(pkg.length / per);
  if (parts > MAX_PARTS) throw invalidValue('package', `needs ${parts} cards, at most ${MAX_PARTS}`);
  const result: UpgradeCardPart[] = [];
  for (let part = 1; part <= parts; part += 1) {
    const dataOffset = (part - 1) * per;
    const data = pkg.subarray(dataOffset, Math.min(pkg.length, dataOffset + per));
    const header: UpgradeCardHeader = {
      ...info, part, parts, packageLength: pkg.length, dataOffset, dataLength: data.length, dataSha256: sha256Hex(data),
    };
    const bytes = new Uint8Array(UPGRADE_CARD_HEADER_SIZE + data.length);
    bytes.set(encodeUpgradeCardHeader(header), 0);
    bytes.set(data, UPGRADE_CARD_HEADER_SIZE);
    result.push({ header, bytes });
  }
  return result;
}

/** Headers of one set that agree with each other: same package, version, model, manifest, length and count. */
export function sameUpgradeCardSet(a: UpgradeCardHeader, b: UpgradeCardHeader): boolean {
  return a.packageId === b.packageId && a.version === b.version && a.model === b.model && a.manifestSha256 === b.manifestSha256
    && a.packageLength === b.packageLength && a.parts === b.parts;
}

/**
 * Joins the cards of one set back into the package (the register's side), or says why not: a part missing or
 * twice, cards of different sets, data that does not match its digest, parts that do not tile the package.
 */
export function joinUpgradeCards(cards: readonly Uint8Array[]): { readonly ok: true; readonly pkg: Uint8Array; readonly headers: readonly UpgradeCardHeader[] } | { readonly ok: false; readonly detail: string } {
  const headers: UpgradeCardHeader[] = [];
  for (const [index, card] of cards.entries()) {
    const reading = readUpgradeCardHeader(card);
    if (!reading.ok) return { ok: false, detail: `card ${index + 1}: ${reading.detail}` };
    headers.push(reading.header);
  }
  const first = headers[0];
  if (first === undefined) return { ok: false, detail: 'no card' };
  if (headers.some((h) => !sameUpgradeCardSet(h, first))) return { ok: false, detail: 'cards of different sets' };
  if (headers.length !== first.parts) return { ok: false, detail: `${headers.length} cards of a set of ${first.parts}` };
  const pkg = new Uint8Array(first.packageLength);
  const seen = new Set<number>();
  let covered = 0;
  for (const [index, header] of headers.entries()) {
    if (seen.has(header.part)) return { ok: false, detail: `part ${header.part} twice` };
    seen.add(header.part);
    const data = cards[index]!.subarray(UPGRADE_CARD_HEADER_SIZE, UPGRADE_CARD_HEADER_SIZE + header.dataLength);
    if (data.length !== header.dataLength || sha256Hex(data) !== header.dataSha256) return { ok: false, detail: `part ${header.part}: data does not match its digest` };
    pkg.set(data, header.dataOffset);
    covered += data.length;
  }
  const ordered = [...headers].sort((a, b) => a.part - b.part);
  for (let i = 1; i < ordered.length; i += 1) {
    const before = ordered[i - 1]!;
    if (ordered[i]!.dataOffset !== before.dataOffset + before.dataLength) return { ok: false, detail: `part ${ordered[i]!.part} does not follow part ${before.part}` };
  }
  if (covered !== first.packageLength) return { ok: false, detail: `the parts hold ${covered} of ${first.packageLength} bytes` };
  return { ok: true, pkg, headers: ordered };
}
