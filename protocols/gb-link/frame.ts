import { GatewayError } from '../../contracts/errors/index.js';
import { crc16Umts } from './crc16.js';

/**
 * GB-link frames (SPEC.md §2). LEN counts the header and the data, never the CRC, in both
 * directions: a command header is 5 bytes (`1B 10 CMD PKT LEN`), a reply header 4 (`'O' 'K' PKT LEN`).
 */
export const COMMAND_HEADER = 5;
export const REPLY_HEADER = 4;
export const CRC_SIZE = 2;
/**
 * A whole frame, CRC included, is at most 255 bytes when sent (DESIGN.md: PARAMS ≤ 248), so a
 * register with a 255-byte receive buffer takes any frame we send. The decoder still accepts any
 * LEN the byte can hold (up to 257 bytes on the wire), to be lenient in what it receives.
 */
export const MAX_FRAME = 255;
/** Largest PARAMS of one command frame: 255 − 5 − 2 = 248. */
export const MAX_COMMAND_PARAMS = MAX_FRAME - COMMAND_HEADER - CRC_SIZE;
/** Largest DATA of one OK frame: 255 − 4 − 2 = 249. */
export const MAX_REPLY_DATA = MAX_FRAME - REPLY_HEADER - CRC_SIZE;

export const COMMAND_START = [0x1b, 0x10] as const;
export const REPLY_START = {
  ok: [0x4f, 0x4b], // 'O' 'K'
  error: [0x45, 0x52], // 'E' 'R'
  busy: [0x57, 0x54], // 'W' 'T'
  next: [0x4e, 0x50], // 'N' 'P'
} as const;

/** Host → register: one packet of a command. */
export interface CommandFrame { readonly kind: 'command'; readonly cmd: number; readonly pkt: number; readonly params: Uint8Array }
/** Register → host: one packet of a successful answer. */
export interface OkFrame { readonly kind: 'ok'; readonly pkt: number; readonly data: Uint8Array }
/** Register → host: the command failed with an ER code (SPEC.md §6). */
export interface ErrorFrame { readonly kind: 'error'; readonly code: number }
/** Register → host: still working, keep waiting. */
export interface BusyFrame { readonly kind: 'busy' }
/**
 * Either direction: "send the packet after `pkt`". The register acknowledges a non-final command
 * packet with it; the host asks for the next answer packet with it (SPEC.md §3).
 */
export interface NextFrame { readonly kind: 'next'; readonly pkt: number }

export type ReplyFrame = OkFrame | ErrorFrame | BusyFrame | NextFrame;
export type Frame = CommandFrame | ReplyFrame;

function invalid(detail: string): GatewayError {
  return new GatewayError('LINK_FRAME_INVALID', { params: { detail } });
}

function byte(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw invalid(`${what} ${value} is not a byte`);
  return value;
}

function seal(header: readonly number[], body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(header.length + body.length + CRC_SIZE);
  frame.set(header, 0);
  frame.set(body, header.length);
  const crc = crc16Umts(frame, 0, header.length + body.length);
  frame[frame.length - 2] = crc >> 8;
  frame[frame.length - 1] = crc & 0xff;
  return frame;
}

export function encodeCommandFrame(cmd: number, pkt: number, params: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (params.length > MAX_COMMAND_PARAMS) throw invalid(`command params of ${params.length} bytes exceed ${MAX_COMMAND_PARAMS}`);
  // Written in place (a bulk transfer encodes a frame per 248 bytes): no header array per frame.
  const frame = new Uint8Array(COMMAND_HEADER + params.length + CRC_SIZE);
  frame[0] = COMMAND_START[0];
  frame[1] = COMMAND_START[1];
  frame[2] = byte(cmd, 'CMD');
  frame[3] = byte(pkt, 'PKT');
  frame[4] = COMMAND_HEADER + params.length;
  frame.set(params, COMMAND_HEADER);
  const crc = crc16Umts(frame, 0, COMMAND_HEADER + params.length);
  frame[frame.length - 2] = crc >> 8;
  frame[frame.length - 1] = crc & 0xff;
  return frame;
}

export function encodeOkFrame(pkt: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (data.length > MAX_REPLY_DATA) throw invalid(`reply data of ${data.length} bytes exceed ${MAX_REPLY_DATA}`);
  return seal([...REPLY_START.ok, byte(pkt, 'PKT'), REPLY_HEADER + data.length], data);
}

export function encodeErrorFrame(code: number): Uint8Array {
  return seal([...REPLY_START.error, 0, REPLY_HEADER + 1], Uint8Array.of(byte(code, 'ER code')));
}

export function encodeBusyFrame(): Uint8Array {
  return seal([...REPLY_START.busy, 0, REPLY_HEADER], new Uint8Array(0));
}

export function encodeNextFrame(pkt = 0): Uint8Array {
  return seal([...REPLY_START.next, byte(pkt, 'PKT'), REPLY_HEADER], new Uint8Array(0));
}

export function encodeFrame(frame: Frame): Uint8Array {
  switch (frame.kind) {
    case 'command': return encodeCommandFrame(frame.cmd, frame.pkt, frame.params);
    case 'ok': return encodeOkFrame(frame.pkt, frame.data);
    case 'error': return encodeErrorFrame(frame.code);
    case 'busy': return encodeBusyFrame();
    case 'next': return encodeNextFrame(frame.pkt);
  }
}

/** Human-readable one-liner for logs and test failures (never the params: they may hold a PIN). */
export function describeFrame(frame: Frame): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  switch (frame.kind) {
    case 'command': return `CMD ${hex(frame.cmd)} PKT ${hex(frame.pkt)} (${frame.params.length} B)`;
    case 'ok': return `OK PKT ${hex(frame.pkt)} (${frame.data.length} B)`;
    case 'error': return `ER ${hex(frame.code)}`;
    case 'busy': return 'WT';
    case 'next': return `NP ${hex(frame.pkt)}`;
  }
}
