import type { BindingInterface } from '@serialport/bindings-cpp';
import { GatewayError } from '../../contracts/errors/index.js';
import { unixLineBinding } from './unixLineBinding.js';

let cached: Promise<BindingInterface> | undefined;

/**
 * The operating system's serial binding, loaded on first use so that a machine without the native
 * module still runs everything else: the failure surfaces as SERIAL_UNAVAILABLE when a port is needed.
 * On Linux and macOS its ports read and write through `UnixLinePort` (see there for why).
 */
export function loadSerialBinding(): Promise<BindingInterface> {
  cached ??= import('@serialport/bindings-cpp').then(
    (module) => unixLineBinding(module.autoDetect() as unknown as BindingInterface),
    (cause: unknown) => {
      cached = undefined;
      throw new GatewayError('SERIAL_UNAVAILABLE', {
        params: { detail: cause instanceof Error ? cause.message : String(cause) },
        cause,
      });
    },
  );
  return cached;
}
