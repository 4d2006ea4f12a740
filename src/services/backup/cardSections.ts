import type { CardChannel } from '../../../contracts/CardChannel.js';
import { CardSession } from '../../devices/CardSession.js';
import { cardKind, type CardSlot } from './BackupKind.js';
import type { BackupSection, SourceChunk } from './BackupPort.js';
import { RecordingCardChannel } from './RecordingCardChannel.js';

type Reader = (session: CardSession) => Promise<unknown>;

const fiscalFiles: readonly [string, Reader][] = [
  ['EF01', (s) => s.readFiscalMonitoring()],
  ['EF02', (s) => s.readFiscalBasic()],
  ['EF03', (s) => s.readFiscalAccumulation()],
  ['EF04', (s) => s.readFiscalDeclarations()],
  ['EF05', (s) => s.readFiscalRolls()],
];

const userFiles: readonly [string, Reader][] = [
  ['EF01', (s) => s.readUserControls()],
  ['EF02', (s) => s.readUserBasic()],
  ['EF03', (s) => s.readUserTaxItems()],
  ['EF04', (s) => s.readUserDeclarations()],
  ['EF05', (s) => s.readUserPurchasedRolls()],
  ['EF06', (s) => s.readUserMachines()],
  ['EF07', (s) => s.readUserLastDistributedRoll()],
];

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One chunk per record when the reads line up with the records, else one chunk holding them all. */
function chunksOf(value: unknown, reads: Uint8Array[]): SourceChunk[] {
  const records = Array.isArray(value) ? value : value === null ? [] : [value];
  if (reads.length === records.length && records.length > 0) {
    return records.map((record, i) => ({ raw: reads[i], records: [{ record }] }));
  }
  return [{ raw: concat(reads), records: records.map((record) => ({ record })) }];
}

/**
 * The sections that back up the card in one of a register's slots (or any CardChannel): fiscal card
 * EF01–EF05, user card EF01–EF07, decoded by CardSession with the bytes as read. They are optional:
 * a missing or unreadable card is named in the manifest and the rest of the backup goes on.
 */
export function cardSections(slot: CardSlot, channel: CardChannel): BackupSection[] {
  const recorder = new RecordingCardChannel(channel);
  const session = new CardSession(recorder);
  // Powered once (a register's slot may hold an unpowered card); a card that does not answer fails every file alike.
  let powered: Promise<unknown> | undefined;
  return (slot === 'fiscal' ? fiscalFiles : userFiles).map(([file, read]) => ({
    kind: cardKind(slot, file),
    optional: true,
    async *read() {
      powered ??= channel.reset();
      await powered;
      recorder.take();
      const value = await read(session);
      yield* chunksOf(value, recorder.take());
    },
  }));
}
