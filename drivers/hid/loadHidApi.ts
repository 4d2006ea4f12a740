import { GatewayError } from '../../contracts/errors/index.js';
import type { HidApi, HidDeviceInfo } from './HidApi.js';

let cached: Promise<HidApi> | undefined;

function unavailable(cause: unknown): GatewayError {
  return new GatewayError('HID_UNAVAILABLE', { params: { detail: cause instanceof Error ? cause.message : String(cause) }, cause });
}

/** `node-hid`, loaded on first use so that a missing native module becomes HID_UNAVAILABLE instead of a crash. */
export function loadHidApi(): Promise<HidApi> {
  cached ??= import('node-hid').then(
    (module) => {
      const hid = module.default ?? module;
      return {
        async devices(): Promise<HidDeviceInfo[]> {
          try {
            return (await hid.devicesAsync()) as HidDeviceInfo[];
          } catch (cause) {
            throw unavailable(cause);
          }
        },
        async open(path: string) {
          const device = await hid.HIDAsync.open(path);
          return {
            write: (report: Uint8Array) => device.write(Buffer.from(report.buffer, report.byteOffset, report.byteLength)),
            read: async (timeoutMs: number) => {
              const report = await device.read(timeoutMs);
              return report === undefined || report.length === 0 ? undefined : new Uint8Array(report);
            },
            close: () => device.close(),
          };
        },
      };
    },
    (cause: unknown) => {
      cached = undefined;
      throw unavailable(cause);
    },
  );
  return cached;
}
