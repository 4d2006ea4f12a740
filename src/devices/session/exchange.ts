import { GatewayError } from '../../../contracts/errors/index.js';
import {
  AnswerCollector, commandPackets, describeFrame, encodeFrame, encodeNextFrame, hexByte, type Frame, type OkFrame,
} from '../../../protocols/gb-link/index.js';
import type { FrameChannel } from './FrameChannel.js';
import { exchangeWindowed, learnWindow, windowFor } from './windowedExchange.js';

export interface ExchangeTiming {
  /** How long to wait for each reply frame. Each WT starts the wait again. */
  replyTimeoutMs: number;
  /** How long WT may keep the host waiting in all, per frame. */
  busyLimitMs: number;
  /** Re-sends of one non-final packet, and NP re-requests of one answer packet. */
  packetRetries: number;
  /** Largest answer accepted, in bytes. */
  maxMessage: number;
}

/** Called as answer packets arrive: bytes of the answer so far, and its first packet's data. */
export type AnswerProgress = (receivedBytes: number, head: Uint8Array) => void;

/**
 * How one exchange ended. `lost` never says whether the register acted: `finalSent` tells
 * whether it could have (only the final packet makes a register execute, SPEC.md §3.1).
 */
export type ExchangeOutcome =
  | { readonly kind: 'ok'; readonly data: Uint8Array }
  | { readonly kind: 'error'; readonly code: number; readonly finalSent: boolean }
  | {
    readonly kind: 'lost';
    readonly finalSent: boolean;
    /** Part of the answer had arrived: the command did execute. */
    readonly answerStarted: boolean;
    /** Bytes came back but made no valid frame (rather than silence). */
    readonly corrupt: boolean;
    readonly detail: string;
    /** The link closed, or WT outlasted the busy limit, after the final packet: this error, not a lost frame. */
    readonly interrupted?: GatewayError;
  };

export type Reply = Frame | 'timeout';

export async function awaitReply(channel: FrameChannel, timing: ExchangeTiming, command: number): Promise<Reply> {
  let busySince: number | undefined;
  for (;;) {
    const frame = await channel.next(timing.replyTimeoutMs);
    if (frame === undefined) return 'timeout';
    if (frame.kind !== 'busy') return frame;
    busySince ??= Date.now();
    if (Date.now() - busySince > timing.busyLimitMs) {
      throw new GatewayError('LINK_DEVICE_BUSY', { params: { ms: timing.busyLimitMs, command: hexByte(command) } });
    }
  }
}

/**
 * One GB-link exchange: the command's packets out (re-sending a non-final packet whose NP was
 * lost), then the answer's packets in (asking again with the same NP for a lost one). Never
 * re-sends the final packet: whether to do that is the caller's policy. A bulk transfer goes
 * windowed (74, SPEC.md §10) once the register's 70 answer listed it on this channel.
 */
export async function exchange(
  channel: FrameChannel, cmd: number, params: Uint8Array, timing: ExchangeTiming, onAnswer?: AnswerProgress,
): Promise<ExchangeOutcome> {
  const progress = { finalSent: false, answerStarted: false };
  try {
    const window = windowFor(channel, cmd, params);
    // Any command other than 74 makes the register drop a windowed command it was assembling.
    if (window < 2) channel.windowedPartial = false;
    const outcome = window > 1
      ? await exchangeWindowed(channel, cmd, params, timing, window, progress, onAnswer)
      : await exchangePackets(channel, cmd, params, timing, progress, onAnswer);
    if (outcome.kind === 'ok') learnWindow(channel, cmd, outcome.data);
    return outcome;
  } catch (error) {
    // After the final packet a closed link or an endless WT leaves the outcome open: say so, so
    // that a state-changing command is reported in doubt rather than as merely failed.
    const interrupted = error instanceof GatewayError && (error.code === 'LINK_CLOSED' || error.code === 'LINK_DEVICE_BUSY');
    if (!interrupted || !progress.finalSent) throw error;
    return { kind: 'lost', finalSent: true, answerStarted: progress.answerStarted, corrupt: false, detail: error.message, interrupted: error };
  }
}

async function exchangePackets(
  channel: FrameChannel, cmd: number, params: Uint8Array, timing: ExchangeTiming,
  progress: { finalSent: boolean; answerStarted: boolean }, onAnswer?: AnswerProgress,
): Promise<ExchangeOutcome> {
  const packets = commandPackets(cmd, params);
  let first: OkFrame | undefined;
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i]!;
    const final = i === packets.length - 1;
    for (let attempt = 0; ; attempt++) {
      const mark = channel.discardedBytes;
      if (final) progress.finalSent = true;
      const bytes = encodeFrame(packet);
      if (attempt > 0) channel.resentBytes += bytes.length;
      await channel.send(bytes);
      const reply = await awaitReply(channel, timing, cmd);
      if (reply !== 'timeout' && reply.kind === 'error') return { kind: 'error', code: reply.code, finalSent: final };
      if (final) {
        if (reply !== 'timeout' && reply.kind === 'ok') { first = reply; progress.answerStarted = true; break; }
        const corrupt = channel.discardedBytes > mark;
        const detail = reply === 'timeout' ? (corrupt ? 'corrupt reply' : 'no reply') : `unexpected ${describeFrame(reply)}`;
        return { kind: 'lost', finalSent: true, answerStarted: false, corrupt: corrupt || reply !== 'timeout', detail };
      }
      if (reply !== 'timeout' && reply.kind === 'next' && (reply.pkt === packet.pkt || reply.pkt === 0)) break;
      if (attempt >= timing.packetRetries) {
        return { kind: 'lost', finalSent: false, answerStarted: false, corrupt: channel.discardedBytes > mark, detail: `packet ${packet.pkt} not acknowledged` };
      }
    }
  }
  return collect(channel, cmd, first!, timing, onAnswer);
}

async function collect(channel: FrameChannel, cmd: number, first: OkFrame, timing: ExchangeTiming, onAnswer?: AnswerProgress): Promise<ExchangeOutcome> {
  const collector = new AnswerCollector(cmd, timing.maxMessage);
  const lost = (detail: string, corrupt: boolean): ExchangeOutcome => ({ kind: 'lost', finalSent: true, answerStarted: true, corrupt, detail });
  let head: Uint8Array | undefined;
  let frame: OkFrame = first;
  for (;;) {
    let step;
    try {
      step = collector.accept(frame);
    } catch (error) {
      return lost(error instanceof GatewayError ? error.message : String(error), true);
    }
    head ??= frame.data;
    if (step === 'done') return { kind: 'ok', data: collector.data() };
    onAnswer?.(collector.received, head);
    let next: OkFrame | undefined;
    for (let attempt = 0; next === undefined; attempt++) {
      if (attempt > timing.packetRetries) return lost(`answer packet after ${collector.ack} lost`, false);
      const ask = encodeNextFrame(collector.ack);
      if (attempt > 0) channel.resentBytes += ask.length;
      await channel.send(ask);
      const reply = await awaitReply(channel, timing, cmd);
      if (reply === 'timeout') continue;
      if (reply.kind === 'ok') next = reply;
      else if (reply.kind === 'error') return { kind: 'error', code: reply.code, finalSent: true };
    }
    frame = next;
  }
}
