import { readFileSync } from 'node:fs';
import { z } from 'zod';

const hexId = z.string().regex(/^[0-9a-f]{4}$/, 'four lower-case hex digits');

/**
 * What a supported USB device is to the gateway:
 * - `register-serial`, `register-usb`, `register-hid`: a register with its own USB ids, reached as a tty,
 *   by bulk endpoints or by HID reports; allowed by default.
 * - `bridge`: a general-purpose USB-serial chip that registers use but so do many other things; given a
 *   stable name but never opened until the site allows it (gpsd's caution: do not probe what may not be ours).
 * - `reader`: a PC/SC card reader (reached through pcscd, not opened by discovery).
 */
export const supportedDeviceSchema = z.object({
  vendorId: hexId,
  productId: hexId,
  role: z.enum(['register-serial', 'register-usb', 'register-hid', 'bridge', 'reader']),
  name: z.string().min(1),
});
export type SupportedDevice = z.infer<typeof supportedDeviceSchema>;

const supportedDevicesFileSchema = z.object({ devices: z.array(supportedDeviceSchema) });

/** `udev/supported-devices.json`, the one list of supported VID:PIDs. */
export const supportedDevicesFile = new URL('../../../udev/supported-devices.json', import.meta.url);

export function loadSupportedDevices(): SupportedDevice[] {
  return supportedDevicesFileSchema.parse(JSON.parse(readFileSync(supportedDevicesFile, 'utf8'))).devices;
}
