import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { createInspectionCard, VirtualCardChannel } from '../../../fixtures/cards/index.js';
import { CardSession } from '../../../src/devices/CardSession.js';
import { cardSessions, hex, rejection, register, tampered } from './helpers.js';

const totals = (date: string) => ({
  date, validCount: 1, returnCount: 0, voidCount: 0, taxIndex: [1, 0, 0, 0, 0, 0], validAmounts: [100, 0, 0, 0, 0, 0], returnAmounts: [0, 0, 0, 0, 0, 0],
});

describe('bad answers from the card', () => {
  it('a wrong XOR on a response is CARD_XOR_MISMATCH', async () => {
    const s = cardSessions();
    const pin = await s.fiscal.verifyFiscalPin(await register(s));
    const session = new CardSession(tampered(s.fiscalChannel, (command, response) => {
      if (hex(command).startsWith('C0FB') && response.length > 2) response[response.length - 3] ^= 0x5a;
      return response;
    }));
    expect(pin).toHaveLength(8);
    expect((await rejection(session.dailyCollectSign(totals(s.set.today)))).code).toBe('CARD_XOR_MISMATCH');
  });

  it('an unknown status word is CARD_UNKNOWN_STATUS naming the command and SW', async () => {
    const s = cardSessions();
    const session = new CardSession(tampered(s.fiscalChannel, (command, response) =>
      (hex(command).startsWith('C0F0') ? Uint8Array.of(0x98, 0x76) : response)));
    const error = await rejection(session.getRegisterNb());
    expect(error.code).toBe('CARD_UNKNOWN_STATUS');
    expect(error.message).toBe('GET_REGISTER_NB answered with an unknown status word 9876');
  });

  it('a response shorter than its layout is CARD_RESPONSE_MALFORMED', async () => {
    const s = cardSessions();
    const session = new CardSession(tampered(s.fiscalChannel, (command, response) =>
      (hex(command).startsWith('00B0') ? Uint8Array.of(...response.slice(0, 40), 0x90, 0x00) : response)));
    const error = await rejection(session.readFiscalBasic());
    expect(error.code).toBe('CARD_RESPONSE_MALFORMED');
    expect(error.message).toMatch(/FiscalEF02/);
  });

  it('a command response of the wrong length is CARD_RESPONSE_MALFORMED', async () => {
    const s = cardSessions();
    const session = new CardSession(tampered(s.fiscalChannel, (command, response) =>
      (hex(command).startsWith('C0F0') ? Uint8Array.of(...response.slice(0, 10), 0x90, 0x00) : response)));
    expect((await rejection(session.getRegisterNb())).code).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('a card removed in the middle of a T=0 exchange is CARD_REMOVED', async () => {
    const s = cardSessions({ transmission: 't0' });
    await s.fiscal.identify();
    const challenge = await s.fiscal.getRegisterNb();
    // REGISTER_SIGN on a T=0 card answers 6104; the card goes before the GET RESPONSE.
    await s.user.selectApplication('user');
    s.userChannel.removeAfterTransmits(1);
    const error = await rejection(s.user.registerSign(challenge));
    expect(error.code).toBe('CARD_REMOVED');
    expect(error.params.reader).toBe('user-slot');
    expect(hex(s.userChannel.trace.at(-1)!.response)).toBe('6104');
    expect(s.userChannel.present).toBe(false);
  });

  it('any bytes from the card give a value or a GatewayError, never another throw', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 8 }), async (answers) => {
      let i = 0;
      const channel: CardChannel = {
        description: { kind: 'virtual', reader: 'noise' },
        async transmit() {
          const answer = answers[i % answers.length]!;
          i += 1;
          return answer;
        },
        async reset() {
          return new Uint8Array(0);
        },
      };
      const session = new CardSession(channel, { transceive: { maxGetResponses: 4 } });
      for (const run of [() => session.identify(), () => session.readFiscalBasic(), () => session.readUserMachines(), () => session.getRegisterNb(), () => session.pinTriesLeft()]) {
        try {
          await run();
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
        }
      }
    }), { numRuns: 60 });
  });
});

describe('record files', () => {
  it('reads every record up to 6A83, however many (a virtual fiscal card may hold up to 100 declarations)', async () => {
    const s = cardSessions();
    const record = Uint8Array.of(0x01, ...Buffer.from('00000000144030012345', 'hex'), 0, 0, 0, 1, 0, 0, 0, 100);
    const session = new CardSession(tampered(s.fiscalChannel, (command, response) => {
      if (command[1] !== 0xb2) return response;
      return command[2]! <= 70 ? Uint8Array.of(...record, 0x90, 0x00) : Uint8Array.of(0x6a, 0x83);
    }));
    expect(await session.readFiscalRolls()).toHaveLength(70);
  });

  it('stops at record 254, the last one READ RECORD can address', async () => {
    const s = cardSessions();
    const record = Uint8Array.of(0x01, ...Buffer.from('00000000144030012345', 'hex'), 0, 0, 0, 1, 0, 0, 0, 100);
    const asked: number[] = [];
    const session = new CardSession(tampered(s.fiscalChannel, (command, response) => {
      if (command[1] !== 0xb2) return response;
      asked.push(command[2]!);
      return Uint8Array.of(...record, 0x90, 0x00);
    }));
    expect(await session.readFiscalRolls()).toHaveLength(254);
    expect(asked.at(-1)).toBe(254);
  });
});

describe('identification and the wrong card', () => {
  it('tells the four kinds apart, and an unknown card', async () => {
    const s = cardSessions();
    expect(await s.fiscal.identify()).toBe('fiscal');
    expect(await s.user.identify()).toBe('user');
    const inspection = new CardSession(new VirtualCardChannel(createInspectionCard()));
    expect(await inspection.identify()).toBe('inspection');
    expect(await inspection.readInspectionBasic()).toMatchObject({ cardType: 2, holderName: '稽查员' });
    const blank = new CardSession({
      description: { kind: 'virtual', reader: 'blank' },
      transmit: async () => Uint8Array.of(0x6a, 0x82),
      reset: async () => Uint8Array.of(0x3b, 0x00),
    });
    expect(await blank.identify()).toBe('unknown');
  });

  it('refuses fiscal and user commands on the wrong card with CARD_WRONG_TYPE', async () => {
    const inspection = new CardSession(new VirtualCardChannel(createInspectionCard()));
    const error = await rejection(inspection.getRegisterNb());
    expect(error.code).toBe('CARD_WRONG_TYPE');
    expect(error.localized('en')).toBe('Wrong card: a fiscal card (税控卡) is needed');
    const s = cardSessions();
    expect((await rejection(new CardSession(s.userChannel).getRegisterNb())).code).toBe('CARD_WRONG_TYPE');
    expect((await rejection(new CardSession(s.fiscalChannel).distributeInvoiceNb())).code).toBe('CARD_WRONG_TYPE');
  });

  it('a missing file is CARD_FILE_NOT_FOUND naming it', async () => {
    const inspection = new CardSession(new VirtualCardChannel(createInspectionCard()));
    await inspection.selectApplication('inspection');
    const error = await rejection(inspection.readBinaryFile('inspection', 0x01, { name: 'x', size: 1, write() {}, read: (r) => r.u8('x') }));
    expect(error.code).toBe('CARD_FILE_NOT_FOUND');
    expect(error.message).toBe('The card has no EF01');
  });
});

describe('initialization defects surface as typed errors', () => {
  it('an already registered fiscal card', async () => {
    const s = cardSessions({ defect: 'fiscal-already-registered' });
    expect((await s.fiscal.readFiscalRegistration()).state).toBe('registered');
    expect((await rejection(s.fiscal.getRegisterNb())).code).toBe('CARD_ALREADY_REGISTERED');
  });

  it('a user card that does not list the fiscal card', async () => {
    const s = cardSessions({ defect: 'user-lacks-machine' });
    expect(await s.user.readUserMachines()).toEqual([]);
    expect((await rejection(register(s))).code).toBe('CARD_USER_LACKS_FISCAL_CARD');
  });

  it('TERMINAL_REGISTER without a challenge', async () => {
    const s = cardSessions();
    expect((await rejection(s.fiscal.terminalRegister(Uint8Array.of(1, 2, 3, 4)))).code).toBe('CARD_SECURITY_NOT_SATISFIED');
  });

  it.each([
    ['wrong-machine', (f: { machineNumber: string }, m: string) => expect(f.machineNumber).not.toBe(m)],
    ['other-taxpayer', () => undefined],
    ['expired-fiscal-card', () => undefined],
  ] as const)('%s reads back as such', async (defect, check) => {
    const s = cardSessions({ defect });
    const fiscal = await s.fiscal.readFiscalBasic();
    const user = await s.user.readUserBasic();
    check(fiscal, s.set.machineNumber);
    if (defect === 'other-taxpayer') expect(user.taxpayerNumber).not.toBe(fiscal.taxpayerNumber);
    if (defect === 'expired-fiscal-card') expect(fiscal.validUntil < s.set.today).toBe(true);
  });
});
