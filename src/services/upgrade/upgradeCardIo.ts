import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { SW_OK, statusWordHex, transceive, type CommandApdu } from '../../../protocols/apdu/index.js';
import { applicationNames } from '../../../protocols/gb18240-card/applications.js';
import { apduLimitsFor, cardCapabilities, decodeExtendedLengthInfo, EF_ATR_FID, type ExtendedLengthInfo } from '../../../protocols/gb18240-card/cardCapabilities.js';
import { statedFileSize } from '../../../protocols/gb18240-card/fci.js';
import { readBinary, selectByFileId, selectByName } from '../../../protocols/gb18240-card/isoCommands.js';
import {
  decodeUpgradeAreaAnswer, readChunkSize, readUpgradeArea, SHORT_APDU_LIMITS, updateUpgradeArea, writeChunkSize, type ApduLimits,
} from '../../../protocols/gb18240-card/upgradeCardCommands.js';
import { readUpgradeCardHeader, UPGRADE_AREA_FID, UPGRADE_CARD_HEADER_SIZE, type UpgradeCardHeaderReading } from '../../../protocols/gb18240-card/upgradeCardLayout.js';

/**
 * The upgrade card over any CardChannel (gb18240-card SPEC.md §8): what the card is, how large, which APDUs it and
 * the reader take, and the write and read of its upgrade area in the largest chunks they allow. No PIN is ever sent:
 * an upgrade card has none, and the only VERIFY-like command of the other cards is never part of this path.
 */

export type UpgradeCardLook =
  | {
    readonly kind: 'upgrade';
    /** Bytes of EF01, as the card states it (FCP tag 80/81). */
    readonly capacity: number;
    readonly limits: ApduLimits;
    /** Why extended APDUs are (not) used, for the job's log and result. */
    readonly apdus: 'short' | 'extended' | 'short (the reader refused an extended APDU)';
    readonly header: UpgradeCardHeaderReading;
  }
  | { readonly kind: 'other'; readonly detail: string };

/** Errors after which the card (or its reader) is gone: what was written on it is unknown. */
const LOST = new Set(['CARD_REMOVED', 'CARD_ABSENT', 'CARD_DISCONNECTED', 'CARD_RESET_ELSEWHERE', 'CARD_TRANSACTION_FAILED', 'CARD_TRANSMIT_FAILED',
  'CARD_UNRESPONSIVE', 'READER_GONE', 'PCSC_UNAVAILABLE', 'TIMEOUT']);

/** The card, its reader or pcscd is gone: nothing more can be asked of the card. */
const GONE = new Set(['CARD_REMOVED', 'CARD_ABSENT', 'CARD_DISCONNECTED', 'READER_GONE', 'PCSC_UNAVAILABLE', 'TIMEOUT']);

/** The card was pulled (or its reader or pcscd went) during an exchange. */
export function isCardLost(error: unknown): boolean {
  return isGatewayError(error) && LOST.has(error.code);
}

async function ok(channel: CardChannel, command: CommandApdu, what: string): Promise<Uint8Array> {
  const answer = await transceive(channel, command);
  if (answer.sw !== SW_OK) throw new GatewayError('CARD_UNKNOWN_STATUS', { params: { command: what, sw: statusWordHex(answer.sw) } });
  return answer.data;
}

/** EF.ATR/INFO's 7F66, read from the MF; undefined when the card has none. Leaves UPGRADE01 selected. */
async function extendedLengthInfo(channel: CardChannel): Promise<ExtendedLengthInfo | undefined> {
  let info: ExtendedLengthInfo | undefined;
  const mf = await transceive(channel, selectByFileId(0x3f00));
  const ef = mf.sw === SW_OK ? await transceive(channel, selectByFileId(EF_ATR_FID)) : mf;
  if (ef.sw === SW_OK) {
    const read = await transceive(channel, readBinary(0, 256));
    if (read.sw === SW_OK || read.warning?.warning === 'end-of-data') info = decodeExtendedLengthInfo(read.data);
  }
  await ok(channel, selectByName(applicationNames.upgrade), 'SELECT UPGRADE01');
  return info;
}

/**
 * Extended APDUs go through only if the reader carries them too (a CCID reader in short-APDU exchange level does
 * not): one extended READ BINARY, which changes nothing, says so. A reader that fails it without losing the card
 * is used with short APDUs.
 */
async function readerTakesExtended(channel: CardChannel, limits: ApduLimits, capacity: number): Promise<boolean> {
  try {
    const length = Math.min(readChunkSize(limits), capacity);
    const answer = await transceive(channel, readUpgradeArea(0, length, limits));
    return answer.sw === SW_OK && decodeUpgradeAreaAnswer(answer.data).length === length;
  } catch (error) {
    // A reader that cannot carry the APDU says so as a failed transaction (pcscd: SCARD_E_NOT_TRANSACTED or a
    // too-small buffer) with the card still in it; only a card or reader that is gone ends the look.
    if (isGatewayError(error) && GONE.has(error.code)) throw error;
    return false;
  }
}

/** SELECT UPGRADE01; its EF01 size; the APDU limits card and reader agree on; the header as it is now (blank, ours, foreign). */
export async function lookAtUpgradeCard(channel: CardChannel, atr: Uint8Array): Promise<UpgradeCardLook> {
  const selected = await transceive(channel, selectByName(applicationNames.upgrade));
  if (selected.sw !== SW_OK) return { kind: 'other', detail: `SELECT UPGRADE01 answered ${statusWordHex(selected.sw)}` };
  const capabilities = cardCapabilities(atr);
  const info = capabilities.extendedLength && capabilities.lengthInfoInEfAtr ? await extendedLengthInfo(channel) : undefined;
  const fcp = await transceive(channel, selectByFileId(UPGRADE_AREA_FID, { askControlParameters: true }));
  const size = fcp.sw === SW_OK ? statedFileSize(fcp.data) : undefined;
  if (size === undefined || size.bytes <= UPGRADE_CARD_HEADER_SIZE) {
    return { kind: 'other', detail: `EF01 ${fcp.sw === SW_OK ? 'states no usable size' : `answered ${statusWordHex(fcp.sw)}`}` };
  }
  let limits = apduLimitsFor(capabilities, info);
  let apdus: Extract<UpgradeCardLook, { kind: 'upgrade' }>['apdus'] = limits.extended ? 'extended' : 'short';
  if (limits.extended && !(await readerTakesExtended(channel, limits, size.bytes))) {
    limits = SHORT_APDU_LIMITS;
    apdus = 'short (the reader refused an extended APDU)';
  }
  const head = await readUpgradeAreaBytes(channel, 0, UPGRADE_CARD_HEADER_SIZE, limits);
  return { kind: 'upgrade', capacity: size.bytes, limits, apdus, header: readUpgradeCardHeader(head) };
}

/** What a write did before it ended. */
export interface AreaWrite {
  readonly apdus: number;
  readonly bytes: number;
}

/** The card refused an UPDATE BINARY: a card fault (memory, a torn write), not a pulled card. */
export class CardWriteRefused extends Error {
  constructor(readonly sw: number, readonly offset: number) {
    super(`UPDATE BINARY at ${offset} answered ${statusWordHex(sw)}`);
  }
}

/**
 * Writes `bytes` from offset 0 of EF01 in chunks of the largest size `limits` allow. `written` is told after each
 * APDU the card confirmed, so a cut leaves the caller knowing how far it got (what the card holds beyond is unknown).
 */
export async function writeUpgradeArea(channel: CardChannel, bytes: Uint8Array, limits: ApduLimits, written: (offset: number) => void): Promise<AreaWrite> {
  const chunk = writeChunkSize(limits);
  let apdus = 0;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const data = bytes.subarray(offset, Math.min(bytes.length, offset + chunk));
    const answer = await transceive(channel, updateUpgradeArea(offset, data, limits));
    apdus += 1;
    if (answer.sw !== SW_OK) throw new CardWriteRefused(answer.sw, offset);
    written(offset + data.length);
  }
  return { apdus, bytes: bytes.length };
}

/** Reads `length` bytes of EF01 from `offset` in the largest chunks `limits` allow. */
export async function readUpgradeAreaBytes(
  channel: CardChannel, offset: number, length: number, limits: ApduLimits, read?: (bytes: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  const chunk = readChunkSize(limits);
  for (let at = 0; at < length;) {
    const want = Math.min(chunk, length - at);
    const data = decodeUpgradeAreaAnswer(await ok(channel, readUpgradeArea(offset + at, want, limits), 'READ BINARY (B1)'));
    if (data.length === 0 || data.length > want) {
      throw new GatewayError('CARD_RESPONSE_MALFORMED', { params: { detail: `READ BINARY (B1) of ${want} bytes answered ${data.length}` } });
    }
    out.set(data, at);
    at += data.length;
    read?.(at);
  }
  return out;
}
