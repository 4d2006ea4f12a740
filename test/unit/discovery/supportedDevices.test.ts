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

  it('grants the fiscal group, and names registers at the top of /dev/fiscal but bridges only in its by-id and by-path folders', () => {
    for (const line of rules.split('\n').filter((each) => each.includes('FISCAL_ROLE'))) {
      expect(line).toContain('GROUP="fiscal"');
      expect(line).toContain('MODE="0660"');
      const links = [...line.matchAll(/SYMLINK\+="([^"]+)"/g)].map((match) => match[1]!);
      if (line.includes('"bridge"')) {
        // Two CH340s have the same ID_SERIAL (the chip has no serial number): the port path tells them apart.
        expect(links).toEqual(['fiscal/by-id/$env{ID_SERIAL}-if$env{ID_USB_INTERFACE_NUM}', 'fiscal/by-path/$env{ID_PATH}']);
        expect(line).toContain('IMPORT{builtin}="usb_id"');
        expect(line).toContain('IMPORT{builtin}="path_id"');
      } else if (line.includes('"register-serial"') || line.includes('"register-hid"')) {
        expect(links).toHaveLength(1);
        expect(links[0]).toMatch(/^fiscal\/[a-z]+-/);
      } else {
        expect(links).toEqual([]);
      }
    }
  });

  it('shows in SUPPORTED_DEVICES.md the bridge names the rules really make', () => {
    const examples = [...doc.matchAll(/\/dev\/fiscal\/by-(?:id|path)\/[^\s"`<]+(?=[\s"`])/g)];
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) {
      expect(name[0]).toMatch(/^\/dev\/fiscal\/by-id\/[0-9a-f]{4}_[^\s/]+-if\d\d$|^\/dev\/fiscal\/by-path\/(?:pci|platform)-[^\s/]+-usb-[0-9.:]+$/);
    }
  });

  it('loads at boot the modules that register the device groups the unit allows, so a bridge plugged in later can be opened', () => {
    const modules = readFileSync(new URL('fiscal-gateway-modules.conf', udevFolder), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
    const groups = [...unit.matchAll(/^DeviceAllow=char-(\S+) rw$/gm)].map((match) => match[1]);
    const moduleOfGroup: Record<string, string | undefined> = { ttyUSB: 'usbserial', ttyACM: 'cdc_acm', hidraw: 'hid', ttyS: undefined, usb_device: undefined };
    for (const group of groups) {
      expect(Object.keys(moduleOfGroup)).toContain(group);
      const module = moduleOfGroup[group!];
      if (module) expect(modules).toContain(module);
    }
    expect(doc).toContain('/etc/modules-load.d/fiscal-gateway.conf');
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
