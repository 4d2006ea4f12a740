import { describe, expect, it } from 'vitest';
import { defaultAllowList, parseDiscoveryConfig } from '../../../src/devices/discovery/discoveryConfig.js';
import { ruleAllows } from '../../../src/devices/discovery/AllowRule.js';

describe('discovery configuration', () => {
  it('defaults to the /dev/fiscal names, a 1 s poll, 9600 baud and every bus', () => {
    const config = parseDiscoveryConfig(undefined);
    expect(config.allow.map((rule) => rule.text)).toEqual(defaultAllowList());
    expect(config.allow[0]).toMatchObject({ type: 'path', pattern: '/dev/fiscal/*' });
    expect(config.pollIntervalMs).toBe(1000);
    expect(config.baudRate).toBe(9600);
    expect(config.buses).toEqual(['serial', 'usb', 'hid']);
  });

  it('leaves general-purpose USB-serial bridges out of the default allow-list', () => {
    const defaults = defaultAllowList([
      { vendorId: '1a86', productId: '7523', role: 'bridge', name: 'CH340' },
      { vendorId: '1234', productId: 'abcd', role: 'register-hid', name: 'a register' },
      { vendorId: '072f', productId: '90cc', role: 'reader', name: 'ACR38U' },
    ]);
    expect(defaults).toEqual(['/dev/fiscal/*', 'hid:1234:abcd']);
  });

  it('parses VID:PID rules with and without a transport, and path globs', () => {
    const { allow } = parseDiscoveryConfig({ allow: ['1A86:7523', 'hid:0483:5750', '/dev/fiscal/reg-?', '/dev/ttyS0'] });
    expect(allow[0]).toEqual({ type: 'ids', vendorId: 0x1a86, productId: 0x7523, text: '1A86:7523' });
    expect(allow[1]).toMatchObject({ type: 'ids', kind: 'hid', vendorId: 0x0483, productId: 0x5750 });
    expect(ruleAllows(allow[2]!, { kind: 'serial', path: '/dev/fiscal/reg-1' })).toBe(true);
    expect(ruleAllows(allow[2]!, { kind: 'serial', path: '/dev/fiscal/reg-12' })).toBe(false);
    expect(ruleAllows(allow[2]!, { kind: 'serial', path: '/dev/fiscal/x/reg-1' })).toBe(false);
    expect(ruleAllows(allow[3]!, { kind: 'serial', path: '/dev/ttyS0' })).toBe(true);
    expect(ruleAllows(allow[3]!, { kind: 'serial', path: '/dev/ttyS01' })).toBe(false);
  });

  it('refuses bad rules and values with DEVICE_CONFIG_INVALID naming the field', () => {
    for (const bad of [
      { allow: ['1a86-7523'] },
      { allow: ['dev/fiscal/*'] },
      { allow: ['/dev/*/reg'] },
      { allow: ['usb:1a86:75231'] },
      { pollIntervalMs: 5000 },
      { baudRate: 1200 },
      { buses: ['bluetooth'] },
    ]) {
      let error: unknown;
      try {
        parseDiscoveryConfig(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(bad)).toMatchObject({ code: 'DEVICE_CONFIG_INVALID' });
      expect((error as Error).message).toContain(Object.keys(bad)[0]!);
    }
  });
});
