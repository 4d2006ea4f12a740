import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import {
  DEFAULT_REGISTER_UTC_OFFSET_MINUTES, epochOfLocal, formatUtcOffset, localDateTime, registerInstant, registerTimeZoneSchema,
} from '../../../protocols/gb-link/registerTimeZone.js';
import { loadDaemonConfig, parseDaemonArgs } from '../../../src/daemon/loadDaemonConfig.js';

describe('the register time zone (SPEC.md §4.1)', () => {
  it('is China Standard Time unless configured', () => {
    expect(DEFAULT_REGISTER_UTC_OFFSET_MINUTES).toBe(480);
    expect(loadDaemonConfig(parseDaemonArgs([]), {}).registerUtcOffset).toBe(480);
  });

  it('is configured once: file, FISCALD_REGISTER_UTC_OFFSET or --register-utc-offset, as +HH:MM, -HH:MM or Z', () => {
    expect(loadDaemonConfig(parseDaemonArgs(['--register-utc-offset', 'Z']), {}).registerUtcOffset).toBe(0);
    expect(loadDaemonConfig(parseDaemonArgs([]), { FISCALD_REGISTER_UTC_OFFSET: '-05:30' }).registerUtcOffset).toBe(-330);
    expect(loadDaemonConfig(parseDaemonArgs(['--register-utc-offset', '+07:00']), { FISCALD_REGISTER_UTC_OFFSET: '+09:00' }).registerUtcOffset).toBe(420);
    for (const bad of ['8', '+8:00', 'UTC+8', '+15:00', '+08:60', 'Asia/Shanghai']) {
      let error: unknown;
      try { loadDaemonConfig(parseDaemonArgs(['--register-utc-offset', bad]), {}); } catch (e) { error = e; }
      expect(isGatewayError(error, 'CONFIG_INVALID'), bad).toBe(true);
    }
  });

  it('reads a register clock in its zone: 08:00 on a UTC+8 register and 00:00 on a UTC register are the same instant', () => {
    expect(registerInstant('2026-11-22T08:00:00', 480).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(registerInstant('2026-11-22T00:00:00', 0).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(localDateTime(Date.UTC(2026, 10, 21, 20, 30), 480)).toBe('2026-11-22T04:30:00');
    expect(formatUtcOffset(480)).toBe('+08:00');
    expect(formatUtcOffset(-330)).toBe('-05:30');
    expect(formatUtcOffset(0)).toBe('+00:00');
  });

  it('round-trips any instant and any zone, and parses every zone it formats', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: -720, max: 840 }), (seconds, offset) => {
      const ms = seconds * 1000;
      expect(epochOfLocal(localDateTime(ms, offset), offset)).toBe(ms);
      expect(registerTimeZoneSchema.parse(formatUtcOffset(offset))).toBe(offset);
    }));
  });
});
