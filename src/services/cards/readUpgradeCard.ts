import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { SW_OK, statusWordHex, transceive, type CommandApdu } from '../../../protocols/apdu/index.js';
import { applicationNames } from '../../../protocols/gb18240-card/applications.js';
import { statedFileSize } from '../../../protocols/gb18240-card/fci.js';
import { selectByFileId, selectByName } from '../../../protocols/gb18240-card/isoCommands.js';
import { decodeUpgradeAreaAnswer, readChunkSize, readUpgradeArea, SHORT_APDU_LIMITS } from '../../../protocols/gb18240-card/upgradeCardCommands.js';
import { readUpgradeCardHeader, sha256Hex, UPGRADE_AREA_FID, UPGRADE_CARD_HEADER_SIZE } from '../../../protocols/gb18240-card/upgradeCardLayout.js';
import type { UpgradeCardReport } from './CardReport.js';

async function ok(channel: CardChannel, command: CommandApdu, what: string): Promise<Uint8Array> {
  const answer = await transceive(channel, command);
  if (answer.sw !== SW_OK) throw new GatewayError('CARD_UNKNOWN_STATUS', { params: { command: what, sw: statusWordHex(answer.sw) } });
  return answer.data;
}

async function readArea(channel: CardChannel, offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let at = 0; at < length;) {
    const want = Math.min(readChunkSize(SHORT_APDU_LIMITS), length - at);
    const data = decodeUpgradeAreaAnswer(await ok(channel, readUpgradeArea(offset + at, want, SHORT_APDU_LIMITS), 'READ BINARY (B1)'));
    if (data.length === 0 || data.length > want) {
      throw new GatewayError('CARD_RESPONSE_MALFORMED', { params: { detail: `READ BINARY (B1) of ${want} bytes answered ${data.length}` } });
    }
    out.set(data, at);
    at += data.length;
  }
  return out;
}

/**
 * What an upgrade card (gb18240-card SPEC.md §8) holds, for people: its EF01 size, its header (part k of n, the
 * package, version, model, register) and whether its data matches the header's digest, read back with short APDUs
 * (every reader and register slot carries them). Read-only; an upgrade card has no PIN.
 */
export async function readUpgradeCard(channel: CardChannel): Promise<UpgradeCardReport> {
  await ok(channel, selectByName(applicationNames.upgrade), 'SELECT UPGRADE01');
  const fcp = await ok(channel, selectByFileId(UPGRADE_AREA_FID, { askControlParameters: true }), 'SELECT EF01');
  const capacity = statedFileSize(fcp)?.bytes;
  if (capacity === undefined || capacity < UPGRADE_CARD_HEADER_SIZE) {
    throw new GatewayError('CARD_RESPONSE_MALFORMED', { params: { detail: 'EF01 of UPGRADE01 states no usable size' } });
  }
  const reading = readUpgradeCardHeader(await readArea(channel, 0, UPGRADE_CARD_HEADER_SIZE));
  if (!reading.ok) {
    return { capacity, state: reading.reason === 'blank' ? 'blank' : reading.reason === 'not-ours' ? 'foreign' : 'damaged' };
  }
  const h = reading.header;
  const fits = UPGRADE_CARD_HEADER_SIZE + h.dataLength <= capacity;
  const data = fits ? await readArea(channel, UPGRADE_CARD_HEADER_SIZE, h.dataLength) : undefined;
  return {
    capacity, state: 'written',
    header: {
      part: h.part, parts: h.parts, packageId: h.packageId, version: h.version, model: h.model, machineNumber: h.machineNumber,
      packageLength: h.packageLength, dataOffset: h.dataOffset, dataLength: h.dataLength, trialSeconds: h.trialSeconds,
    },
    dataVerified: data !== undefined && sha256Hex(data) === h.dataSha256,
  };
}
