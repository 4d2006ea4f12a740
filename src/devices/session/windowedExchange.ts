import { GatewayError } from '../../../contracts/errors/index.js';
import {
  CMD, ER, MAX_COMMAND_PARAMS, capabilities, commandPackets, encodeFrame, encodeNextFrame, type OkFrame,
} from '../../../protocols/gb-link/index.js';
import {
  COUNTED_WINDOW_PROTOCOL, ONE_PACKET_WINDOWED, WINDOWED_TRANSFER, WindowReceiver, WindowSender, countedWindowedParams,
  windowedParams,
} from '../../../protocols/gb-link/window.js';
import { awaitReply, exchange, type AnswerProgress, type ExchangeOutcome, type ExchangeTiming } from './exchange.js';
import type { FrameChannel } from './FrameChannel.js';


/**
 * The window for this command on this channel, 0 for stop-and-wait: only when the register listed
 * 74, and only for a record-list read or a command whose PARAMS need more than one packet (§10.1).
 */
export function windowFor(channel: FrameChannel, cmd: number, params: Uint8Array): number {
  const window = Math.min(channel.transferWindow, channel.windowLimit);
  if (window < 2 || cmd === WINDOWED_TRANSFER) return 0;
  return ONE_PACKET_WINDOWED.has(cmd) || params.length + 2 > MAX_COMMAND_PARAMS ? window : 0;
}

/** After a 70 answer: the channel goes windowed when the register lists 74 (SPEC.md §10.1). */
export function learnWindow(channel: FrameChannel, cmd: number, data: Uint8Array): void {
  if (cmd !== CMD.CAPABILITIES) return;
  try {
    const offered = capabilities.response.decode(data);
    channel.transferWindow = offered.commands.includes(WINDOWED_TRANSFER) ? channel.windowLimit : 0;
    channel.countedCommands = channel.transferWindow > 1 && offered.protocolVersion >= COUNTED_WINDOW_PROTOCOL;
  } catch {
    channel.transferWindow = 0;
    channel.countedCommands = false;
  }
}

interface Progress { finalSent: boolean; answerStarted: boolean }

/**
 * One exchange wrapped in 74 (SPEC.md §10): the command's packets go out under a WindowSender
 * (packet 1 alone, then up to `window` unacknowledged, the last only when all before it are
 * acknowledged); the answer comes in through a WindowReceiver with cumulative NPs. The final
 * packet is never re-sent: a lost reply to it is the caller's business, as in stop-and-wait.
 */
export async function exchangeWindowed(
  channel: FrameChannel, cmd: number, params: Uint8Array, timing: ExchangeTiming, window: number,
  progress: Progress, onAnswer?: AnswerProgress,
): Promise<ExchangeOutcome> {
  if (channel.windowedPartial) {
    // A windowed command given up before its answer may still sit half-assembled in the register,
    // which would take this message's packets for the rest of it. Any other command drops it (§10.3).
    await exchange(channel, CMD.CONNECT, new Uint8Array(0), timing);
    channel.clear();
  }
  // A register of protocol version 2 takes every 74 counted (SPEC.md §10.2): a multi-packet command's window opens
  // at once and its last packet need not wait for every NP before it; a one-packet request says `packets` 1, the
  // only way such a register executes a lone PKT 0 (the last packet of a message whose start it lost it drops).
  const counted = channel.countedCommands;
  const wrapped = counted ? countedWindowedParams(window, cmd, params) : windowedParams(window, cmd, params);
  // Each frame is encoded as it leaves (and again if re-sent): packet 1 goes without waiting for the whole
  // message's frames and CRCs, which would otherwise idle the line between two firmware blocks.
  const packets = commandPackets(WINDOWED_TRANSFER, wrapped);
  channel.windowedPartial = packets.length > 1;
  const sender = new WindowSender(packets.length, window, counted ? { counted } : { firstAlone: true });
  let highestSent = -1;
  // The frames the window allows go in one write: one drain for all of them, so a UART is never left idle
  // between two frames while the host waits for the first to leave (and no promises per 255 bytes).
  const send = async (indices: readonly number[]) => {
    if (indices.length === 0) return;
    const frames = indices.map((index) => encodeFrame(packets[index]!));
    for (const [i, index] of indices.entries()) {
      if (index === packets.length - 1) progress.finalSent = true;
      if (index <= highestSent) channel.resentBytes += frames[i]!.length;
      highestSent = Math.max(highestSent, index);
    }
    await channel.send(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
  };
  const mark = channel.discardedBytes;
  await send(sender.start());
  let silences = 0;
  let first: OkFrame | undefined;
  while (first === undefined) {
    const reply = await awaitReply(channel, timing, cmd);
    if (reply === 'timeout') {
      const corrupt = channel.discardedBytes > mark;
      if (sender.finalSent && sender.allButFinalAcknowledged) {
        return { kind: 'lost', finalSent: true, answerStarted: false, corrupt, detail: corrupt ? 'corrupt reply' : 'no reply' };
      }
      if (silences++ >= timing.packetRetries) {
        // A counted command's last packet may be out already: then the outcome is open, as after any final packet.
        return { kind: 'lost', finalSent: sender.finalSent, answerStarted: false, corrupt, detail: `packet ${sender.acknowledged + 1} not acknowledged` };
      }
      await send(sender.onTimeout());
      continue;
    }
    silences = 0;
    if (reply.kind === 'error' && reply.code === ER.CRC_ERROR && !sender.allButFinalAcknowledged) {
      // A register that reports a packet it dropped: the same as a gap (§10.4).
      await send(sender.onTimeout());
      continue;
    }
    if (reply.kind === 'error') {
      channel.windowedPartial = false;
      return { kind: 'error', code: reply.code, finalSent: sender.finalSent };
    }
    // Once every packet before the last is acknowledged, NPs still coming (for packets re-sent) are harmless: ignored.
    // A counted command's last packet may be out before that: NPs then ask for the packets before it (never for it).
    if (reply.kind === 'next' && !sender.allButFinalAcknowledged) await send(sender.onAck(reply.pkt));
    if (reply.kind === 'ok') {
      if (!sender.finalSent) {
        return { kind: 'lost', finalSent: false, answerStarted: false, corrupt: true, detail: 'an answer before the last packet was sent' };
      }
      first = reply;
    }
  }
  channel.windowedPartial = false;
  progress.answerStarted = true;
  return collectWindowed(channel, cmd, first, timing, window, onAnswer);
}

async function collectWindowed(
  channel: FrameChannel, cmd: number, first: OkFrame, timing: ExchangeTiming, window: number, onAnswer?: AnswerProgress,
): Promise<ExchangeOutcome> {
  const receiver = new WindowReceiver<Uint8Array>(window);
  const lost = (detail: string, corrupt: boolean): ExchangeOutcome => ({ kind: 'lost', finalSent: true, answerStarted: true, corrupt, detail });
  const parts: Uint8Array[] = [];
  let size = 0;
  let silences = 0;
  let owed: number | undefined;
  let unacknowledged = 0;
  const ackEvery = Math.max(1, Math.floor(window / 4));
  let frame: OkFrame | undefined = first;
  for (;;) {
    if (frame !== undefined) {
      let step;
      try {
        step = receiver.accept(frame.pkt, frame.data);
      } catch (error) {
        return lost(error instanceof GatewayError ? error.message : String(error), true);
      }
      for (const part of step.taken) {
        parts.push(part);
        size += part.length;
      }
      if (size > timing.maxMessage) return lost(`answer longer than ${timing.maxMessage} bytes`, true);
      if (step.done) return { kind: 'ok', data: concat(parts, size) };
      if (step.taken.length > 0) {
        silences = 0;
        onAnswer?.(size, parts[0]!);
      }
      if (step.ack !== undefined && step.taken.length === 0) {
        // A gap: ask at once for the missing packet.
        const ask = encodeNextFrame(step.ack);
        channel.resentBytes += ask.length;
        channel.post(ask);
      } else if (step.ack !== undefined) {
        owed = step.ack;
        unacknowledged += step.taken.length;
      }
    }
    // Cumulative NPs may be coalesced (§10.2): while more packets are already waiting to be read,
    // one NP for several; never fewer than one per quarter window, and none owed when idle.
    if (owed !== undefined && (channel.queued === 0 || unacknowledged >= ackEvery)) {
      channel.post(encodeNextFrame(owed));
      owed = undefined;
      unacknowledged = 0;
    }
    const reply = await awaitReply(channel, timing, cmd);
    frame = undefined;
    if (reply === 'timeout') {
      if (silences++ >= timing.packetRetries) return lost(`answer packet after ${receiver.taken} lost`, false);
      // The command surely executed (part of its answer is here), so asking again is safe, even
      // with NP FF for a first packet that never came (§10.2).
      const ask = encodeNextFrame(receiver.ack);
      channel.resentBytes += ask.length;
      await channel.send(ask);
      continue;
    }
    if (reply.kind === 'ok') frame = reply;
    // ER 1F here is the register reporting an NP it dropped: the next NP or a timeout covers it.
    else if (reply.kind === 'error' && reply.code !== ER.CRC_ERROR) return { kind: 'error', code: reply.code, finalSent: true };
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
