import { afterEach, describe, expect, it } from 'vitest';
import { errorSpec, type ErrorCode } from '../../../contracts/errors/index.js';
import type { CardSetDefect } from '../../../fixtures/cards/index.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { initializationCheckSchema } from '../../../src/services/initialize/InitializationCheck.js';
import { RecordingReporter, startSimulatedRegister, type SimulatedRegister } from './harness.js';

let register: SimulatedRegister | undefined;
afterEach(async () => {
  await register?.close();
  register = undefined;
});

async function dryRun(options: Parameters<typeof startSimulatedRegister>[0] = {}) {
  register = await startSimulatedRegister(options);
  return dryRunInitialization(register.target, register.deps);
}

describe('initialization dry run', () => {
  it('passes every check for a fresh register with matching cards, changes nothing, and gives a token', async () => {
    const result = await dryRun();
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.plan).toBe('fresh');
    expect(result.confirmation?.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    for (const check of result.checks) initializationCheckSchema.parse(check);
    expect(register!.set.fiscal.registered).toBe(false);
    expect(register!.sim.memory.initialized).toBe(false);
  });

  const cases: { name: string; defect?: CardSetDefect; clockOffsetMs?: number; check: string; code: ErrorCode; zh: RegExp; en: RegExp }[] = [
    { name: 'wrong machine', defect: 'wrong-machine', check: 'machine-number', code: 'INIT_WRONG_MACHINE', zh: /税控卡属于机器 4403000099999999/, en: /belongs to machine 4403000099999999, but this register is machine 4403000012345678/ },
    { name: 'other taxpayer', defect: 'other-taxpayer', check: 'taxpayer', code: 'INIT_TAXPAYER_MISMATCH', zh: /纳税人.*不一致/, en: /4403010000654321.*differs/ },
    { name: 'fiscal card already registered', defect: 'fiscal-already-registered', check: 'fiscal-card-not-registered', code: 'INIT_FISCAL_CARD_REGISTERED', zh: /已经注册过/, en: /already registered/ },
    { name: 'user card without this machine', defect: 'user-lacks-machine', check: 'user-card-lists-machine', code: 'INIT_USER_CARD_LACKS_MACHINE', zh: /没有登记机器 4403000012345678 及其税控卡/, en: /does not list machine 4403000012345678/ },
    { name: 'expired fiscal card', defect: 'expired-fiscal-card', check: 'fiscal-card-validity', code: 'INIT_CARD_EXPIRED', zh: /卡片 4403100000000001 已于 .* 过期/, en: /Card 4403100000000001 expired on/ },
    { name: 'expired user card', defect: 'expired-user-card', check: 'user-card-validity', code: 'INIT_CARD_EXPIRED', zh: /卡片 4403200000000001 已于 .* 过期/, en: /Card 4403200000000001 expired on/ },
    { name: 'card not yet valid', defect: 'not-yet-valid', check: 'fiscal-card-validity', code: 'INIT_CARD_NOT_YET_VALID', zh: /启用日期/, en: /becomes valid on/ },
    { name: 'clock off by a day', clockOffsetMs: 86_400_000, check: 'register-clock', code: 'INIT_CLOCK_OFF', zh: /相差 86400 秒/, en: /86400 s away/ },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.code} and its own text`, async () => {
      const result = await dryRun({ ...(c.defect === undefined ? {} : { cards: { defect: c.defect } }), ...(c.clockOffsetMs === undefined ? {} : { clockOffsetMs: c.clockOffsetMs }) });
      expect(result.ok).toBe(false);
      expect(result.confirmation).toBeUndefined();
      expect(result.error?.code).toBe(c.code);
      const check = result.checks.find((x) => x.id === c.check)!;
      expect(check).toMatchObject({ passed: false, code: c.code });
      expect(check.message['zh-CN']).toMatch(c.zh);
      expect(check.message.en).toMatch(c.en);
      expect(check.remedy?.['zh-CN']).toBe(errorSpec(c.code).remedyZh);
      expect(check.remedy?.en).toBe(errorSpec(c.code).remedyEn);
      expect(register!.sim.memory.initialized).toBe(false);
    });
  }

  it('refuses an already initialized register with INIT_ALREADY_INITIALIZED, before the card check', async () => {
    register = await startSimulatedRegister();
    const first = await dryRunInitialization(register.target, register.deps);
    await runInitialization(register.target, register.deps, { token: first.confirmation!.token }, new RecordingReporter());
    const again = await dryRunInitialization(register.target, register.deps);
    expect(again.ok).toBe(false);
    expect(again.error?.code).toBe('INIT_ALREADY_INITIALIZED');
    expect(again.error?.message['zh-CN']).toBe('收款机已经初始化（税控卡 4403100000000001）');
    expect(again.error?.message.en).toBe('The register is already initialized (fiscal card 4403100000000001)');
    expect(again.checks.find((c) => c.id === 'register-not-initialized')).toMatchObject({ passed: false, code: 'INIT_ALREADY_INITIALIZED' });
  });

  it('names an empty fiscal slot and an unreadable user card, skipping what needs the card', async () => {
    register = await startSimulatedRegister();
    register.sim.removeCard('user');
    const result = await dryRunInitialization(register.target, register.deps);
    const byId = Object.fromEntries(result.checks.map((c) => [c.id, c]));
    expect(byId['user-card-type']).toMatchObject({ passed: false, code: 'INIT_USER_CARD_UNREADABLE' });
    expect(byId['user-card-type']!.message.en).toMatch(/reg-1\/user/);
    // The cause reads in the technician's language, not in English inside a Chinese sentence.
    expect(byId['user-card-type']!.message['zh-CN']).not.toMatch(/[A-Za-z]{4,} [a-z]{3,}/);
    expect(byId.taxpayer).toMatchObject({ passed: false, skipped: true });
    expect(result.error?.code).toBe('INIT_USER_CARD_UNREADABLE');
  });

  it('finds a user card in the fiscal slot the wrong type', async () => {
    register = await startSimulatedRegister();
    register.sim.removeCard('fiscal');
    register.sim.insertCard('fiscal', register.set.user);
    const result = await dryRunInitialization(register.target, register.deps);
    expect(result.error?.code).toBe('INIT_FISCAL_CARD_WRONG_TYPE');
    expect(result.error?.message.en).toMatch(/it is: a user card\)$/);
    expect(result.error?.message['zh-CN']).toMatch(/识别为：用户卡）$/);
  });
});
