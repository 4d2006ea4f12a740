import { GatewayError } from '../../../contracts/errors/index.js';
import type { BackupPort, BackupSection, SourceChunk } from '../../../src/services/backup/BackupPort.js';
import { sampleDevice } from './sampleBackup.js';

export interface FakeRegisterOptions {
  readonly days?: number;
  readonly invoicesPerDay?: number;
  /** Invoice numbers that are missing from what the register returns. */
  readonly dropInvoices?: readonly number[];
  /** Daily record index whose signature is cut short. */
  readonly badSignatureDay?: number;
  readonly userCardAbsent?: boolean;
  /** Throws while reading this kind. */
  readonly failKind?: string;
  /** Aborts this controller after that many invoices. */
  readonly abortAfterInvoices?: { controller: AbortController; count: number };
  /** Claims one more invoice than it returns. */
  readonly overstateInvoices?: boolean;
}

const CODE = '00000000001100000001';
const START = Date.parse('2024-11-23T00:00:00Z');
export const dayOf = (i: number) => new Date(START + i * 86_400_000).toISOString().slice(0, 10);

/** A register in memory: `days` of daily records, invoices in rolls of 1000, one fiscal card file. */
export function fakeBackupPort(options: FakeRegisterOptions = {}): BackupPort {
  const days = options.days ?? 30;
  const perDay = options.invoicesPerDay ?? 3;
  const total = days * perDay;
  const dropped = new Set(options.dropInvoices ?? []);
  const rollCount = Math.ceil(total / 1000);
  const signature = (i: number) => Uint8Array.from({ length: i === options.badSignatureDay ? 100 : 128 }, (_, k) => (k + i) & 0xff);

  const section = (kind: string, expected: number | undefined, chunks: () => Iterable<SourceChunk>, optional = false): BackupSection => ({
    kind, expected, optional,
    async *read(signal) {
      if (kind === options.failKind) throw new GatewayError('TIMEOUT', { params: { what: 'the register' } });
      for (const chunk of chunks()) {
        if (signal.aborted) return;
        yield chunk;
      }
    },
  });

  return {
    device: sampleDevice,
    async holdings() {
      return { initializedOn: dayOf(0), lastDailyDate: dayOf(days - 1) };
    },
    sections: () => [
      section('factory', 1, function* () {
        yield { raw: Uint8Array.of(0x37, 1), records: [{ record: { machineNumber: sampleDevice.machineNumber } }] };
      }),
      section('rolls', rollCount, function* () {
        for (let r = 0; r < rollCount; r++) {
          const roll = { code: CODE, start: 1 + r * 1000, end: (r + 1) * 1000 };
          yield { raw: Uint8Array.of(0x3c, r), records: [{ record: roll, facts: { roll: { ...roll, usedThrough: Math.min(total, roll.end) } } }] };
        }
      }),
      section('daily', days, function* () {
        for (let i = 0; i < days; i++) {
          yield { raw: signature(i), records: [{ record: { date: dayOf(i) }, facts: { date: dayOf(i), integrity: { signature: signature(i) } } }] };
        }
      }),
      section('invoices', options.overstateInvoices ? total + 1 : total - dropped.size, function* () {
        for (let n = 1; n <= total; n++) {
          if (options.abortAfterInvoices && n > options.abortAfterInvoices.count) options.abortAfterInvoices.controller.abort();
          if (dropped.has(n)) continue;
          const date = dayOf(Math.floor((n - 1) / perDay));
          yield { raw: Uint8Array.of(0x3f, n & 0xff), records: [{ record: { code: CODE, number: n, date }, facts: { date, number: n, invoice: { code: CODE, number: n } } }] };
        }
      }),
      section('cards/fiscal-EF02', 1, function* () {
        yield { raw: Uint8Array.of(0, 1, 2), records: [{ record: { cardType: 0 } }] };
      }),
      section('cards/user-EF01', undefined, function* () {
        if (options.userCardAbsent) throw new GatewayError('TIMEOUT', { params: { what: 'the user card' } });
        yield { raw: Uint8Array.of(9), records: [{ record: { slot: 'user' } }] };
      }, true),
    ],
  };
}
