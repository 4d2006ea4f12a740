import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSupportedDevices } from '../../../src/devices/discovery/supportedDevices.js';
import { defaultAllowList } from '../../../src/devices/discovery/discoveryConfig.js';

const udevFolder = new URL('../../../udev/', import.meta.url);
const rules = readFileSync(new URL('70-fiscal-gateway.rules', udevFolder), 'utf8');
const doc = readFileSync(new URL('SUPPORTED_DEVICES.md', udevFolder), 'utf8');
const unit = readFileSync(new URL('fiscald.service', udevFolder), 'utf8');

/** `vid:pid role` for every device rule of the rules file. */
function devicesInRules(): string[] {
  return rules
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#') && line.includes('idVendor'))
    .map((line) => {
      const vendor = /ATTRS?\{idVendor\}=="([0-9a-f]{4})"/.exec(line)?.[1];
      const product = /ATTRS?\{idProduct\}=="([0-9a-f]{4})"/.exec(line)?.[1];
      const role = /ENV\{FISCAL_ROLE\}="([a-z-]+)"/.exec(line)?.[1];
      return `${vendor}:${product} ${role}`;
    })
    .sort();
}

describe('the supported-device list, the udev rules, the default allow-list and the docs agree', () => {
  const devices = loadSupportedDevices();

  it('has no device twice', () => {
    const ids = devices.map((device) => `${device.vendorId}:${device.productId}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every listed device a udev rule with its role, and no rule to an unlisted device', () => {
    expect(devicesInRules()).toEqual(devices.map((device) => `${device.vendorId}:${device.productId} ${device.role}`).sort());
  });

  it('grants the fiscal group, and names registers at the top of /dev/fiscal but bridges only under by-id', () => {
    for (const line of rules.split('\n').filter((each) => each.includes('FISCAL_ROLE'))) {
      expect(line).toContain('GROUP="fiscal"');
      expect(line).toContain('MODE="0660"');
      const link = /SYMLINK\+="([^"]+)"/.exec(line)?.[1];
      if (line.includes('"bridge"')) expect(link).toMatch(/^fiscal\/by-id\//);
      else if (line.includes('"register-serial"') || line.includes('"register-hid"')) expect(link).toMatch(/^fiscal\/[a-z]+-/);
      else expect(link).toBeUndefined();
    }
  });

  it('allows by default exactly /dev/fiscal/* and the registers with their own ids', () => {
    const registers = devices.filter((device) => device.role.startsWith('register-'));
    expect(defaultAllowList(devices)).toEqual([
      '/dev/fiscal/*',
      ...registers.map((device) => `${device.role.slice('register-'.length)}:${device.vendorId}:${device.productId}`),
    ]);
  });

  it('documents every device in SUPPORTED_DEVICES.md with its role', () => {
    for (const device of devices) expect(doc).toContain(`| ${device.vendorId}:${device.productId} | ${device.role} | ${device.name} |`);
    const documentedRows = doc.split('\n').filter((line) => /^\| [0-9a-f]{4}:[0-9a-f]{4} \|/.test(line));
    expect(documentedRows).toHaveLength(devices.length);
  });

  it('runs fiscald hardened as the fiscal user with its data dir writable', () => {
    for (const directive of ['User=fiscal', 'Group=fiscal', 'DynamicUser=no', 'ProtectSystem=strict', 'StateDirectory=fiscal-gateway', 'NoNewPrivileges=yes', '--data-dir /var/lib/fiscal-gateway', 'IPAddressAllow=localhost']) {
      expect(unit).toContain(directive);
    }
  });
});
