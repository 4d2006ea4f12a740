import { GatewayError } from '../../contracts/errors/index.js';

/**
 * An ISO 7816-4 command APDU. `le` is the number of response bytes expected, 1…65536 (256 is
 * written 00 in a short APDU, 65536 is 0000 in an extended one); absent means no response data.
 */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly le?: number;
  /** Use extended Lc/Le even when the short form would do. Chosen automatically when needed. */
  readonly extended?: boolean;
}

export type ApduCase = 1 | 2 | 3 | 4;

/** A decoded command always says which length form it used. */
export type DecodedCommandApdu = CommandApdu & { readonly extended: boolean };

const SHORT_MAX_LC = 255;
export const SHORT_MAX_LE = 256;
const EXTENDED_MAX_LC = 65535;
const EXTENDED_MAX_LE = 65536;

function invalid(detail: string): GatewayError {
  return new GatewayError('CARD_APDU_INVALID', { params: { detail } });
}

export function apduCase(command: Pick<CommandApdu, 'data' | 'le'>): ApduCase {
  const hasData = command.data.length > 0;
  const hasLe = command.le !== undefined;
  if (hasData) return hasLe ? 4 : 3;
  return hasLe ? 2 : 1;
}

/** True when the command cannot be written in the short form. */
function needsExtended(command: Pick<CommandApdu, 'data' | 'le'>): boolean {
  return command.data.length > SHORT_MAX_LC || (command.le !== undefined && command.le > SHORT_MAX_LE);
}

function checkByte(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw invalid(`${name} must be a byte, got ${value}`);
}

/** Encodes a command APDU in case 1, 2, 3 or 4, short or extended. */
export function encodeCommandApdu(command: CommandApdu): Uint8Array {
  checkByte('CLA', command.cla);
  checkByte('INS', command.ins);
  checkByte('P1', command.p1);
  checkByte('P2', command.p2);
  const { data, le } = command;
  if (data.length > EXTENDED_MAX_LC) throw invalid(`data of ${data.length} bytes is longer than ${EXTENDED_MAX_LC}`);
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > EXTENDED_MAX_LE)) {
    throw invalid(`Le must be 1…${EXTENDED_MAX_LE}, got ${le}`);
  }
  const extended = command.extended === true || needsExtended(command);
  const header = [command.cla, command.ins, command.p1, command.p2];
  const body: number[] = [];
  if (!extended) {
    if (data.length > 0) body.push(data.length, ...data);
    if (le !== undefined) body.push(le === SHORT_MAX_LE ? 0 : le);
  } else if (data.length === 0 && le === undefined) {
    // Case 1 has no length field at all, so it has no extended form.
  } else {
    body.push(0);
    if (data.length > 0) body.push(data.length >> 8, data.length & 0xff, ...data);
    if (le !== undefined) {
      const wire = le === EXTENDED_MAX_LE ? 0 : le;
      body.push(wire >> 8, wire & 0xff);
    }
  }
  return Uint8Array.from([...header, ...body]);
}

/**
 * Decodes a command APDU by the rules of ISO 7816-3 §12.1.3. The result says whether it was
 * extended; encoding it again gives the same bytes.
 */
export function decodeCommandApdu(bytes: Uint8Array): DecodedCommandApdu {
  if (bytes.length < 4) throw invalid(`a command APDU has at least 4 bytes, got ${bytes.length}`);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const head = { cla, ins, p1, p2 };
  const n = bytes.length;
  if (n === 4) return { ...head, data: new Uint8Array(0), extended: false };
  const b4 = bytes[4]!;
  if (n === 5) return { ...head, data: new Uint8Array(0), le: b4 === 0 ? SHORT_MAX_LE : b4, extended: false };
  if (b4 !== 0) {
    const lc = b4;
    if (n === 5 + lc) return { ...head, data: bytes.slice(5, 5 + lc), extended: false };
    if (n === 6 + lc) {
      const le = bytes[5 + lc]!;
      return { ...head, data: bytes.slice(5, 5 + lc), le: le === 0 ? SHORT_MAX_LE : le, extended: false };
    }
    throw invalid(`short Lc ${lc} does not match the ${n}-byte APDU`);
  }
  if (n === 7) {
    const le = (bytes[5]! << 8) | bytes[6]!;
    return { ...head, data: new Uint8Array(0), le: le === 0 ? EXTENDED_MAX_LE : le, extended: true };
  }
  if (n < 7) throw invalid(`a ${n}-byte APDU with a zero length byte is neither short nor extended`);
  const lc = (bytes[5]! << 8) | bytes[6]!;
  if (lc === 0) throw invalid('extended Lc of zero');
  if (n === 7 + lc) return { ...head, data: bytes.slice(7, 7 + lc), extended: true };
  if (n === 9 + lc) {
    const le = (bytes[7 + lc]! << 8) | bytes[8 + lc]!;
    return { ...head, data: bytes.slice(7, 7 + lc), le: le === 0 ? EXTENDED_MAX_LE : le, extended: true };
  }
  throw invalid(`extended Lc ${lc} does not match the ${n}-byte APDU`);
}
