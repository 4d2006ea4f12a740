import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import { isLinkFailure } from '../common/linkFailure.js';

export interface ImageTarget {
  readonly image: Uint8Array;
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

export interface WriteOutcome {
  /** Where the register said to start (64/01's resume offset) at the first begin. */
  readonly startedAt: number;
  /** Image bytes sent in 64/02 blocks, counting any sent again. */
  readonly bytesSent: number;
  /** Each time the link went away and the write went on from the offset the register reported. */
  readonly resumes: readonly { readonly at: number; readonly resent: number }[];
}

/** Consecutive link failures without a byte of progress before the write gives up. */
const MAX_FAILURES_WITHOUT_PROGRESS = 3;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * GB link 64/01–02 (SPEC.md §5.8): begins (or resumes) the transfer, then sends the image block by block from the
 * offset the register reports. A block whose answer is lost is never counted: after a cut the writer asks the
 * register again (64/01 with the same size and SHA-256 answers its contiguous count) and goes on from there, so
 * at most the block in flight is sent again.
 */
export async function writeImage(device: BorrowedDevice, target: ImageTarget, report: WriteReport, signal: AbortSignal): Promise<WriteOutcome> {
  const begin = () => device.session.firmwareBegin({
    size: target.image.length, sha256: Uint8Array.from(Buffer.from(target.sha256, 'hex')), version: target.version, model: target.model,
  });
  const first = await begin();
  let { resumeOffset: offset, maxBlock } = first;
  let bytesSent = 0;
  let failures = 0;
  const resumes: { at: number; resent: number }[] = [];
  report.written(offset);
  while (offset < target.image.length) {
    signal.throwIfAborted();
    const data = Uint8Array.from(target.image.subarray(offset, Math.min(target.image.length, offset + maxBlock)));
    try {
      bytesSent += data.length;
      const { received } = await device.session.firmwareWrite({ offset, data });
      if (received < offset + data.length) {
        throw new GatewayError('LINK_FIRMWARE_OFFSET_REFUSED', { params: { offset, received } });
      }
      offset = received;
      failures = 0;
      report.written(offset);
    } catch (error) {
      if (!isGatewayError(error) || !isLinkFailure(error) || ++failures > MAX_FAILURES_WITHOUT_PROGRESS) throw error;
      await report.away();
      const again = await begin();
      resumes.push({ at: again.resumeOffset, resent: Math.max(0, offset + data.length - again.resumeOffset) });
      offset = again.resumeOffset;
      maxBlock = again.maxBlock;
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
  return { startedAt: first.resumeOffset, bytesSent, resumes };
}
