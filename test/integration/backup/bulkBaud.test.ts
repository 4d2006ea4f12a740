import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { bulkRate, withBulkBaud } from '../../../src/devices/bulkBaud.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../../../src/services/backup/registerBackupPort.js';
import { entryPoint } from '../../helpers/entryPoints.js';
import { socatMissingReason, startPtyPair, type PtyPair } from '../../helpers/socat.js';
import { tempStore } from '../../unit/backup/sampleBackup.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const missing = socatMissingReason();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function serve(pty: PtyPair): Promise<{ invoices: number; dailyRecords: number }> {
  return new Promise((resolveReady, reject) => {
    const child: ChildProcess = spawn(process.execPath, [
      ...entryPoint('simulator-serve'),
      '--port', pty.b, '--baud', '9600', '--days', '20', '--invoices-per-day', '4',
    ], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup.push(() => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      process.kill(child.pid!, 'SIGTERM');
    }));
    child.once('error', reject);
    createInterface({ input: child.stdout! }).once('line', (line) => resolveReady(JSON.parse(line) as { invoices: number; dailyRecords: number }));
  });
}

describe('bulkRate', () => {
  it('picks the fastest offered rate up to the ceiling, only when faster than now', () => {
    expect(bulkRate([9600, 115200, 460800, 921600, 1_500_000], 9600)).toBe(921600);
    expect(bulkRate([9600, 115200], 115200)).toBeUndefined();
    expect(bulkRate([], 9600)).toBeUndefined();
  });
});

describe.skipIf(missing !== undefined)(`backup at the bulk rate over a pty${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('switches the line to the fastest rate for the backup and back to 9600 after it', async () => {
    const pty = await startPtyPair();
    cleanup.push(() => pty.stop());
    const ready = await serve(pty);
    const transport = new SerialTransport({ path: pty.a, baudRate: 9600 });
    const session = await RegisterSession.open(transport, { deviceId: 'pty' });
    cleanup.push(() => session.close());
    let rateDuringBackup = 0;
    const { manifest } = await withBulkBaud(session, async () => {
      rateDuringBackup = transport.baudRate;
      return collectBackup(await openRegisterBackupPort(session, { cards: false }), await tempStore());
    });
    expect(rateDuringBackup).toBe(921600);
    expect(manifest.problems).toEqual([]);
    expect(manifest.kinds.invoices.records).toBe(ready.invoices);
    expect(manifest.kinds.daily.records).toBe(ready.dailyRecords);
    expect(transport.baudRate).toBe(9600);
    await session.connect();
  }, 60_000);
});
