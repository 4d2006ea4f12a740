import type { CardChannel } from '../../contracts/CardChannel.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { decodeCommandApdu, encodeCommandApdu, SHORT_MAX_LE, type CommandApdu } from './CommandApdu.js';
import { decodeResponseApdu, statusWordHex, type ResponseApdu } from './ResponseApdu.js';
import { statusWarning } from './statusWords.js';

export interface TransceiveOptions {
  /** Most GET RESPONSE commands issued for one command; a card that keeps answering 61xx is faulty. */
  readonly maxGetResponses?: number;
  /** Largest response data accepted in total, in bytes. */
  readonly maxResponseBytes?: number;
}

const DEFAULT_MAX_GET_RESPONSES = 64;
const DEFAULT_MAX_RESPONSE_BYTES = 65536;

function getResponseCommand(le: number): CommandApdu {
  return { cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, data: new Uint8Array(0), le };
}

async function send(channel: CardChannel, command: CommandApdu): Promise<ResponseApdu> {
  let raw: Uint8Array;
  try {
    raw = await channel.transmit(encodeCommandApdu(command));
  } catch (error) {
    if (isGatewayError(error)) throw error;
    throw new GatewayError('CARD_TRANSMIT_FAILED', {
      params: { detail: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  }
  return decodeResponseApdu(raw);
}

function malformed(detail: string): GatewayError {
  return new GatewayError('CARD_RESPONSE_MALFORMED', { params: { detail } });
}

function announced(sw2: number): number {
  return sw2 === 0 ? SHORT_MAX_LE : sw2;
}

/**
 * Sends one GET RESPONSE for `le` bytes; a 6Cxx to it (the card has fewer) is answered by one
 * re-send with Le = xx. A second 6Cxx is malformed, so that no 6Cxx ever reaches the caller.
 */
async function getResponse(channel: CardChannel, le: number): Promise<ResponseApdu> {
  const first = await send(channel, getResponseCommand(le));
  if (first.sw1 !== 0x6c) return first;
  const second = await send(channel, getResponseCommand(announced(first.sw2)));
  if (second.sw1 === 0x6c) throw malformed(`the card asked twice for another GET RESPONSE Le (${statusWordHex(second.sw)})`);
  return second;
}

/**
 * Sends one command and does what a T=0 card asks: 61xx (and 9Fxx) fetches the rest with GET
 * RESPONSE, concatenating the data, until another status word arrives; 6Cxx re-sends a command
 * without data once with Le = xx. A command that carries data (a PIN, a MAC, an invoice) is never
 * sent twice: under T=0 a 6Cxx answers case 2 only (ISO 7816-3), and a card that may
 * already have acted on the data (rotated the PIN, issued the invoice) must not see it again, so
 * a 6Cxx to such a command is a malformed answer. The result carries the whole data and the final
 * status word, never 61xx or 6Cxx; it is not checked for success, that is the caller's business.
 * A final 62xx/63xx (not 63Cx) is an ISO 7816-4 warning: the data comes back with it, and `warning`
 * says which (6282: the file or record ended before Le bytes).
 */
export async function transceive(
  channel: CardChannel,
  apdu: CommandApdu | Uint8Array,
  options: TransceiveOptions = {},
): Promise<ResponseApdu> {
  const maxGetResponses = options.maxGetResponses ?? DEFAULT_MAX_GET_RESPONSES;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const command: CommandApdu = apdu instanceof Uint8Array ? decodeCommandApdu(apdu) : apdu;

  let response = await send(channel, command);
  if (response.sw1 === 0x6c) {
    if (command.data.length > 0) {
      throw malformed(`the card asked for Le ${announced(response.sw2)} (${statusWordHex(response.sw)}); a command with data is not sent twice`);
    }
    response = await send(channel, { ...command, le: announced(response.sw2) });
    if (response.sw1 === 0x6c) throw malformed(`the card asked twice for another Le (${statusWordHex(response.sw)})`);
  }

  const chunks: Uint8Array[] = [response.data];
  let total = response.data.length;
  let getResponses = 0;
  while (response.sw1 === 0x61 || response.sw1 === 0x9f) {
    if (getResponses >= maxGetResponses) throw malformed(`more than ${maxGetResponses} GET RESPONSE in a row`);
    getResponses += 1;
    response = await getResponse(channel, announced(response.sw2));
    total += response.data.length;
    if (total > maxBytes) throw malformed(`response longer than ${maxBytes} bytes`);
    chunks.push(response.data);
  }
  const warning = statusWarning(response.sw);
  const withWarning = (answer: ResponseApdu): ResponseApdu => (warning === undefined ? answer : { ...answer, warning });
  if (chunks.length === 1) return withWarning(response);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  return withWarning({ data, sw1: response.sw1, sw2: response.sw2, sw: response.sw });
}
