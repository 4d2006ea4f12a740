import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { PcscReaders, type PcscCard } from '../../../drivers/pcsc/index.js';
import { createMatchingCardSet, type CardSet } from '../../../fixtures/cards/index.js';
import { VpcdBridge } from '../../../fixtures/vpcd/VpcdBridge.js';
import { transceive } from '../../../protocols/apdu/transceive.js';
import { CardSession } from '../../../src/devices/CardSession.js';
import { describeWithPcscd, startPcscd, type RunningPcscd } from '../../helpers/pcscd.js';

/**
 * Acceptance of issue 2 on real PC/SC: pcscd with the vpcd readers, the virtual fiscal card then
 * the virtual user card inserted through the bridge, and through drivers/pcsc and CardSession:
 * EF02 of both read and decoded, the three-way registration, the PIN counting down and locking,
 * and the card or the service going away mid-session. Run for T=1 cards and for T=0 cards, whose
 * 61xx/6Cxx answers travel through pcscd to protocols/apdu's transceive.
 */
const WAIT = 5000;

/** Notes the status word of every response that crosses the PC/SC channel. */
class RecordingChannel implements CardChannel {
  readonly statusWords: string[] = [];
  constructor(readonly inner: PcscCard) {}
  get description() {
    return this.inner.description;
  }
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const response = await this.inner.transmit(apdu);
    this.statusWords.push(Buffer.from(response.subarray(-2)).toString('hex').toUpperCase());
    return response;
  }
  reset(): Promise<Uint8Array> {
    return this.inner.reset();
  }
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describeWithPcscd('GB18240 cards through pcscd, vpcd and drivers/pcsc', () => {
  let pcscd: RunningPcscd;
  let readers: PcscReaders;
  let fiscalReader: string;
  let userReader: string;

  beforeAll(async () => {
    pcscd = await startPcscd();
    [fiscalReader, userReader] = pcscd.readers.map((r) => r.name) as [string, string];
    readers = await PcscReaders.open();
  });

  afterAll(async () => {
    await readers?.close();
    await pcscd?.stop();
  });

  for (const transmission of ['t1', 't0'] as const) {
    describe(`${transmission.toUpperCase()} cards`, () => {
      let set: CardSet;
      let fiscalBridge: VpcdBridge;
      let userBridge: VpcdBridge;
      let fiscalCard: PcscCard;
      let userCard: PcscCard;
      let fiscalChannel: RecordingChannel;
      let fiscal: CardSession;
      let user: CardSession;

      beforeAll(async () => {
        set = createMatchingCardSet({ transmission });
        fiscalBridge = new VpcdBridge({ card: set.fiscal, port: pcscd.readers[0]!.port });
        userBridge = new VpcdBridge({ card: set.user, port: pcscd.readers[1]!.port });
        // The fiscal card first, then the user card, as a technician does.
        await fiscalBridge.insert();
        await readers.waitForCard(fiscalReader, WAIT);
        await userBridge.insert();
        await readers.waitForCard(userReader, WAIT);
        fiscalCard = await readers.connect(fiscalReader, { mode: 'exclusive' });
        userCard = await readers.connect(userReader, { mode: 'exclusive' });
        fiscalChannel = new RecordingChannel(fiscalCard);
        fiscal = new CardSession(fiscalChannel);
        user = new CardSession(userCard);
      });

      afterAll(async () => {
        await fiscalCard?.disconnect();
        await userCard?.disconnect();
        await fiscalBridge?.stop();
        await userBridge?.stop();
        await readers.waitForNoCard(fiscalReader, WAIT);
        await readers.waitForNoCard(userReader, WAIT);
      });

      it('shows the cards\' ATRs in the reader list', () => {
        const byName = new Map(readers.list().map((r) => [r.name, r]));
        expect(byName.get(fiscalReader)).toMatchObject({ card: 'present', connected: true, atrHex: Buffer.from(set.fiscal.atr).toString('hex').toUpperCase() });
        expect(byName.get(userReader)).toMatchObject({ card: 'present', connected: true, atrHex: Buffer.from(set.user.atr).toString('hex').toUpperCase() });
      });

      it('identifies both cards and decodes EF02 of each', async () => {
        expect(await fiscal.identify()).toBe('fiscal');
        expect(await user.identify()).toBe('user');
        const fiscalBasic = await fiscal.readFiscalBasic();
        expect(fiscalBasic).toMatchObject({
          cardType: 0, registrationFlag: 0, cardNumber: '4403100000000001', machineNumber: set.machineNumber,
          taxpayerNumber: '4403010000123456', taxpayerId: '91440300MA5EXAMPLE', taxpayerName: '深圳市示例商贸有限公司',
        });
        const userBasic = await user.readUserBasic();
        expect(userBasic).toMatchObject({
          cardType: 1, cardNumber: '4403200000000001', taxpayerNumber: fiscalBasic.taxpayerNumber, taxpayerName: fiscalBasic.taxpayerName,
        });
      });

      it('runs the three-way registration: GET_REGISTER_NB, REGISTER_SIGN, TERMINAL_REGISTER, then the PIN', async () => {
        const challenge = await fiscal.getRegisterNb();
        expect(challenge.fiscalCardNumber).toBe('4403100000000001');
        const mac2 = await user.registerSign(challenge);
        expect(mac2).toHaveLength(4);
        const pin = await fiscal.terminalRegister(mac2);
        expect(pin).toEqual(set.fiscal.currentPin);
        expect((await fiscal.readFiscalRegistration()).state).toBe('registered');
        const next = await fiscal.verifyFiscalPin(pin);
        expect(next).not.toEqual(pin);
        expect(next).toEqual(set.fiscal.currentPin);
        // A T=0 card makes transceive fetch its answers with GET RESPONSE: 61xx crossed pcscd untouched.
        expect(fiscalChannel.statusWords.some((sw) => sw.startsWith('61'))).toBe(transmission === 't0');
      });

      it('lets transceive re-send with the Le a T=0 card asks for (6Cxx) through the real stack', async () => {
        // GET_REGISTER_NB with Le 1 where the card answers 16 bytes: a T=0 card asks for Le 16 with 6C10
        // before acting; the registered card then refuses with 6901 either way.
        const before = fiscalChannel.statusWords.length;
        const response = await transceive(fiscalChannel, { cla: 0xc0, ins: 0xf0, p1: 0, p2: 0, data: new Uint8Array(0), le: 1 });
        expect(fiscalChannel.statusWords.slice(before)).toEqual(transmission === 't0' ? ['6C10', '6901'] : ['6901']);
        expect(response.sw).toBe(0x6901);
      });

      it('counts wrong PINs down (63Cx), keeps the last try, and locks (6983) when told to spend it', async () => {
        const wrong = Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]);
        const first = await rejection(fiscal.verifyFiscalPin(wrong));
        expect(first.code).toBe('CARD_PIN_WRONG');
        expect(first.data).toMatchObject({ sw: '63C2', triesLeft: 2 });
        const second = await rejection(fiscal.verifyFiscalPin(wrong));
        expect(second.data).toMatchObject({ sw: '63C1', triesLeft: 1 });
        expect((await rejection(fiscal.verifyFiscalPin(wrong))).code).toBe('CARD_PIN_LAST_TRY');
        const locked = await rejection(fiscal.verifyFiscalPin(wrong, { spendLastTry: true }));
        expect(locked.code).toBe('CARD_PIN_LOCKED');
        expect(locked.data).toMatchObject({ sw: '6983' });
        expect((await rejection(fiscal.verifyFiscalPin(set.fiscal.currentPin))).code).toBe('CARD_PIN_LOCKED');
      });

      it('says CARD_REMOVED when the user card is pulled mid-APDU; the card keeps its state and works again', async () => {
        const process = set.user.process.bind(set.user);
        set.user.process = (apdu) => {
          if (apdu[1] === 0xb0) void userBridge.remove(); // pulled while pcscd waits for READ BINARY's answer
          return process(apdu);
        };
        try {
          const error = await rejection(user.readUserBasic());
          expect(error.code).toBe('CARD_REMOVED');
          expect(error.remedy('zh-CN')).toBeDefined();
        } finally {
          set.user.process = process;
        }
        expect((await rejection(user.readUserBasic())).code).toBe('CARD_REMOVED');
        await readers.waitForNoCard(userReader, WAIT);
        await userBridge.insert();
        await readers.waitForCard(userReader, WAIT);
        userCard = await readers.connect(userReader, { mode: 'exclusive' });
        user = new CardSession(userCard);
        expect((await user.readUserBasic()).cardNumber).toBe('4403200000000001');
      });
    });
  }

  it('says PCSC_UNAVAILABLE when pcscd dies in the middle of a session', async () => {
    const set = createMatchingCardSet();
    const bridge = new VpcdBridge({ card: set.fiscal, port: pcscd.readers[0]!.port });
    try {
      await bridge.insert();
      await readers.waitForCard(fiscalReader, WAIT);
      const session = new CardSession(await readers.connect(fiscalReader));
      expect(await session.identify()).toBe('fiscal');
      await pcscd.kill();
      const error = await rejection(session.readFiscalBasic());
      expect(error.code).toBe('PCSC_UNAVAILABLE');
      expect(error.remedy('en')).toContain('pcscd');
    } finally {
      await bridge.stop();
    }
  });
});
