import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { createInspectionCard, createMatchingCardSet } from '../../../fixtures/cards/cardSet.js';
import { ReaderDirectory } from '../../../src/devices/readers/ReaderDirectory.js';
import { lendingPort } from '../../helpers/fakeDevicePort.js';
import { createSimulatedReaders, SIMULATED_READER_NAMES, type SimulatedReaders } from '../../../fixtures/simulate/simulatedReaders.js';
import { simulatedReaderCardPath } from '../../../fixtures/simulate/simulatorFiles.js';
import { readCard } from '../../../src/services/cards/readCard.js';

const silent = pino({ level: 'silent' });
const dirs: string[] = [];
const open: SimulatedReaders[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fiscald-readers-'));
  dirs.push(dir);
  return dir;
}
async function start(options: Parameters<typeof createSimulatedReaders>[0]): Promise<SimulatedReaders> {
  const readers = await createSimulatedReaders(options);
  open.push(readers);
  return readers;
}
afterEach(async () => {
  for (const readers of open.splice(0)) await readers.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** G's reader directory with no register: only the simulated PC/SC readers. */
function directory(readers: SimulatedReaders) {
  return new ReaderDirectory({ registers: { list: () => [] }, devices: lendingPort(), pcsc: readers.pcsc });
}

describe('simulated card readers', () => {
  it('are listed by the reader directory as PC/SC readers with their cards, and read like any card', async () => {
    const set = createMatchingCardSet({ machineNumber: '4403000000000042', userCardNumber: '4403200000000042' });
    const readers = await start({ userCard: set.user, logger: silent });
    const list = await directory(readers).list();
    expect(list.map((r) => [r.name, r.kind, r.card])).toEqual([
      [SIMULATED_READER_NAMES[0], 'pcsc', 'present'],
      [SIMULATED_READER_NAMES[1], 'pcsc', 'present'],
    ]);
    expect(list.every((r) => typeof r.atr === 'string' && r.atr.startsWith('3B'))).toBe(true);

    const user = await directory(readers).withChannel(SIMULATED_READER_NAMES[0], (channel) => readCard(channel));
    expect(user).toMatchObject({ channel: 'pcsc', kind: 'user', user: { cardNumber: '4403200000000042' } });
    expect(user.user?.machines).toEqual([expect.objectContaining({ machineNumber: '4403000000000042' })]);
    const inspection = await directory(readers).withChannel(SIMULATED_READER_NAMES[1], (channel) => readCard(channel));
    expect(inspection).toMatchObject({ kind: 'inspection', inspection: { holderName: '稽查员' } });
  });

  it('answers READER_NOT_FOUND for another name and CARD_REMOVED once the card is pulled', async () => {
    const readers = await start({ userCard: createMatchingCardSet().user, logger: silent });
    const failure = await directory(readers).withChannel('Simulated Reader 9', async () => 'read').catch((error: unknown) => error);
    expect(isGatewayError(failure) && failure.code).toBe('READER_NOT_FOUND');
    const pulled = await directory(readers).withChannel(SIMULATED_READER_NAMES[1], async (channel) => {
      await channel.reset();
      readers.readers[1]!.channel.remove();
      return channel.transmit(Uint8Array.of(0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00)).catch((error: unknown) => error);
    });
    expect(isGatewayError(pulled) && pulled.code).toBe('CARD_REMOVED');
  });

  it('keep their cards in the data dir and read them back at the next start', async () => {
    const dataDir = scratch();
    const first = await start({ userCard: createMatchingCardSet({ userCardNumber: '4403200000000001' }).user, dataDir, logger: silent });
    expect(existsSync(simulatedReaderCardPath(dataDir, 0))).toBe(true);
    expect(existsSync(simulatedReaderCardPath(dataDir, 1))).toBe(true);
    await first.close();
    open.splice(0);
    // The card on disk is what comes back, not a new spare of whatever register is passed now.
    createInspectionCard({ holderName: '李稽查' }, { persistPath: simulatedReaderCardPath(dataDir, 1) });
    const second = await start({ userCard: createMatchingCardSet({ userCardNumber: '4403200000000777' }).user, dataDir, logger: silent });
    const user = await directory(second).withChannel(SIMULATED_READER_NAMES[0], (channel) => readCard(channel));
    expect(user.user?.cardNumber).toBe('4403200000000001');
    const inspection = await directory(second).withChannel(SIMULATED_READER_NAMES[1], (channel) => readCard(channel));
    expect(inspection.inspection?.holderName).toBe('李稽查');
  });

  it('set an unreadable card file aside and make the card anew', async () => {
    const dataDir = scratch();
    const first = await start({ userCard: createMatchingCardSet().user, dataDir, logger: silent });
    await first.close();
    open.splice(0);
    writeFileSync(simulatedReaderCardPath(dataDir, 1), '{"kind":"nonsense"}');
    const second = await start({ userCard: createMatchingCardSet().user, dataDir, logger: silent });
    const inspection = await directory(second).withChannel(SIMULATED_READER_NAMES[1], (channel) => readCard(channel));
    expect(inspection.kind).toBe('inspection');
    expect(readdirSync(join(dataDir, 'simulator')).filter((name) => name.startsWith('reader-1-card.json.unreadable-'))).toHaveLength(1);
  });
});
