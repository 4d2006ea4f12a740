import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { cardSessions as sessions, rejection } from './helpers.js';

describe.each(['t1', 't0'] as const)('three-way registration over %s', (transmission) => {
  it('reads EF02 of both cards and registers the fiscal card', async () => {
    const { set, fiscal, user } = sessions({ transmission });
    expect(await fiscal.identify()).toBe('fiscal');
    expect(await user.identify()).toBe('user');

    const fiscalBasic = await fiscal.readFiscalBasic();
    expect(fiscalBasic).toMatchObject({
      cardType: 0, registrationFlag: 0, cardNumber: '4403100000000001', machineNumber: set.machineNumber,
      taxpayerName: '深圳市示例商贸有限公司', taxpayerId: '91440300MA5EXAMPLE',
    });
    const userBasic = await user.readUserBasic();
    expect(userBasic).toMatchObject({ cardType: 1, taxpayerNumber: fiscalBasic.taxpayerNumber, taxpayerName: fiscalBasic.taxpayerName });

    const challenge = await fiscal.getRegisterNb();
    expect(challenge.fiscalCardNumber).toBe(fiscalBasic.cardNumber);
    const mac2 = await user.registerSign(challenge);
    const pin = await fiscal.terminalRegister(mac2);
    expect(pin).toEqual(set.fiscal.currentPin);
    expect((await fiscal.readFiscalRegistration()).state).toBe('registered');

    const nextPin = await fiscal.verifyFiscalPin(pin);
    expect(nextPin).not.toEqual(pin);
    expect(nextPin).toEqual(set.fiscal.currentPin);
  });
});

describe('registration failures', () => {
  it('refuses a wrong MAC2 with 9302 as CARD_MAC_MISMATCH', async () => {
    const { fiscal, user } = sessions({ defect: 'foreign-issuer-key' });
    const challenge = await fiscal.getRegisterNb();
    const error = await rejection(user.registerSign(challenge));
    expect(isGatewayError(error, 'CARD_MAC_MISMATCH')).toBe(true);
    expect(error.data.sw).toBe('9302');
    const forged = await rejection(fiscal.terminalRegister(Uint8Array.of(1, 2, 3, 4)));
    expect(isGatewayError(forged, 'CARD_MAC_MISMATCH')).toBe(true);
  });
});
