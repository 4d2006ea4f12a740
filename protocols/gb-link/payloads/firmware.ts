import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { payloadError } from '../fields.js';
import { command, emptyPayload, layout, layoutWithTail, type PayloadCodec } from './codec.js';
import { bytes, text, u16, u32, version } from './schemas.js';

/**
 * 64 firmware update. The public firmware names the command only; the sub-commands below,
 * their layouts and the resume rule are this project's (SPEC.md §5.8). Every request starts
 * with the sub-command byte. Writes are addressed by offset, so re-sending one is harmless.
 */
export const FIRMWARE_SUB = {
  begin: 0x01, write: 0x02, query: 0x03, verify: 0x04, activate: 0x05, abort: 0x06, activateTrial: 0x07, confirm: 0x08, trial: 0x09,
  mediaReport: 0x0a,
} as const;

function withSub<T>(sub: number, inner: PayloadCodec<T>): PayloadCodec<T> {
  return {
    encode(value) {
      const body = inner.encode(value);
      const out = new Uint8Array(body.length + 1);
      out[0] = sub;
      out.set(body, 1);
      return out;
    },
    decode(bytes) {
      if (bytes[0] !== sub) throw payloadError(CMD.FIRMWARE, `sub-command ${bytes[0] ?? 'missing'} where ${sub} was expected`);
      return inner.decode(bytes.subarray(1));
    },
  };
}

export const firmwareBeginSchema = z.object({
  size: u32.min(1),
  sha256: bytes(32),
  version,
  model: text,
});
export type FirmwareBegin = z.infer<typeof firmwareBeginSchema>;

export const firmwareResumeSchema = z.object({
  /** First byte the register does not hold yet: 0 for a new transfer, more when the same image (size and SHA-256) was already partly received. */
  resumeOffset: u32,
  /** Largest data block one WRITE may carry (a WRITE may span several packets). */
  maxBlock: u16.min(1),
});
export type FirmwareResume = z.infer<typeof firmwareResumeSchema>;

/** 64/01 begin (or resume) a transfer: size 4, SHA-256 32, version 3, model 20 GBK → resume offset 4, max block 2. */
export const firmwareBegin = command(CMD.FIRMWARE, 'firmware begin', 'idempotent', withSub(FIRMWARE_SUB.begin, layout<FirmwareBegin>(
  CMD.FIRMWARE, firmwareBeginSchema,
  (w, v) => w.u32(v.size, 'size').raw(v.sha256, 32, 'SHA-256').version(v.version).gbk(v.model, 20, 'model'),
  (r) => ({ size: r.u32('size'), sha256: r.raw(32, 'SHA-256'), version: r.version(), model: r.gbk(20, 'model') }),
)), layout<FirmwareResume>(
  CMD.FIRMWARE, firmwareResumeSchema,
  (w, v) => w.u32(v.resumeOffset, 'resume offset').u16(v.maxBlock, 'max block'),
  (r) => ({ resumeOffset: r.u32('resume offset'), maxBlock: r.u16('max block') }),
));

export const firmwareBlockSchema = z.object({
  offset: u32,
  data: z.instanceof(Uint8Array).refine((b) => b.length >= 1, 'at least one byte'),
});
export type FirmwareBlock = z.infer<typeof firmwareBlockSchema>;

/**
 * 64/02 write a block: offset 4, data → the register's contiguous count afterwards, u32.
 * A block may start at or before that count (a re-sent block overwrites identical bytes); a
 * block that would leave a gap is refused with ER 70.
 */
export const firmwareWrite = command(CMD.FIRMWARE, 'firmware write', 'idempotent', layoutWithTail<FirmwareBlock>(
  CMD.FIRMWARE, firmwareBlockSchema,
  (w, v) => w.u32(v.offset, 'offset'),
  (v) => v.data,
  (r) => {
    const offset = r.u32('offset');
    const data = r.rest();
    if (data.length === 0) r.fail('empty firmware block');
    return { offset, data };
  },
  FIRMWARE_SUB.write,
), layout<{ received: number }>(
  CMD.FIRMWARE, z.object({ received: u32 }), (w, v) => w.u32(v.received, 'received'), (r) => ({ received: r.u32('received') }),
));

export const firmwareStates = ['idle', 'receiving', 'complete', 'verified'] as const;

export const firmwareTransferSchema = z.object({
  state: z.enum(firmwareStates),
  size: u32,
  received: u32,
  sha256: bytes(32),
  version,
});
export type FirmwareTransfer = z.infer<typeof firmwareTransferSchema>;

/** 64/03 query: → state 1, size 4, received 4, SHA-256 32 (announced at begin), version 3. Idle answers zeros. */
export const firmwareQuery = command(CMD.FIRMWARE, 'firmware query', 'read', withSub(FIRMWARE_SUB.query, emptyPayload(CMD.FIRMWARE)), layout<FirmwareTransfer>(
  CMD.FIRMWARE, firmwareTransferSchema,
  (w, v) => w.u8(firmwareStates.indexOf(v.state)).u32(v.size).u32(v.received).raw(v.sha256, 32, 'SHA-256').version(v.version),
  (r) => {
    const stateByte = r.u8('state');
    const state = firmwareStates[stateByte];
    if (state === undefined) r.fail(`transfer state ${stateByte} unknown`);
    return { state, size: r.u32('size'), received: r.u32('received'), sha256: r.raw(32, 'SHA-256'), version: r.version() };
  },
));

/** 64/04 verify: the register hashes what it received → its SHA-256 (ER 71 when it differs from begin's). */
export const firmwareVerify = command(CMD.FIRMWARE, 'firmware verify', 'idempotent', withSub(FIRMWARE_SUB.verify, emptyPayload(CMD.FIRMWARE)), layout<{ sha256: Uint8Array }>(
  CMD.FIRMWARE, z.object({ sha256: bytes(32) }), (w, v) => w.raw(v.sha256, 32, 'SHA-256'), (r) => ({ sha256: r.raw(32, 'SHA-256') }),
));

/** 64/05 activate: the verified image becomes the boot image; the OK is sent before the register restarts. */
export const firmwareActivate = command(CMD.FIRMWARE, 'firmware activate', 'write', withSub(FIRMWARE_SUB.activate, emptyPayload(CMD.FIRMWARE)), emptyPayload(CMD.FIRMWARE));

/** 64/06 abort: forget the partial image. */
export const firmwareAbort = command(CMD.FIRMWARE, 'firmware abort', 'idempotent', withSub(FIRMWARE_SUB.abort, emptyPayload(CMD.FIRMWARE)), emptyPayload(CMD.FIRMWARE));

/** 64/07 activate on trial (SPEC.md §5.8.1): deadline u16 seconds → empty; the register restarts into the new image on trial. */
export const firmwareActivateTrial = command(CMD.FIRMWARE, 'firmware activateTrial', 'write', withSub(FIRMWARE_SUB.activateTrial, layout<{ deadlineSeconds: number }>(
  CMD.FIRMWARE, z.object({ deadlineSeconds: u16.min(1) }),
  (w, v) => w.u16(v.deadlineSeconds, 'deadline'),
  (r) => ({ deadlineSeconds: r.u16('deadline') }),
)), emptyPayload(CMD.FIRMWARE));

/** 64/08 confirm: the image on trial becomes permanent. Confirming an image already permanent answers OK again. */
export const firmwareConfirm = command(CMD.FIRMWARE, 'firmware confirm', 'idempotent', withSub(FIRMWARE_SUB.confirm, emptyPayload(CMD.FIRMWARE)), emptyPayload(CMD.FIRMWARE));

export const trialStates = ['none', 'on-trial', 'confirmed', 'reverted'] as const;
export const trialReasons = ['none', 'not-confirmed', 'did-not-boot'] as const;

export const firmwareTrialSchema = z.object({
  state: z.enum(trialStates),
  reason: z.enum(trialReasons),
  /** Seconds left before a trial image is reverted; 0 unless on trial. */
  secondsLeft: u16,
  /** The image that runs now: version and the SHA-256 the register computed over it. */
  runningVersion: version,
  runningSha256: bytes(32),
  /** The image the trial replaced (on trial, confirmed) or went back to (reverted); 0.0.0 with state none. */
  previousVersion: version,
  /** The version of the image tried (on trial, confirmed, reverted); 0.0.0 with state none. */
  trialVersion: version,
});
export type FirmwareTrial = z.infer<typeof firmwareTrialSchema>;

/** 64/09 trial status: → state 1, reason 1, seconds left 2, running version 3, running SHA-256 32, previous version 3, trial version 3. */
export const firmwareTrial = command(CMD.FIRMWARE, 'firmware trial', 'read', withSub(FIRMWARE_SUB.trial, emptyPayload(CMD.FIRMWARE)), layout<FirmwareTrial>(
  CMD.FIRMWARE, firmwareTrialSchema,
  (w, v) => w.u8(trialStates.indexOf(v.state)).u8(trialReasons.indexOf(v.reason)).u16(v.secondsLeft, 'seconds left')
    .version(v.runningVersion).raw(v.runningSha256, 32, 'SHA-256').version(v.previousVersion).version(v.trialVersion),
  (r) => {
    const stateByte = r.u8('trial state');
    const state = trialStates[stateByte];
    if (state === undefined) r.fail(`trial state ${stateByte} unknown`);
    const reasonByte = r.u8('trial reason');
    const reason = trialReasons[reasonByte];
    if (reason === undefined) r.fail(`trial reason ${reasonByte} unknown`);
    return {
      state, reason, secondsLeft: r.u16('seconds left'), runningVersion: r.version(), runningSha256: r.raw(32, 'SHA-256'),
      previousVersion: r.version(), trialVersion: r.version(),
    };
  },
));

export const mediaInstallStates = ['none', 'installed', 'refused'] as const;
export const mediaSources = ['none', 'usb-stick', 'ic-card'] as const;
export const mediaRefusals = ['none', 'not-found', 'damaged', 'signature', 'image', 'model', 'path'] as const;

export const mediaInstallReportSchema = z.object({
  state: z.enum(mediaInstallStates),
  source: z.enum(mediaSources),
  reason: z.enum(mediaRefusals),
  /** The version of the package the register read (0.0.0 when it could not read a manifest, and with state none). */
  version,
});
export type MediaInstallReport = z.infer<typeof mediaInstallReportSchema>;

/** 64/0A media install report (SPEC.md §5.8.2): → state 1, source 1, reason 1, version 3: the register's last install from a stick or upgrade cards. */
export const firmwareMediaReport = command(CMD.FIRMWARE, 'firmware mediaReport', 'read', withSub(FIRMWARE_SUB.mediaReport, emptyPayload(CMD.FIRMWARE)), layout<MediaInstallReport>(
  CMD.FIRMWARE, mediaInstallReportSchema,
  (w, v) => w.u8(mediaInstallStates.indexOf(v.state)).u8(mediaSources.indexOf(v.source)).u8(mediaRefusals.indexOf(v.reason)).version(v.version),
  (r) => {
    const stateByte = r.u8('media install state');
    const state = mediaInstallStates[stateByte];
    if (state === undefined) r.fail(`media install state ${stateByte} unknown`);
    const sourceByte = r.u8('media source');
    const source = mediaSources[sourceByte];
    if (source === undefined) r.fail(`media source ${sourceByte} unknown`);
    const reasonByte = r.u8('media refusal');
    const reason = mediaRefusals[reasonByte];
    if (reason === undefined) r.fail(`media refusal ${reasonByte} unknown`);
    return { state, source, reason, version: r.version() };
  },
));

/** The sub-command byte of a 64 request, for the register's dispatcher. */
export function firmwareSubCommand(params: Uint8Array): number | undefined {
  return params[0];
}
