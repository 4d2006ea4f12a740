import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import {
  compareVersions, isFirmwareVersion, parseFirmwareVersion, versionBytes, versionFromBytes, type FirmwareVersion,
} from '../../../protocols/fwpkg/index.js';

const byte = fc.integer({ min: 0, max: 255 });
const version = fc.tuple(byte, byte, byte).map(([a, b, c]) => versionFromBytes(a, b, c));

describe('firmware version x.y.z', () => {
  it('accepts the three bytes a register reports, in decimal without leading zeros', () => {
    for (const text of ['0.0.0', '1.2.3', '255.255.255', '10.0.200']) expect(isFirmwareVersion(text), text).toBe(true);
    for (const text of ['1.2', '1.2.3.4', '01.2.3', '1.02.3', '256.0.0', '1.2.3 ', 'v1.2.3', '1..3', '-1.2.3', '1.2.x', '']) {
      expect(isFirmwareVersion(text), text).toBe(false);
      expect(() => parseFirmwareVersion(text, '--version')).toThrow(expect.objectContaining({ code: 'FWPKG_VERSION_INVALID' }));
    }
    try {
      parseFirmwareVersion('1.2', '--version');
    } catch (error) {
      expect(isGatewayError(error) && error.localized('zh-CN')).toBe('--version 的版本号“1.2”无效：应为 x.y.z，每段 0 至 255');
    }
  });

  it('is checked at build time: a plain string is not a FirmwareVersion until parsed', () => {
    // @ts-expect-error a string literal has not been through parseFirmwareVersion
    const unchecked: FirmwareVersion = '1.2.3';
    // @ts-expect-error not even the shape x.y.z
    const wrongShape: FirmwareVersion = '1.2';
    const checked: FirmwareVersion = parseFirmwareVersion('1.2.3');
    expect([unchecked, wrongShape, checked]).toHaveLength(3);
  });

  it('round-trips through its bytes and orders like the byte triple', () => {
    fc.assert(fc.property(version, version, (a, b) => {
      expect(versionFromBytes(...versionBytes(a))).toBe(a);
      const [x, y] = [versionBytes(a), versionBytes(b)];
      const expected = x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
      expect(Math.sign(compareVersions(a, b))).toBe(Math.sign(expected));
      expect(Math.sign(compareVersions(b, a))).toBe(-Math.sign(expected));
    }));
    expect(compareVersions(parseFirmwareVersion('1.10.0'), parseFirmwareVersion('1.9.9'))).toBeGreaterThan(0);
  });
});
