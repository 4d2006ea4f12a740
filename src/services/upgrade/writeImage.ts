import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import { isLinkFailure } from '../common/linkFailure.js';
import { BlockDeflater } from './blockDeflater.js';
import { imageReader, type FirmwareImage } from './FirmwareImage.js';
import type { TransferOutcome } from './UpgradeTransfer.js';

export interface ImageTarget {
  /** Read block by block (a kept package's file, or bytes): never copied whole. */
  readonly image: FirmwareImage;
  readonly sha256: string;
  readonly version: string;
  readonly model: string;
}

export interface WriteReport {
  /** Called after each block the register took (its contiguous count), before the next one leaves. */
  written(received: number): void;
  /** The link went away: the writer waits for the register (same machine, application or bootloader). */
  away(): Promise<void>;
}

export interface WriteOptions {
  /** Deflate blocks (GB link 75) when the register lists 75 in 70; default true. */
  readonly compress?: boolean;
}

export interface WriteOutcome extends TransferOutcome {
  readonly detail: {
    /** Block bytes put on the line (deflated or raw), without framing: what compression saved is bytesSent − this. */
    readonly blockBytes: number;
    readonly compressedBlocks: number;
    readonly rawBlocks: number;
    /** The register lists 75 and compression was asked for (at the last begin). */
    readonly compression: boolean;
  };
}

/** Line time one block may take: progress moves at least this often, and per-block overhead stays small. */
const BLOCK_SECONDS = 1;
/** Smallest block worth a command, and the multiple blocks are rounded to. */
const BLOCK_UNIT = 256;
/** First block when the line rate is unknown (USB, HID, a memory pair): then sized from what it took. */
const UNKNOWN_RATE_FIRST_BLOCK = 4096;

/**
 * The next block's size: what the link moves in BLOCK_SECONDS (the line rate when known, else what the last
 * block took), within the register's max block, in whole BLOCK_UNITs. Big blocks at fast rates keep the turnaround
 * and flash write of each block a small share; small ones at slow rates keep progress from going silent.
 */
export function nextBlockSize(maxBlock: number, bytesPerSecond: number | undefined): number {
  const wanted = bytesPerSecond === undefined ? UNKNOWN_RATE_FIRST_BLOCK : Math.floor((bytesPerSecond * BLOCK_SECONDS) / BLOCK_UNIT) * BLOCK_UNIT;
  return Math.max(Math.min(BLOCK_UNIT, maxBlock), Math.min(maxBlock, wanted));
}

/** Consecutive link failures without a byte of progress before the write gives up. */
const MAX_FAILURES_WITHOUT_PROGRESS = 3;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * GB link 64/01–02 and 75 (SPEC.md §5.8, §5.9): begins (or resumes) the transfer, then sends the image block by
 * block from the offset the register reports (blocks of about a second of line, nextBlockSize); a block whose
 * raw-deflated form is shorter goes as 75 when 70 lists it. A block whose answer is lost is never counted: after a cut the writer asks the register again (64/01
 * with the same size and SHA-256 answers its contiguous count) and goes on from there, so at most the block in
 * flight is sent again. Blocks longer than a packet go windowed (74) when 70 lists it (the session decides).
 */
export async function writeImage(device: BorrowedDevice, target: ImageTarget, report: WriteReport, signal: AbortSignal, options: WriteOptions = {}): Promise<WriteOutcome> {
  const image = imageReader(target.image);
  const begin = async () => {
    const resume = await device.session.firmwareBegin({
      size: image.length, sha256: Uint8Array.from(Buffer.from(target.sha256, 'hex')), version: target.version, model: target.model,
    });
    // 70 is asked once per connection: after a cut the register (maybe its bootloader now) may offer other extensions.
    const compress = options.compress !== false && (await device.session.extensions()).offers(CMD.FIRMWARE_WRITE_COMPRESSED);
    return { ...resume, compress };
  };
  const first = await begin();
  let { resumeOffset: offset, maxBlock, compress } = first;
  const lineRate = () => {
    const baud = device.session.transport.lineRate?.baudRate;
    return baud === undefined ? undefined : baud / 10;
  };
  let blockSize = nextBlockSize(maxBlock, lineRate());
  const deflater = new BlockDeflater(image);
  let bytesSent = 0;
  let blockBytes = 0;
  let compressedBlocks = 0;
  let rawBlocks = 0;
  let failures = 0;
  const resumes: { at: number; resent: number }[] = [];
  report.written(offset);
  while (offset < image.length) {
    signal.throwIfAborted();
    const end = Math.min(image.length, offset + blockSize);
    const blockStarted = performance.now();
    const block = compress ? await deflater.take(offset, end - offset) : undefined;
    const raw = block?.raw ?? await image.read(offset, end - offset);
    // The kept file cut short since it was verified: the image is not what the manifest says.
    if (raw.length !== end - offset) throw new GatewayError('FWPKG_SIZE_MISMATCH', { params: { actual: offset + raw.length, expected: image.length } });
    const deflated = block?.deflated;
    try {
      bytesSent += raw.length;
      let received: number;
      if (deflated !== undefined && deflated.length < raw.length) {
        blockBytes += deflated.length;
        try {
          ({ received } = await device.session.firmwareWriteCompressed({ offset, size: raw.length, deflated: deflated as Uint8Array<ArrayBuffer> }));
          compressedBlocks++;
        } catch (error) {
          if (!isGatewayError(error, 'LINK_FIRMWARE_INFLATE_FAILED')) throw error;
          // The register could not inflate it (nothing was written): this block and the rest go raw.
          compress = false;
          continue;
        }
      } else {
        blockBytes += raw.length;
        // The codec copies the block into the message's bytes: the block read is enough.
        ({ received } = await device.session.firmwareWrite({ offset, data: raw as Uint8Array<ArrayBuffer> }));
        rawBlocks++;
      }
      if (received < end) {
        throw new GatewayError('LINK_FIRMWARE_OFFSET_REFUSED', { params: { offset, received } });
      }
      // Image bytes per second as this block went (compressed blocks carry more than the line rate).
      const seconds = (performance.now() - blockStarted) / 1000;
      blockSize = nextBlockSize(maxBlock, Math.max(lineRate() ?? 0, seconds > 0 ? raw.length / seconds : maxBlock));
      offset = received;
      failures = 0;
      report.written(offset);
    } catch (error) {
      if (!isGatewayError(error) || !isLinkFailure(error) || ++failures > MAX_FAILURES_WITHOUT_PROGRESS) throw error;
      await report.away();
      const again = await begin();
      resumes.push({ at: again.resumeOffset, resent: Math.max(0, end - again.resumeOffset) });
      ({ resumeOffset: offset, maxBlock, compress } = again);
      blockSize = nextBlockSize(maxBlock, lineRate());
      report.written(offset);
    }
  }
  const digest = await device.session.firmwareVerify().catch((error: unknown) => {
    if (isGatewayError(error, 'LINK_FIRMWARE_DIGEST_MISMATCH')) {
      throw new GatewayError('UPGRADE_IMAGE_DIGEST_MISMATCH', { params: { where: 'verify' }, cause: error });
    }
    throw error;
  });
  if (hex(digest.sha256) !== target.sha256) throw new GatewayError('UPGRADE_IMAGE_DIGEST_MISMATCH', { params: { where: 'verify' } });
  return { startedAt: first.resumeOffset, bytesSent, resumes, detail: { blockBytes, compressedBlocks, rawBlocks, compression: compress } };
}
