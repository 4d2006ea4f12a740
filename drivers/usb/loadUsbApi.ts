import { existsSync } from 'node:fs';
import { GatewayError } from '../../contracts/errors/index.js';
import type { UsbApi, UsbDeviceHandle } from './UsbApi.js';

/** Linux exposes every USB device here; a container or VM without USB has no such folder. */
const linuxUsbDevices = '/sys/bus/usb/devices';

let cached: Promise<UsbApi> | undefined;

/**
 * The `usb` package, loaded on first use: a missing native module becomes USB_UNAVAILABLE for whoever
 * needs USB, and a machine without any USB bus simply has no USB devices.
 */
export function loadUsbApi(): Promise<UsbApi> {
  cached ??= import('usb').then(
    (module) => {
      const usb = module.usb;
      return {
        async getDevices(): Promise<UsbDeviceHandle[]> {
          if (process.platform === 'linux' && !existsSync(linuxUsbDevices)) return [];
          try {
            return (await usb.getDevices()) as unknown as UsbDeviceHandle[];
          } catch (cause) {
            throw new GatewayError('USB_UNAVAILABLE', { params: { detail: cause instanceof Error ? cause.message : String(cause) }, cause });
          }
        },
      };
    },
    (cause: unknown) => {
      cached = undefined;
      throw new GatewayError('USB_UNAVAILABLE', { params: { detail: cause instanceof Error ? cause.message : String(cause) }, cause });
    },
  );
  return cached;
}
