import { afterAll, beforeAll, expect, it } from 'vitest';
import { PcscReaders } from '../../../drivers/pcsc/PcscReaders.js';
import type { PcscCard } from '../../../drivers/pcsc/PcscCard.js';
import { VpcdBridge } from '../../../fixtures/vpcd/VpcdBridge.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { describeWithPcscd, startPcscd, type RunningPcscd } from '../../helpers/pcscd.js';
import { RecordingReporter, startSimulatedRegister, type SimulatedRegister } from '../../unit/initialize/harness.js';

/**
 * The same initialization through the real pcscd + vpcd path: the user card in one PC/SC reader,
 * the fiscal card in another. The fiscal card is the very card the register's fiscal slot holds, as
 * on a register whose fiscal-card slot is also a CCID reader of the PC (a USB composite device): the
 * gateway authenticates through PC/SC, the register verifies the PIN through its own slot at GB link 30.
 */
describeWithPcscd('initialization with the cards in PC/SC readers (real pcscd + vpcd)', () => {
  let pcscd: RunningPcscd;
  let readers: PcscReaders;
  let register: SimulatedRegister;
  const bridges: VpcdBridge[] = [];
  const cards: PcscCard[] = [];

  beforeAll(async () => {
    pcscd = await startPcscd();
    register = await startSimulatedRegister({
      channels: () => ({ fiscal: cards[0]!, user: cards[1]! }),
    });
    register.sim.removeCard('user');
    const [fiscalReader, userReader] = pcscd.readers;
    bridges.push(new VpcdBridge({ card: register.set.fiscal, port: fiscalReader!.port }), new VpcdBridge({ card: register.set.user, port: userReader!.port }));
    readers = await PcscReaders.open();
    for (const bridge of bridges) await bridge.insert();
    for (const reader of [fiscalReader!, userReader!]) {
      await readers.waitForCard(reader.name, 10_000);
      cards.push(await readers.connect(reader.name));
    }
    await register.reconnect();
  });

  afterAll(async () => {
    for (const card of cards) await card.disconnect().catch(() => undefined);
    await readers?.close();
    for (const bridge of bridges) await bridge.stop();
    await register?.close();
    await pcscd?.stop();
  });

  it('reads both cards through PC/SC the way it reads them in register slots', async () => {
    const fiscal = await readCard(cards[0]!);
    const user = await readCard(cards[1]!);
    expect(fiscal).toMatchObject({ channel: 'pcsc', kind: 'fiscal', fiscal: { machineNumber: register.set.machineNumber, registration: 'not-registered' } });
    expect(user).toMatchObject({ channel: 'pcsc', kind: 'user' });
    expect(user.user?.taxItems.map((t) => t.rate.percent)).toEqual(['13.00', '6.00', '6.00']);
  });

  it('dry-runs and initializes with the authentication through the PC/SC readers; the read-back matches', async () => {
    const dry = await dryRunInitialization(register.target, register.deps);
    expect(dry.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([]);
    expect(dry.checks.find((c) => c.id === 'user-card-type')?.passed).toBe(true);
    const reporter = new RecordingReporter();
    const result = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, reporter);
    expect(result.readBack.every((f) => f.matches)).toBe(true);
    expect(register.set.fiscal.registered).toBe(true);
    expect(register.sim.memory.initialized).toBe(true);
    expect(reporter.before).toMatchObject({ fiscalCard: { where: pcscd.readers[0]!.name }, userCard: { where: pcscd.readers[1]!.name } });
    expect((await readCard(cards[0]!)).fiscal?.pinTries).toEqual({ known: true, left: 3, source: 'query' });
  });
});
