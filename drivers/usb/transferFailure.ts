/**
 * What a failed bulk transfer means. node-usb 3 (over nusb) throws `transferIn error: Cancelled` when a
 * transfer reaches its timeout (nusb cancels it), `…: Stall` for a halted endpoint and `…: Disconnected`
 * for an unplugged device, instead of WebUSB's `status: 'stall'`; libusb-based versions say
 * LIBUSB_TRANSFER_TIMED_OUT and LIBUSB_TRANSFER_STALL / LIBUSB_ERROR_PIPE.
 */
export type TransferFailure = 'timeout' | 'stall' | 'fault';

const timeoutPattern = /\bCancelled\b|TIMED_OUT|time[sd]?\s*-?out/i;
const stallPattern = /\bStall\b|_STALL\b|LIBUSB_ERROR_PIPE/i;

export function classifyTransferFailure(error: unknown): TransferFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (stallPattern.test(message)) return 'stall';
  if (timeoutPattern.test(message)) return 'timeout';
  return 'fault';
}
