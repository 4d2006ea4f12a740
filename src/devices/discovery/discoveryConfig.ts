import { z } from 'zod';
import { baudRateSchema } from '../../../drivers/serial/baudRates.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { allowRuleSchema } from './AllowRule.js';
import { loadSupportedDevices, type SupportedDevice } from './supportedDevices.js';

/** Stable names that udev/70-fiscal-gateway.rules gives to registers with their own USB ids. */
export const fiscalDeviceGlob = '/dev/fiscal/*';

const kindOfRole: Partial<Record<SupportedDevice['role'], string>> = {
  'register-serial': 'serial',
  'register-usb': 'usb',
  'register-hid': 'hid',
};

/**
 * The allow-list used when the configuration names none: the `/dev/fiscal/` names and the USB ids of
 * registers in udev/supported-devices.json. General-purpose USB-serial bridges are left out on purpose.
 */
export function defaultAllowList(devices: readonly SupportedDevice[] = loadSupportedDevices()): string[] {
  const ids = devices.flatMap((device) => {
    const kind = kindOfRole[device.role];
    return kind ? [`${kind}:${device.vendorId}:${device.productId}`] : [];
  });
  return [fiscalDeviceGlob, ...ids];
}

export const discoveryConfigSchema = z.object({
  /** What may be opened: `VVVV:PPPP`, `serial:|usb:|hid:VVVV:PPPP`, or an absolute path or glob. */
  allow: z.array(allowRuleSchema).prefault(() => defaultAllowList()),
  /** How often the buses are listed; hot-plug is noticed within one interval (at most 2 s). */
  pollIntervalMs: z.number().int().min(50).max(2000).default(1000),
  /** The speed serial registers are opened at. */
  baudRate: baudRateSchema.default(9600),
  /** Deliver serial bytes in chunks cut at line silences of this many ms (see SerialTransport). */
  interByteTimeoutMs: z.number().int().min(1).max(1000).optional(),
  /** Which buses to list; a machine without USB or HID support can leave them out. */
  buses: z.array(z.enum(['serial', 'usb', 'hid'])).default(['serial', 'usb', 'hid']),
});

export type DiscoveryConfig = z.output<typeof discoveryConfigSchema>;

/** Validates the `devices` section of the daemon's configuration; DEVICE_CONFIG_INVALID names what is wrong. */
export function parseDiscoveryConfig(input: unknown): DiscoveryConfig {
  const parsed = discoveryConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new GatewayError('DEVICE_CONFIG_INVALID', { params: { detail } });
  }
  return parsed.data;
}
