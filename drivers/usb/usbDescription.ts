import type { TransportDescription } from '../../contracts/ByteTransport.js';
import { usbPathOf, type UsbDeviceHandle } from './UsbApi.js';

/** What can be known of a USB device without opening it: ids and place. */
export function usbDescriptionOf(device: UsbDeviceHandle): TransportDescription {
  return { kind: 'usb', path: usbPathOf(device), vendorId: device.vendorId, productId: device.productId };
}

/**
 * The device's serial number and names. node-usb opens the device to read a string the system has not
 * cached, so this is for a device that is allowed and open; a string that cannot be read is left out.
 */
export function usbStringsOf(device: UsbDeviceHandle): Pick<TransportDescription, 'serialNumber' | 'manufacturer' | 'product'> {
  const read = (get: () => string | null | undefined): string | undefined => {
    try {
      return get() || undefined;
    } catch {
      return undefined;
    }
  };
  const serialNumber = read(() => device.serialNumber);
  const manufacturer = read(() => device.manufacturerName);
  const product = read(() => device.productName);
  return {
    ...(serialNumber ? { serialNumber } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    ...(product ? { product } : {}),
  };
}
