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
    expect(s.fiscal.knownPinTries).toEqual({ known: true, left: 2, source: 'verification' });

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
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: true, left: 0, source: 'query' });
  });

  it('asks the tries left with ISO VERIFY without data (00 20 00 00), never with F9, spending none', async () => {
    const s = cardSessions();
    await register(s);
    const three = { known: true, left: 3, source: 'query' };
    expect(await s.fiscal.pinTriesLeft()).toEqual(three);
    expect(await s.fiscal.pinTriesLeft()).toEqual(three);
    expect(s.set.fiscal.pinTriesLeft).toBe(3);
    await rejection(s.fiscal.verifyFiscalPin(wrongPin));
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: true, left: 2, source: 'query' });
    const commands = s.fiscalChannel.trace.map((t) => hex(t.command));
    expect(commands.filter((c) => c.startsWith('0020'))).toEqual(Array(4).fill('00200000'));
    // The only F9 sent is the one verification with a PIN.
    expect(commands.filter((c) => c.startsWith('C0F9')).map((c) => c.length)).toEqual([2 * (5 + 8 + 1)]);
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
    await s.fiscal.reset();
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: true, left: 3, source: 'query' });
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

  it('with a card that will not tell its tries, refuses to verify (any try might be the last) unless told, then relies on the 63Cx it saw', async () => {
    const s = cardSessions({ profile: 'strict-no-query' });
    const pin = await register(s);
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: false, reason: 'not-told', sw: '6D00' });
    const refused = await rejection(s.fiscal.verifyFiscalPin(pin));
    expect(refused.code).toBe('CARD_PIN_TRIES_UNKNOWN');
    expect(refused.spec.exit).toBe(3);
    expect(s.fiscalChannel.trace.filter((t) => hex(t.command).startsWith('C0F9'))).toEqual([]);
    expect(s.set.fiscal.pinTriesLeft).toBe(3);

    await rejection(s.fiscal.verifyFiscalPin(wrongPin, { spendLastTry: true }));
    await rejection(s.fiscal.verifyFiscalPin(wrongPin, { spendLastTry: true }));
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: true, left: 1, source: 'verification' });
    expect((await rejection(s.fiscal.verifyFiscalPin(pin))).code).toBe('CARD_PIN_LAST_TRY');
    await s.fiscal.reset();
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: false, reason: 'not-told', sw: '6D00' });
  });

  it('takes no 9000 to the query as a count: verified, tries unknown', async () => {
    const s = cardSessions();
    const pin = await register(s);
    await s.fiscal.verifyFiscalPin(pin);
    expect(await s.fiscal.pinTriesLeft()).toEqual({ known: false, reason: 'verified', sw: '9000' });
  });
});
