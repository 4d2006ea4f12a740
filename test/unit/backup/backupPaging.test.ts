import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import type { SimulatorEvent } from '../../../fixtures/simulator/RegisterSimulator.js';
import type { SimulatorProfileInput } from '../../../fixtures/simulator/SimulatorProfile.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { CMD, INVOICE_RECORD_SIZE } from '../../../protocols/gb-link/index.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { bulkPageSizes } from '../../../src/devices/session/paging.js';
import type { BackupPort, BackupSection, SourceChunk } from '../../../src/services/backup/BackupPort.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { openRegisterBackupPort, readAhead } from '../../../src/services/backup/registerBackupPort.js';
import { sampleDevice, tempStore } from './sampleBackup.js';

const open: { register: SimulatedRegister; session: RegisterSession }[] = [];
afterEach(async () => {
  for (const { register, session } of open.splice(0)) {
    await session.close();
    await register.close();
  }
});

/** 130 days of 5 invoices (650): one page of 1024, three of 256. */
async function backedUp(profile: SimulatorProfileInput) {
  const register = await createSimulatedRegister({ seed: 9, history: { days: 130, invoicesPerDay: 5 }, timing: { timed: false }, profile });
  const session = await RegisterSession.open(register.transport, { deviceId: 'sim' });
  open.push({ register, session });
  const sent: number[] = [];
  register.simulator.onEvent((event: SimulatorEvent) => { if (event.type === 'command') sent.push(event.cmd); });
  const { manifest } = await collectBackup(await openRegisterBackupPort(session, { deviceId: 'sim', cards: false }), await tempStore());
  const memory = register.simulator.memory.counts();
  expect(manifest.problems).toEqual([]);
  expect(manifest.kinds.invoices).toMatchObject({ records: memory.invoices, expected: memory.invoices });
  expect(manifest.kinds.daily).toMatchObject({ records: memory.dailyRecords, expected: memory.dailyRecords });
  return { invoices: memory.invoices, requests: (cmd: number) => sent.filter((c) => c === cmd).length };
}

describe('backup page sizes (bulkPageSizes)', () => {
  it('are 1024 records and 366 days with 74 listed, 256 and 62 without', () => {
    expect(bulkPageSizes(true)).toEqual({ records: 1024, days: 366 });
    expect(bulkPageSizes(false)).toEqual({ records: 256, days: 62 });
  });

  it('a register that lists 74 is read in pages of 1024 invoices and 366 days', async () => {
    const { invoices, requests } = await backedUp({});
    expect(invoices).toBeGreaterThan(512);
    expect(invoices).toBeLessThanOrEqual(1024);
    expect(requests(CMD.INVOICES_BY_INDEX)).toBe(1);
    expect(requests(CMD.DAILY_RECORDS)).toBe(1);
  });

  it('a register without 74 is read in pages of 256 invoices and 62 days', async () => {
    const { invoices, requests } = await backedUp({ without: [CMD.WINDOWED_TRANSFER] });
    expect(requests(CMD.INVOICES_BY_INDEX)).toBe(Math.ceil(invoices / 256));
    expect(requests(CMD.DAILY_RECORDS)).toBe(Math.ceil(131 / 62));
  });

  it('the larger pages are still cut to what the advertised max message holds', async () => {
    const { invoices, requests } = await backedUp({ maxMessage: 4096 });
    expect(requests(CMD.INVOICES_BY_INDEX)).toBe(Math.ceil(invoices / Math.floor((4096 - 4) / INVOICE_RECORD_SIZE)));
  });
});

describe('reading ahead of the writer', () => {
  it('two backups of the same register read ahead give the same files (but the clock and the status, which holds it)', async () => {
    const register = await createSimulatedRegister({ seed: 4, history: { days: 90, invoicesPerDay: 8 }, timing: { timed: false } });
    const session = await RegisterSession.open(register.transport, { deviceId: 'sim' });
    open.push({ register, session });
    const files = async () => {
      const { manifest } = await collectBackup(await openRegisterBackupPort(session, { deviceId: 'sim', pageSize: 100, dailyWindowDays: 7 }), await tempStore());
      return manifest.files.filter((f) => !/^(datetime|status)\./.test(f.path) && !f.path.startsWith('manifest') && f.path !== 'SHA256SUMS');
    };
    const first = await files();
    expect(first.map((f) => f.path)).toEqual(expect.arrayContaining(['invoices.jsonl', 'invoices.raw', 'daily.jsonl', 'cards/user-EF03.jsonl']));
    expect(await files()).toEqual(first);
  });

  it('readAhead asks for the next page before the current one is handed on, and nothing twice', async () => {
    const asked: string[] = [];
    async function* pages() {
      for (let i = 1; i <= 3; i++) {
        asked.push(`ask ${i}`);
        yield i;
      }
      asked.push('end');
    }
    const got: number[] = [];
    for await (const page of readAhead(pages())) {
      asked.push(`use ${page}`);
      got.push(page);
    }
    expect(got).toEqual([1, 2, 3]);
    expect(asked).toEqual(['ask 1', 'ask 2', 'use 1', 'ask 3', 'use 2', 'end', 'use 3']);
  });

  it('readAhead passes a failure of the page ahead on where that page is reached', async () => {
    async function* pages() {
      yield 1;
      throw new Error('page 2 failed');
    }
    const got: number[] = [];
    await expect((async () => {
      for await (const page of readAhead(pages())) got.push(page);
    })()).rejects.toThrow('page 2 failed');
    expect(got).toEqual([1]);
  });

  const chunk = (n: number): SourceChunk => ({ raw: Uint8Array.of(n), records: [{ record: { n } }] });

  function port(sections: BackupSection[]): BackupPort {
    return { device: sampleDevice, holdings: async () => ({ problems: [] }), sections: () => sections };
  }

  it('collectBackup reads the next section while the last chunk of the one before is still being written', async () => {
    const events: string[] = [];
    const section = (kind: string, n: number): BackupSection => ({
      kind,
      async *read() {
        events.push(`read ${kind}`);
        yield chunk(n);
      },
    });
    const { manifest } = await collectBackup(port([section('tax-items', 1), section('datetime', 2)]), await tempStore(), {
      onProgress: (p) => events.push(`written ${p.kind}`),
    });
    expect(events.indexOf('read datetime')).toBeLessThan(events.indexOf('written tax-items'));
    expect(manifest.kinds['tax-items']!.records).toBe(1);
    expect(manifest.kinds.datetime!.records).toBe(1);
  });

  it('an optional section that fails half way keeps what it gave, the sections after it are read whole and in order', async () => {
    const sections: BackupSection[] = [
      {
        kind: 'init-history', optional: true,
        async *read() {
          yield chunk(1);
          throw new Error('lost');
        },
      },
      {
        kind: 'invoices', expected: 3,
        async *read() {
          for (const n of [2, 3, 4]) yield chunk(n);
        },
      },
    ];
    const { manifest } = await collectBackup(port(sections), await tempStore());
    expect(manifest.kinds['init-history']!.records).toBe(1);
    expect(manifest.kinds.invoices).toMatchObject({ records: 3, expected: 3 });
    expect(manifest.problems.map((p) => `${p.check} ${p.kind}`)).toEqual(['read init-history']);
  });

  it('an optional section cut by the register link (it stopped answering) ends the backup: absent is optional, a dead link is not', async () => {
    const store = await tempStore();
    const sections: BackupSection[] = [
      { kind: 'invoices', expected: 1, async *read() { yield chunk(1); } },
      { kind: 'cards/user-EF01', optional: true, async *read() { throw new GatewayError('LINK_TIMEOUT', { params: { command: '5B', ms: 2000 } }); } },
      { kind: 'tax-items', async *read() { yield chunk(2); } },
    ];
    await expect(collectBackup(port(sections), store)).rejects.toMatchObject({ code: 'BACKUP_READ_FAILED' });
    expect(await store.list()).toEqual([]);
  });

  it('a section that must be read and fails ends the backup with nothing committed', async () => {
    const store = await tempStore();
    const sections: BackupSection[] = [
      { kind: 'datetime', async *read() { yield chunk(1); throw new Error('cut'); } },
      { kind: 'tax-items', async *read() { yield chunk(2); } },
    ];
    await expect(collectBackup(port(sections), store)).rejects.toMatchObject({ code: 'BACKUP_READ_FAILED' });
    expect(await store.list()).toEqual([]);
  });
});
