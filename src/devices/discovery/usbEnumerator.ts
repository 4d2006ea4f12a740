import { loadUsbApi } from '../../../drivers/usb/loadUsbApi.js';
import { UsbBulkTransport } from '../../../drivers/usb/UsbBulkTransport.js';
import { usbPathOf, type UsbApi } from '../../../drivers/usb/UsbApi.js';
import type { PortCandidate, PortEnumerator } from './PortCandidate.js';

/** USB devices from the `usb` package (descriptors only; nothing is opened). */
export function usbEnumerator(api?: UsbApi): PortEnumerator {
  return {
    name: 'usb',
    async list(): Promise<PortCandidate[]> {
      const usb = api ?? (await loadUsbApi());
      return (await usb.getDevices()).map((device): PortCandidate => {
        const transport = () => new UsbBulkTransport({ device, api: usb });
        const description = {
          kind: 'usb' as const,
          path: usbPathOf(device),
          vendorId: device.vendorId,
          productId: device.productId,
          ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
          ...(device.manufacturerName ? { manufacturer: device.manufacturerName } : {}),
          ...(device.productName ? { product: device.productName } : {}),
        };
        return { description, node: description.path, createTransport: transport };
      });
    },
  };
}
