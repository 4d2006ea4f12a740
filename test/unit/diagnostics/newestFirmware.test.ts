import { describe, expect, it } from 'vitest';
import { newestFirmwareFor } from '../../../src/services/diagnostics/newestFirmware.js';

const held = (version: string, ...models: string[]) => ({ manifest: { version, models } });

describe('the newest trusted firmware held for a model', () => {
  it('compares versions as numbers, only for packages listing the model', () => {
    const packages = [held('1.10.0', 'SIM-1'), held('1.9.9', 'SIM-1'), held('9.0.0', 'OTHER'), held('1.2.0', 'SIM-1', 'OTHER')];
    expect(newestFirmwareFor('SIM-1', packages)).toBe('1.10.0');
    expect(newestFirmwareFor('OTHER', packages)).toBe('9.0.0');
    expect(newestFirmwareFor('NONE', packages)).toBeUndefined();
  });
});
