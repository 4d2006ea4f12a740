import type { CommandApdu } from '../apdu/CommandApdu.js';
import { ByteReader } from './ByteReader.js';
import { ByteWriter } from './ByteWriter.js';
import { malformedResponse } from './fieldErrors.js';
import type { Layout } from './Layout.js';
import { appendXor, stripXor } from './xor.js';

export const GB_CLA = 0xc0;

export type FiscalCommandName =
  | 'GET_REGISTER_NB' | 'TERMINAL_REGISTER' | 'ISSUE_INVOICE' | 'DECLARE_DUTY'
  | 'UPDATE_CONTROLS' | 'INPUT_INVOICE_NB' | 'VERIFY_FISCAL_PIN' | 'DAILY_COLLECT_SIGN';
export type UserCommandName = 'REGISTER_SIGN' | 'DATA_COLLECT' | 'DISTRIBUTE_INVOICE_NB';
export type CardCommandName = FiscalCommandName | UserCommandName;

/**
 * One GB18240.2 command (CLA C0): how its request and response data fields are laid out and
 * whether each ends with an XOR byte. Builders for the host, and the reverse for the virtual cards.
 */
export interface CardCommand<Request, Response> {
  readonly name: CardCommandName;
  readonly card: 'fiscal' | 'user';
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Length of the request data field, XOR included; 0 when there is none. */
  readonly requestSize: number;
  /** Length of the response data, XOR included; 0 when there is none. */
  readonly responseSize: number;
  readonly requestXor: boolean;
  readonly responseXor: boolean;
  encodeRequest(request: Request): Uint8Array;
  decodeRequest(data: Uint8Array): Request;
  encodeResponse(response: Response): Uint8Array;
  decodeResponse(data: Uint8Array): Response;
}

/** The layout of an empty data field. */
export const noData: Layout<void> = {
  name: 'none',
  size: 0,
  write() {},
  read() {},
};

interface CommandDefinition<Request, Response> {
  readonly name: CardCommandName;
  readonly card: 'fiscal' | 'user';
  readonly ins: number;
  readonly request: Layout<Request>;
  readonly response: Layout<Response>;
  readonly requestXor?: boolean;
  readonly responseXor?: boolean;
}

function encodeField<T>(layout: Layout<T>, value: T, xor: boolean): Uint8Array {
  const writer = new ByteWriter();
  layout.write(writer, value);
  const bytes = writer.toBytes();
  return xor ? appendXor(bytes) : bytes;
}

function decodeField<T>(layout: Layout<T>, data: Uint8Array, xor: boolean, command: string, what: string): T {
  const expected = layout.size + (xor ? 1 : 0);
  if (data.length !== expected) {
    throw malformedResponse(`${command} ${what} must be ${expected} bytes, got ${data.length}`);
  }
  const body = xor ? stripXor(data, command) : data;
  const reader = new ByteReader(body, `${command}.${what}`);
  const value = layout.read(reader);
  reader.end();
  return value;
}

export function defineCommand<Request, Response>(d: CommandDefinition<Request, Response>): CardCommand<Request, Response> {
  const requestXor = d.requestXor ?? false;
  const responseXor = d.responseXor ?? false;
  return {
    name: d.name,
    card: d.card,
    ins: d.ins,
    p1: 0x00,
    p2: 0x00,
    requestSize: d.request.size === 0 ? 0 : d.request.size + (requestXor ? 1 : 0),
    responseSize: d.response.size === 0 ? 0 : d.response.size + (responseXor ? 1 : 0),
    requestXor,
    responseXor,
    encodeRequest: (request) => (d.request.size === 0 ? new Uint8Array(0) : encodeField(d.request, request, requestXor)),
    decodeRequest: (data) => decodeField(d.request, data, d.request.size > 0 && requestXor, d.name, 'request'),
    encodeResponse: (response) => (d.response.size === 0 ? new Uint8Array(0) : encodeField(d.response, response, responseXor)),
    decodeResponse: (data) => decodeField(d.response, data, d.response.size > 0 && responseXor, d.name, 'response'),
  };
}

/** The command APDU for one GB18240.2 command: case 1–4 by whether it has data in and out. */
export function buildCardCommand<Request>(command: CardCommand<Request, unknown>, request: Request): CommandApdu {
  return {
    cla: GB_CLA,
    ins: command.ins,
    p1: command.p1,
    p2: command.p2,
    data: command.encodeRequest(request),
    ...(command.responseSize > 0 ? { le: command.responseSize } : {}),
  };
}
