import { GatewayError } from '../../contracts/errors/index.js';
import { PcscLibraryError, ScardCode } from './PcscLibrary.js';

function hex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * The GatewayError a PC/SC failure on `reader` means for a technician. SCARD_E_NOT_TRANSACTED is
 * ambiguous (vpcd and some readers answer it when the card goes mid-APDU); PcscReaders settles it
 * from the reader's state before it lands here, as CARD_TRANSACTION_FAILED.
 */
export function readerErrorFor(failure: unknown, reader: string): GatewayError {
  if (failure instanceof GatewayError) return failure;
  if (!(failure instanceof PcscLibraryError)) {
    return new GatewayError('PCSC_FAILED', {
      params: { operation: 'unknown', detail: failure instanceof Error ? failure.message : String(failure) },
      data: { reader },
      cause: failure,
    });
  }
  const data = { ...(reader ? { reader } : {}), operation: failure.operation, scard: hex(failure.scard) };
  const options = { params: { reader }, data, cause: failure };
  switch (failure.scard) {
    case ScardCode.UNKNOWN_READER:
    case ScardCode.READER_UNAVAILABLE:
      return new GatewayError('READER_GONE', options);
    case ScardCode.NO_SMARTCARD:
      return new GatewayError('CARD_ABSENT', options);
    case ScardCode.REMOVED_CARD:
      return new GatewayError('CARD_REMOVED', options);
    case ScardCode.SHARING_VIOLATION:
      return new GatewayError('READER_BUSY', options);
    case ScardCode.RESET_CARD:
      return new GatewayError('CARD_RESET_ELSEWHERE', options);
    case ScardCode.UNRESPONSIVE_CARD:
    case ScardCode.UNPOWERED_CARD:
    case ScardCode.UNSUPPORTED_CARD:
    case ScardCode.PROTO_MISMATCH:
      return new GatewayError('CARD_UNRESPONSIVE', options);
    case ScardCode.NOT_TRANSACTED:
      return new GatewayError('CARD_TRANSACTION_FAILED', options);
    case ScardCode.NO_SERVICE:
    case ScardCode.SERVICE_STOPPED:
    case ScardCode.COMM_ERROR:
      return new GatewayError('PCSC_UNAVAILABLE', { params: { detail: failure.message }, data, cause: failure });
    default:
      return new GatewayError('PCSC_FAILED', { params: { operation: failure.operation, detail: failure.message }, data, cause: failure });
  }
}
