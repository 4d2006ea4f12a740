import { createRequire } from 'node:module';
import type { MockBindingInterface, MockPortBinding, CreatePortOptions } from '@serialport/binding-mock' with { 'resolution-mode': 'require' };

/**
 * `@serialport/binding-mock`, typed. Its package exports carry no types for ESM importers, so it is
 * loaded through require; import it from here so that every user shares one instance (one set of
 * mock ports).
 */
export const MockBinding: MockBindingInterface = (
  createRequire(import.meta.url)('@serialport/binding-mock') as { MockBinding: MockBindingInterface }
).MockBinding;

export type { MockBindingInterface, MockPortBinding, CreatePortOptions };
