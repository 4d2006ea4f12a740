import { loadUsbApi } from '../../../drivers/usb/loadUsbApi.js';
import { UsbBulkTransport } from '../../../drivers/usb/UsbBulkTransport.js';
import { usbDescriptionOf } from '../../../drivers/usb/usbDescription.js';
import type { UsbApi } from '../../../drivers/usb/UsbApi.js';
import type { PortCandidate, PortEnumerator } from './PortCandidate.js';

/**
 * USB devices from the `usb` package, by ids and place only: node-usb opens a device to read a string
 * descriptor the system has not cached, and nothing is opened before the allow-list has said yes.
 * The serial number and names join the description when the transport opens.
 */
export function usbEnumerator(api?: UsbApi): PortEnumerator {
  return {
    name: 'usb',
    async list(): Promise<PortCandidate[]> {
      const usb = api ?? (await loadUsbApi());
      return (await usb.getDevices()).map((device): PortCandidate => {
        const description = usbDescriptionOf(device);
        return { description, node: description.path, createTransport: () => new UsbBulkTransport({ device, api: usb }) };
      });
    },
  };
}
