import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/CliContext.js';
import { devicesCommand } from '../../../src/cli/commands/devicesCommand.js';
import type { DaemonClient } from '../../../src/cli/DaemonClient.js';

/** A register found in its bootloader (GB link SPEC §5.2) as `fiscalctl devices` shows it, in both languages. */
describe('fiscalctl devices: a register in its bootloader', () => {
  const device = {
    id: '4403605992674944', state: 'bootloader', simulated: false, transport: { kind: 'serial', path: '/dev/fiscal/ecr0' }, busyWithJob: null,
    identity: { machineNumber: '4403605992674944', model: 'SIM-ECR-200', firmwareVersion: '0.0.0', bootloaderVersion: '1.2.0', hardwareRevision: 'A', mode: 'bootloader' },
  };
  for (const [language, word] of [['zh-CN', '引导程序'], ['en', 'bootloader']] as const) {
    it(`is listed under its machine number as ${word} (${language})`, async () => {
      let stdout = '';
      const client = { get: async () => ({ devices: [device] }) } as unknown as DaemonClient;
      const io = { stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: () => undefined }, env: {} };
      const ctx: CliContext = {
        io, client, json: false, language, positionals: [], options: {}, commands: [],
        printJson: (value) => io.stdout.write(JSON.stringify(value)), print: (text) => io.stdout.write(text),
      };
      expect(await devicesCommand.run(ctx)).toBe(0);
      const row = stdout.split('\n').find((line) => line.startsWith('4403605992674944'));
      expect(row).toContain(word);
    });
  }
});
