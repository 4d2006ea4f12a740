import { describe, expect, it } from 'vitest';
import { CardSession } from '../../../src/devices/CardSession.js';
import { cardSessions, hex, rejection, register, swOf } from './helpers.js';

const wrongPin = Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]);

function verifySws(trace: { command: Uint8Array; response: Uint8Array }[]): string[] {
  return trace.filter((t) => hex(t.command).startsWith('C0F9') && t.command.length > 5).map((t) => swOf(t.response));
}

describe('fiscal PIN', () => {
  it('counts down 63C2, 63C1, then locks with 6983, with typed errors and tries left', async () => {
    const s = cardSessions();
    const pin = await register(s);

    const first = await rejection(s.fiscal.verifyFiscalPin(wrongPin));
    expect(first.code).toBe('CARD_PIN_WRONG');
    expect(first.params.triesLeft).toBe(2);
    expect(first.data).toMatchObject({ sw: '63C2', triesLeft: 2 });
    expect(s.fiscal.knownPinTries).toBe(2);

    const second = await rejection(s.fiscal.verifyFiscalPin(wrongPin));
    expect(second.code).toBe('CARD_PIN_WRONG');
    expect(second.params.triesLeft).toBe(1);

    // The guard refuses to spend the last try, without sending a VERIFY.
    const sentBefore = verifySws(s.fiscalChannel.trace).length;
    const guarded = await rejection(s.fiscal.verifyFiscalPin(pin));
    expect(guarded.code).toBe('CARD_PIN_LAST_TRY');
    expect(verifySws(s.fiscalChannel.trace).length).toBe(sentBefore);
    expect(s.set.fiscal.pinTriesLeft).toBe(1);

    const locked = await rejection(s.fiscal.verifyFiscalPin(wrongPin, { spendLastTry: true }));
    expect(locked.code).toBe('CARD_PIN_LOCKED');
    expect(verifySws(s.fiscalChannel.trace)).toEqual(['63C2', '63C1', '6983']);

    // Locked for good: even the right PIN is refused, and the guard says so without sending it.
    expect((await rejection(s.fiscal.verifyFiscalPin(pin))).code).toBe('CARD_PIN_LOCKED');
    expect((await rejection(s.fiscal.verifyFiscalPin(pin, { spendLastTry: true }))).code).toBe('CARD_PIN_LOCKED');
    expect(await s.fiscal.pinTriesLeft()).toBe(0);
  });

  it('asks the tries left without spending one', async () => {
    const s = cardSessions();
    await register(s);
    expect(await s.fiscal.pinTriesLeft()).toBe(3);
    expect(await s.fiscal.pinTriesLeft()).toBe(3);
    await rejection(s.fiscal.verifyFiscalPin(wrongPin));
    expect(await s.fiscal.pinTriesLeft()).toBe(2);
  });

  it('restores the full count after a right PIN and rotates the PIN each time', async () => {
    const s = cardSessions();
    let pin = await register(s);
    await rejection(s.fiscal.verifyFiscalPin(wrongPin));
    const seen = new Set<string>([hex(pin)]);
    for (let i = 0; i < 3; i += 1) {
      pin = await s.fiscal.verifyFiscalPin(pin);
      seen.add(hex(pin));
    }
    expect(seen.size).toBe(4);
    expect(await s.fiscal.pinTriesLeft()).toBe(3);
    // The PIN that was current before the last rotation is now wrong.
    expect((await rejection(s.fiscal.verifyFiscalPin(Uint8Array.from(Buffer.from([...seen][2]!, 'hex'))))).code).toBe('CARD_PIN_WRONG');
  });

  it('is refused before registration', async () => {
    const s = cardSessions();
    expect((await rejection(s.fiscal.verifyFiscalPin(wrongPin))).code).toBe('CARD_NOT_REGISTERED');
  });

  it('loses the verified state on reset', async () => {
    const s = cardSessions();
    const pin = await register(s);
    await s.fiscal.verifyFiscalPin(pin);
    await s.fiscal.reset();
    const roll = await s.user.distributeInvoiceNb();
    expect((await rejection(s.fiscal.inputInvoiceNb(roll))).code).toBe('CARD_SECURITY_NOT_SATISFIED');
  });

  it('never sends the PIN a second time, even when the card answers VERIFY with 6Cxx', async () => {
    const s = cardSessions();
    const pin = await register(s);
    const sent: string[] = [];
    const wrongLe = new CardSession({
      description: s.fiscalChannel.description,
      async transmit(apdu) {
        sent.push(hex(apdu));
        if (apdu.length > 5 && apdu[0] === 0xc0 && apdu[1] === 0xf9) return Uint8Array.of(0x6c, 0x08);
        return s.fiscalChannel.transmit(apdu);
      },
      reset: () => s.fiscalChannel.reset(),
    });
    expect((await rejection(wrongLe.verifyFiscalPin(pin))).code).toBe('CARD_RESPONSE_MALFORMED');
    expect(sent.filter((apdu) => apdu.includes(hex(pin)))).toHaveLength(1);
  });

  it('with a card that will not tell its tries, relies on the last 63Cx it saw', async () => {
    const s = cardSessions();
    const pin = await register(s);
    const silent = new CardSession({
      description: s.fiscalChannel.description,
      async transmit(apdu) {
        if (apdu.length === 4 && apdu[0] === 0xc0 && apdu[1] === 0xf9) return Uint8Array.of(0x67, 0x00);
        return s.fiscalChannel.transmit(apdu);
      },
      reset: () => s.fiscalChannel.reset(),
    });
    await rejection(silent.verifyFiscalPin(wrongPin));
    await rejection(silent.verifyFiscalPin(wrongPin));
    expect(silent.knownPinTries).toBe(1);
    expect((await rejection(silent.verifyFiscalPin(pin))).code).toBe('CARD_PIN_LAST_TRY');
  });
});
