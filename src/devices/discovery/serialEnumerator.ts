import type { PortInfo, BindingInterface } from '@serialport/bindings-cpp';
import { loadSerialBinding } from '../../../drivers/serial/loadSerialBinding.js';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { isGatewayError } from '../../../contracts/errors/index.js';
import type { PortCandidate, PortEnumerator } from './PortCandidate.js';
import { listSysfsSerialPorts, type SysfsSerialPort } from './sysfsSerialPorts.js';
import { resolveNode } from './resolveNode.js';

export interface SerialEnumeratorOptions {
  readonly baudRate: number;
  readonly interByteTimeoutMs?: number;
  /** Where ports are listed and opened; the operating system's binding unless a test passes the mock. */
  readonly binding?: BindingInterface;
  /** The sysfs fallback; replaced in tests. */
  readonly listSysfs?: () => Promise<SysfsSerialPort[]>;
}

function fromPortInfo(info: PortInfo): SysfsSerialPort {
  const hex = (value: string | undefined) => (value && /^[0-9a-f]{1,4}$/i.test(value) ? Number.parseInt(value, 16) : undefined);
  const vendorId = hex(info.vendorId);
  const productId = hex(info.productId);
  return {
    path: info.path,
    ...(vendorId !== undefined ? { vendorId } : {}),
    ...(productId !== undefined ? { productId } : {}),
    ...(info.serialNumber ? { serialNumber: info.serialNumber } : {}),
    ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
  };
}

/**
 * Serial ports as the serialport binding lists them. On Linux the binding shells out to udevadm; where
 * that fails (containers, minimal systems) the ports are read from sysfs instead.
 */
export function serialEnumerator(options: SerialEnumeratorOptions): PortEnumerator {
  const listSysfs = options.listSysfs ?? (() => listSysfsSerialPorts());
  async function listPorts(): Promise<SysfsSerialPort[]> {
    const binding = options.binding ?? (await loadSerialBinding());
    try {
      return (await binding.list()).map(fromPortInfo);
    } catch (error) {
      if (isGatewayError(error) || process.platform !== 'linux') throw error;
      return listSysfs();
    }
  }
  return {
    name: 'serial',
    async list(): Promise<PortCandidate[]> {
      const ports = await listPorts();
      return Promise.all(ports.map(async (port): Promise<PortCandidate> => {
        const { path, ...info } = port;
        return {
          description: { ...info, kind: 'serial', path },
          node: await resolveNode(path),
          createTransport: (openAs = path) => new SerialTransport({
            path: openAs,
            baudRate: options.baudRate,
            info,
            ...(options.binding ? { binding: options.binding } : {}),
            ...(options.interByteTimeoutMs !== undefined ? { interByteTimeoutMs: options.interByteTimeoutMs } : {}),
          }),
        };
      }));
    },
  };
}
