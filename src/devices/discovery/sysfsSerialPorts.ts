import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface SysfsSerialPort {
  readonly path: string;
  readonly vendorId?: number;
  readonly productId?: number;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
}

async function readAttribute(folder: string, name: string): Promise<string | undefined> {
  try {
    const value = (await readFile(join(folder, name), 'utf8')).trim();
    return value.length > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The USB device folder above a tty's device folder: the first ancestor that has `idVendor`. */
async function usbAncestor(deviceFolder: string): Promise<string | undefined> {
  for (let folder = deviceFolder; folder !== dirname(folder); folder = dirname(folder)) {
    if ((await readAttribute(folder, 'idVendor')) !== undefined) return folder;
  }
  return undefined;
}

/**
 * Linux serial ports read straight from sysfs: every tty with a `device` link, and the USB ids of the
 * USB devices behind them. Used when the binding's own listing needs tools the machine lacks (udevadm).
 */
export async function listSysfsSerialPorts(sysClassTty = '/sys/class/tty'): Promise<SysfsSerialPort[]> {
  let names: string[];
  try {
    names = await readdir(sysClassTty);
  } catch {
    return [];
  }
  const ports: SysfsSerialPort[] = [];
  for (const name of names.sort()) {
    let deviceFolder: string;
    try {
      deviceFolder = await realpath(join(sysClassTty, name, 'device'));
    } catch {
      continue;
    }
    // Platform 8250 ports exist whether or not a UART is fitted; they carry no USB ids and match only path rules.
    const usb = await usbAncestor(deviceFolder);
    if (!usb) {
      ports.push({ path: `/dev/${name}` });
      continue;
    }
    const vendor = await readAttribute(usb, 'idVendor');
    const product = await readAttribute(usb, 'idProduct');
    const serialNumber = await readAttribute(usb, 'serial');
    const manufacturer = await readAttribute(usb, 'manufacturer');
    const productName = await readAttribute(usb, 'product');
    ports.push({
      path: `/dev/${name}`,
      ...(vendor ? { vendorId: Number.parseInt(vendor, 16) } : {}),
      ...(product ? { productId: Number.parseInt(product, 16) } : {}),
      ...(serialNumber ? { serialNumber } : {}),
      ...(manufacturer ? { manufacturer } : {}),
      ...(productName ? { product: productName } : {}),
    });
  }
  return ports;
}
