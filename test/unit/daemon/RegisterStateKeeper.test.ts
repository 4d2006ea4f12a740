import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorEvent } from '../../../fixtures/simulator/RegisterSimulator.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import { RegisterStateKeeper, type SavableRegister } from '../../../fixtures/simulate/RegisterStateKeeper.js';
import { createSimulatedRegisters } from '../../../fixtures/simulate/simulatedRegisters.js';
import { simulatedRegisterPath } from '../../../fixtures/simulate/simulatorFiles.js';
import { loadRegisterState } from '../../../fixtures/simulator/state/persistence.js';
import { initialize } from '../../../protocols/gb-link/payloads/taxpayer.js';
import { FakeFiscalCard } from '../simulator/fakeFiscalCard.js';
import { startHarness } from '../simulator/simulatorHarness.js';

const silent = pino({ level: 'silent' });
const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fiscald-keeper-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A register that records its saves and lets the test emit its events. */
class FakeRegister implements SavableRegister {
  readonly saves: string[] = [];
  failNext = false;
  private listener: ((event: SimulatorEvent) => void) | undefined;

  onEvent(listener: (event: SimulatorEvent) => void) {
    this.listener = listener;
    return () => {
      this.listener = undefined;
    };
  }

  async save(path: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.saves.push(path);
  }

  emit(event: SimulatorEvent): void {
    this.listener?.(event);
  }
}

describe('RegisterStateKeeper', () => {
  it('saves nothing after reads and heartbeats', async () => {
    const register = new FakeRegister();
    const keeper = new RegisterStateKeeper(register, '/state.json', { quietMs: 60_000 });
    for (const cmd of [CMD.CONNECT, CMD.STATUS, CMD.FACTORY_DATA, CMD.DAILY_RECORDS, CMD.SELF_CHECK_RAM]) register.emit({ type: 'command', cmd, outcome: 'ok' });
    await keeper.stop();
    expect(register.saves).toEqual([]);
  });

  it('saves once after a burst of changes (initialization, card APDUs, a firmware boot), and again at stop only if changed since', async () => {
    const register = new FakeRegister();
    const keeper = new RegisterStateKeeper(register, '/state.json', { quietMs: 60_000 });
    register.emit({ type: 'command', cmd: CMD.CARD_APDU, outcome: 'ok' });
    register.emit({ type: 'command', cmd: CMD.INITIALIZE, outcome: 'ok' });
    register.emit({ type: 'command', cmd: CMD.STATUS, outcome: 'ok' });
    await keeper.flush();
    expect(register.saves).toEqual(['/state.json']);
    register.emit({ type: 'boot', result: 'activated', firmwareVersion: '2.0.0' });
    await keeper.stop();
    expect(register.saves).toHaveLength(2);
    register.emit({ type: 'command', cmd: CMD.INITIALIZE, outcome: 'ok' });
    await keeper.flush();
    expect(register.saves).toHaveLength(2);
  });

  it('writes on its own once the register is quiet', async () => {
    const register = new FakeRegister();
    const keeper = new RegisterStateKeeper(register, '/state.json', { quietMs: 1 });
    register.emit({ type: 'command', cmd: CMD.UPDATE_TAXPAYER, outcome: 'error', code: 0x10 });
    await new Promise<void>((resolve) => {
      const poll = () => (register.saves.length > 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(register.saves).toEqual(['/state.json']);
    await keeper.stop();
  });

  it('keeps a change whose save failed and writes it at the next flush', async () => {
    const register = new FakeRegister();
    const keeper = new RegisterStateKeeper(register, '/state.json', { quietMs: 60_000, logger: silent });
    register.failNext = true;
    register.emit({ type: 'command', cmd: CMD.SET_TIME, outcome: 'ok' });
    await keeper.flush();
    expect(register.saves).toEqual([]);
    await keeper.stop();
    expect(register.saves).toEqual(['/state.json']);
  });
});

describe('createSimulatedRegisters with a data dir', () => {
  it('saves a new register at once and brings the same one back at the next start', async () => {
    const dataDir = scratch();
    const [first] = await createSimulatedRegisters(1, { logger: silent, dataDir });
    const path = simulatedRegisterPath(dataDir, 1);
    expect(existsSync(path)).toBe(true);
    first!.simulator.state.identity.model = 'SIM-RESTORED';
    await first!.simulator.save(path);
    await first!.close();

    const [again] = await createSimulatedRegisters(1, { logger: silent, dataDir });
    expect(again!.state.identity.machineNumber).toBe(first!.state.identity.machineNumber);
    expect(again!.state.identity.model).toBe('SIM-RESTORED');
    expect(again!.cards.user.snapshot()).toEqual(first!.cards.user.snapshot());
    await again!.close();
  });

  it('sets an unreadable saved register aside and starts a new one', async () => {
    const dataDir = scratch();
    const [first] = await createSimulatedRegisters(1, { logger: silent, dataDir });
    await first!.close();
    writeFileSync(simulatedRegisterPath(dataDir, 1), '{"torn":');
    const [fresh] = await createSimulatedRegisters(1, { logger: silent, dataDir });
    expect(fresh!.state.identity.machineNumber).toBe(first!.state.identity.machineNumber);
    expect(readdirSync(join(dataDir, 'simulator')).filter((name) => name.includes('.unreadable-'))).toHaveLength(1);
    await fresh!.close();
  });
});

describe('a simulated register saved in the middle of a command', () => {
  it('is saved as it is between two whole commands: a save asked for during an initialization (card PIN rotated, not yet recorded) holds the whole initialization', async () => {
    const path = join(scratch(), 'register.json');
    const { sim, link } = await startHarness();
    const card = new FakeFiscalCard('4403100000000001', sim.state.identity.machineNumber, '1122334455667788');
    sim.insertCard('fiscal', card);
    // 30's first WT frame comes after the card checked and rotated its PIN, before the register records it.
    let saving: Promise<void> | undefined;
    let pinAtSave: string | undefined;
    const stop = sim.onEvent((event) => {
      if (event.type !== 'busy' || saving !== undefined) return;
      pinAtSave = card.pin;
      saving = sim.save(path);
    });
    const outcome = await link.request(CMD.INITIALIZE, initialize.request.encode({
      pin: Uint8Array.from(Buffer.from('1122334455667788', 'hex')),
      taxpayerNumber: '4403010000123456', taxpayerId: '91440300MA5EXAMPLE', taxpayerName: '深圳市示例商贸有限公司', officeCode: 14403001,
      fiscalCardNumber: '4403100000000001', userCardNumber: '4403200000000001', declarationMode: 1,
      issueDeadline: '2026-02-04', singleInvoiceLimit: 1_000_000, cumulativeLimit: 10_000_000, returnLimit: 500_000,
      taxIndex: [1, 0, 0, 0, 0, 0], applicationStartDate: '2025-01-01', validUntil: '2028-12-31', initializationDate: '2026-01-05',
      taxItems: [{ index: 1, itemCode: '01010100', rate: 1300, nameZh: '商品销售', nameEn: 'Goods' }],
    }));
    stop();
    expect(outcome).toMatchObject({ kind: 'ok' });
    expect(pinAtSave).toBeDefined();
    expect(pinAtSave).not.toBe('1122334455667788');
    await saving;
    const saved = await loadRegisterState(path);
    expect(saved.fiscal.initializations).toHaveLength(1);
    expect(saved.fiscal.pin).toEqual({ original: '1122334455667788', current: pinAtSave });
  });
});
