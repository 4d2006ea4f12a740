import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { VirtualFiscalCard, type FiscalCardProfile } from '../../../fixtures/cards/index.js';
import { prepareSimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const isRealVerification = (apdu: string) => apdu.startsWith('C0F9') && apdu.length === 2 * (5 + 8 + 1);

/** Watches one fiscal card: every APDU, and any move of its try counter that a real verification did not make. */
export function watch(card: VirtualFiscalCard) {
  const apdus: string[] = [];
  const moves: string[] = [];
  const process = card.process.bind(card);
  card.process = (apdu: Uint8Array) => {
    const before = card.pinTriesLeft;
    const response = process(apdu);
    const command = hex(apdu);
    apdus.push(command);
    if (card.pinTriesLeft !== before && !isRealVerification(command)) moves.push(`${command}: ${before} → ${card.pinTriesLeft}`);
    return response;
  };
  return {
    apdus, moves,
    /** Commands that could count a try: any F9 but a real verification. */
    get countingQueries() { return apdus.filter((a) => a.startsWith('C0F9') && !isRealVerification(a)); },
    get verifications() { return apdus.filter(isRealVerification).length; },
  };
}

/** An initialized simulated register whose fiscal card behaves as `profile`, reached over the memory pair. */
export async function initializedRegister(
  profile: FiscalCardProfile,
  history: { days: number; invoicesPerDay: number; declaredAndPaid?: boolean },
  /** Laid over the fiscal card's state (e.g. `rolls: []` for a card that shows no sign of use). */
  fiscalState: Record<string, unknown> = {},
) {
  const prepared = prepareSimulatedRegister({ seed: 7, history });
  const snapshot = prepared.cards.fiscal.snapshot();
  const fiscal = VirtualFiscalCard.restore({ ...snapshot, personalization: { ...snapshot.personalization, profile }, state: { ...snapshot.state, ...fiscalState } });
  const cards = { fiscal, user: prepared.cards.user };
  const simulator = new RegisterSimulator({ state: prepared.state, cards, timing: { timed: false } });
  const { host, device } = createMemoryTransportPair('memory:strict-flows');
  await simulator.attach(device);
  const session = await RegisterSession.open(host, { deviceId: 'strict-flows', replyTimeoutMs: 300, settleMs: 10, retries: 1 });
  const watched = watch(fiscal);
  return {
    simulator, session, fiscal, user: prepared.cards.user, watched,
    async close() {
      await session.close().catch(() => undefined);
      simulator.detach();
      await device.close();
      await host.close();
    },
  };
}

