// Decoder fuzz targets for GB link 74's counted form (protocol version 2, SPEC.md §10.1-§10.2): the PARAMS
// reader, the receiver holding packets by a packet count, and the register's assembly of counted frames
// (the simulator's WindowedLink). Each target checks a property besides "a value or a GatewayError": a broken
// property throws a plain Error, which the fuzzer counts as a crash with its input.
import { WindowedLink, partialMessageTimeoutMs } from '../../fixtures/simulator/WindowedLink.js';
import { FrameDecoder, commandPackets, encodeFrame } from '../../protocols/gb-link/index.js';
import {
  COUNTED_FLAG, MAX_WINDOW, WINDOWED_TRANSFER, WindowReceiver, countedWindowedParams, nonFinalNumber, parseWindowedParams,
} from '../../protocols/gb-link/window.js';
import type { FuzzTarget } from './decoderFuzz.js';

const broken = (what: string) => new Error(`property broken: ${what}`);

/** parseWindowedParams({ counted }) over any bytes: undefined, or a window 1…32 and, from a counted header, its count ≥ 1. */
function countedParamsTarget(): FuzzTarget {
  const seeds = [countedWindowedParams(32, 0x64, new Uint8Array(600)), countedWindowedParams(3, 0x75, Uint8Array.of(1, 2, 3)), Uint8Array.of(0x80, 0, 0, 0x64)];
  return {
    name: 'gb-link.windowedParams.counted', seeds, maxLength: 300,
    decode(bytes) {
      const request = parseWindowedParams(bytes, { counted: true });
      if (request === undefined) return undefined;
      if (request.window < 1 || request.window > MAX_WINDOW) throw broken(`window ${request.window}`);
      if ((bytes[0]! & COUNTED_FLAG) !== 0) {
        const stated = (bytes[1]! << 8) | bytes[2]!;
        if (request.packets !== stated || stated < 1) throw broken(`packets ${request.packets} from a header saying ${stated}`);
        if (request.cmd !== bytes[3] || request.params.length !== bytes.length - 4) throw broken('counted header split at the wrong place');
      } else if (request.packets !== undefined || request.cmd !== bytes[1]) {
        throw broken('a plain header read as counted');
      }
      return request;
    },
  };
}

/**
 * WindowReceiver with a packet count, fed `window u8 | packets u16 | PKT…`: whatever the order, loss or
 * repetition, what it takes is the message's packets in order (index k numbered nonFinalNumber(k), the last
 * one 0), never more than the count, done exactly when all are taken, and its NP names what it took.
 */
function countedReceiverTarget(): FuzzTarget {
  const numberAt = (k: number, packets: number) => (k === packets - 1 ? 0 : nonFinalNumber(k));
  const seeds = [
    Uint8Array.of(8, 0, 5, 1, 2, 3, 4, 0),
    Uint8Array.of(4, 0, 6, 1, 3, 0, 2, 4, 5, 0),
    Uint8Array.of(32, 1, 7, ...Array.from({ length: 263 }, (_, k) => (k === 262 ? 0 : nonFinalNumber(k)))),
    Uint8Array.of(2, 0, 1, 0),
  ];
  return {
    name: 'gb-link.windowReceiver.counted', seeds, maxLength: 600,
    decode(bytes) {
      if (bytes.length < 3) return undefined;
      const packets = Math.max(1, (bytes[1]! << 8) | bytes[2]!);
      const receiver = new WindowReceiver<number>(bytes[0]!, { packets });
      const taken: number[] = [];
      for (const pkt of bytes.subarray(3)) {
        const wasDone = receiver.done;
        const step = receiver.accept(pkt, pkt);
        if (wasDone && step.taken.length > 0) throw broken('took a packet after the message was whole');
        taken.push(...step.taken);
        if (taken.length > packets) throw broken(`took ${taken.length} packets of a message of ${packets}`);
        if (step.done !== (taken.length === packets)) throw broken(`done ${step.done} with ${taken.length} of ${packets} taken`);
        if (step.ack !== undefined && step.ack !== receiver.ack) throw broken(`NP ${step.ack} after ${receiver.taken} taken`);
      }
      if (taken.some((pkt, k) => pkt !== numberAt(k, packets))) throw broken(`taken out of order: ${taken.slice(0, 12).join(',')}`);
      return taken.length;
    },
  };
}

/** Inner PARAMS that say their own length and content: `length u16 | byte i = (i * 7 + 3) & FF`. */
function selfDescribing(length: number): Uint8Array {
  const out = new Uint8Array(length + 2);
  out[0] = length >> 8;
  out[1] = length & 0xff;
  for (let i = 0; i < length; i++) out[i + 2] = (i * 7 + 3) & 0xff;
  return out;
}

function checkWhole(params: Uint8Array): void {
  if (params.length < 2) throw broken(`a counted message executed with ${params.length} bytes`);
  const length = (params[0]! << 8) | params[1]!;
  if (params.length !== length + 2) throw broken(`a counted message executed with ${params.length - 2} of ${length} bytes`);
  for (let i = 0; i < length; i++) if (params[i + 2] !== ((i * 7 + 3) & 0xff)) throw broken(`a counted message executed with byte ${i} wrong`);
}

/**
 * Frames of one counted 74 message as the host puts them on the line (and mutations: lost, repeated, reordered,
 * corrupted, cut), decoded and handed to a version-2 register's WindowedLink: a message it executes is the one
 * sent, whole and unaltered (the count leaves no room for a hole before PKT 0).
 */
function countedFramesTarget(): FuzzTarget {
  const message = countedWindowedParams(8, 0x64, selfDescribing(1500));
  const frames = commandPackets(WINDOWED_TRANSFER, message).map((packet) => encodeFrame(packet));
  const stream = (order: readonly number[]) => Uint8Array.from(order.flatMap((index) => [...frames[index]!]));
  const all = frames.map((_, index) => index);
  const seeds = [stream(all), stream([0, 2, 3, 1, ...all.slice(4)]), stream([...all.slice(0, -2), all.at(-1)!, all.at(-2)!]), stream([0, 0, ...all.slice(1)])];
  return {
    name: 'gb-link.frames.counted74', seeds, maxLength: 2400,
    decode(bytes) {
      const decoder = new FrameDecoder('to-register');
      const link = new WindowedLink(64 * 1024);
      let now = 0;
      let executed = 0;
      for (const frame of [...decoder.push(bytes), ...decoder.idle()]) {
        if (frame.kind !== 'command' || frame.cmd !== WINDOWED_TRANSFER) continue;
        const stray = frame.pkt === 0 && !link.inTransfer;
        const step = link.onCommand(frame, (now += 1));
        if (step.type !== 'complete') continue;
        executed++;
        if (stray) throw broken('a stray last packet executed alone (SPEC §10.2: a register starts only from a counted header that fits)');
        checkWhole(step.request.params);
      }
      return executed;
    },
  };
}

/**
 * The same message's intact frames in the order the input says (each byte a packet index, modulo the count; a
 * byte ≥ 0xF0 lets the partial message time out): loss, repetition and reordering at the frame level, which byte
 * mutations of a frame stream rarely reach. A message executed is whole and unaltered.
 */
function countedScheduleTarget(): FuzzTarget {
  const message = countedWindowedParams(4, 0x64, selfDescribing(2000));
  const frames = commandPackets(WINDOWED_TRANSFER, message);
  const all = frames.map((_, index) => index);
  const seeds = [Uint8Array.from(all), Uint8Array.from([0, 2, 1, 3, 5, 4, ...all.slice(6)]), Uint8Array.from([0, 1, 0xf0, 0, ...all.slice(1)])];
  return {
    name: 'gb-link.window.counted74Schedule', seeds, maxLength: 64,
    decode(bytes) {
      const link = new WindowedLink(64 * 1024);
      let now = 0;
      let lastAt = 0;
      let executed = 0;
      for (const byte of bytes) {
        if (byte >= 0xf0) {
          now += 2000;
          continue;
        }
        const frame = frames[byte % frames.length]!;
        // Nothing being assembled, or the partial message about to be dropped for its silence.
        const stray = frame.pkt === 0 && (!link.inTransfer || now + 1 - lastAt > partialMessageTimeoutMs);
        lastAt = now + 1;
        const step = link.onCommand(frame, (now += 1));
        if (step.type !== 'complete') continue;
        executed++;
        if (stray) throw broken('a stray last packet executed alone after its message was dropped (SPEC §10.2)');
        checkWhole(step.request.params);
      }
      return executed;
    },
  };
}

export function countedWindowTargets(): FuzzTarget[] {
  return [countedParamsTarget(), countedReceiverTarget(), countedFramesTarget(), countedScheduleTarget()];
}
