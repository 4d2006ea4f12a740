import type { SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { CardSession } from '../../../src/devices/CardSession.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';

/**
 * What a declaration on the register leaves behind, played by the test: DECLARE_DUTY on the fiscal card
 * (the register's PIN, the next one stored back in the register), DATA_COLLECT onto the user card (EF04
 * waiting for the tax office) and the register's declared flag set.
 */
export async function declareOnCards(reg: SimulatedRegister, session: RegisterSession, periodEnd: string): Promise<void> {
  const fiscalChannel = session.cardChannel('fiscal');
  await fiscalChannel.reset();
  const fiscal = new CardSession(fiscalChannel);
  const monitoring = await fiscal.readFiscalMonitoring();
  const next = await fiscal.verifyFiscalPin(Uint8Array.from(Buffer.from(reg.simulator.state.fiscal.pin!.current, 'hex')));
  reg.simulator.memory.setPin(Buffer.from(next).toString('hex'));
  const block = {
    periodStart: `${periodEnd.slice(0, 8)}01`, periodEnd, validCount: 3, returnCount: 0, voidCount: 0,
    taxIndex: [...monitoring.taxIndex], validAmounts: [1000, 0, 0, 0, 0, 0], returnAmounts: [0, 0, 0, 0, 0, 0],
  };
  const result = await fiscal.declareDuty(block);
  const userChannel = session.cardChannel('user');
  await userChannel.reset();
  const { cardNumber } = await fiscal.readFiscalBasic();
  await new CardSession(userChannel).dataCollect({ fiscalCardNumber: cardNumber, declaration: block, result });
  reg.simulator.state.fiscal.declaredFlag = true;
}

/** The tax office takes the declaration and writes new control data for this fiscal card onto the user card. */
export function taxOfficeCompletes(reg: SimulatedRegister, issueDeadline: string, singleInvoiceLimit: number): void {
  const fiscal = reg.cards.fiscal.snapshot().personalization;
  reg.cards.user.taxOfficeAcceptDeclarations();
  reg.cards.user.taxOfficeIssueControls({
    fiscalCardNumber: fiscal.cardNumber, issueDeadline, singleInvoiceLimit, cumulativeLimit: 900_000_000, returnLimit: 50_000_000,
    taxIndex: [...fiscal.monitoring.taxIndex], flags: 0,
  });
}
