import { afterEach, describe, expect, it } from 'vitest';
import { runBootloader } from '../../../fixtures/simulator/bootloaderMode.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import type { CardFacts, DiagnosticsPort, RegisterStatusFacts } from '../../../src/services/diagnostics/DiagnosticsPort.js';
import type { RegisterStatus } from '../../../protocols/gb-link/index.js';
import { runDiagnostics, type DiagnosticsReport } from '../../../src/services/diagnostics/runDiagnostics.js';
import { byId, diagnosable, jobContext, type Diagnosable } from './diagnosticsHarness.js';

const open: Diagnosable[] = [];
afterEach(async () => { for (const d of open.splice(0)) await d.close(); });
async function make(...args: Parameters<typeof diagnosable>) {
  const d = await diagnosable(...args);
  open.push(d);
  return d;
}

const run = (port: DiagnosticsPort, now?: Date, known = {}) =>
  runDiagnostics(jobContext(port.machineNumber), port, { utcOffsetMinutes: 480, known: () => known, ...(now ? { now: () => now } : {}) });

/** The register's real 41 with `change` applied to what it said (seeded data the simulator would take years to reach). */
function withStatus(port: DiagnosticsPort, change: (status: RegisterStatus) => Partial<RegisterStatus>): DiagnosticsPort {
  return {
    ...port,
    async status(signal): Promise<RegisterStatusFacts> {
      const facts = await port.status(signal);
      const detail = { ...facts.detail!, ...change(facts.detail!) };
      return { ...facts, initialized: detail.initialized, locks: detail.locks, awaitingControlUpdate: detail.awaitingControlUpdate, detail };
    },
  };
}

function withCard(port: DiagnosticsPort, slot: 'fiscal' | 'user', change: (card: CardFacts) => CardFacts): DiagnosticsPort {
  return {
    ...port,
    async card(which, signal) {
      const card = await port.card!(which, signal);
      return which === slot && card !== null ? change(card) : card;
    },
  };
}

function expectTripped(report: DiagnosticsReport, id: string, status: 'warning' | 'fault', actor: string) {
  const check = byId(report, id);
  expect(check.status, `${id}: ${check.summary.en}`).toBe(status);
  expect(check.actor).toBe(actor);
  expect(check.remedy?.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(check.remedy?.en).toMatch(/[a-z]/);
  expect(check.impact?.zh && check.impact.en).toBeTruthy();
  return check;
}

const today = () => new Date();
const isoDay = (offsetDays: number) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('each check tripped', () => {
  it('a silent register gets its report within seconds: link fault, everything else not-run', async () => {
    const d = await make();
    d.register.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'both', at: 0 }] });
    const started = Date.now();
    const report = await d.diagnose();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(byId(report, 'link.answers')).toMatchObject({ status: 'fault', actor: 'operator', code: 'LINK_TIMEOUT' });
    for (const check of report.checks.filter((c) => c.id !== 'link.answers')) expect(check.status, check.id).toBe('not-run');
    expect(report.verdict).toBe('fault');
  });

  it('a half-broken register (status 41 fails) gets every check that does not need it', async () => {
    const d = await make();
    const port: DiagnosticsPort = { ...d.port, status: () => Promise.reject(new GatewayError('LINK_PAYLOAD_INVALID', { params: { command: '41', detail: 'garbled' } })) };
    const report = await run(port);
    const notRun = report.checks.filter((c) => c.status === 'not-run').map((c) => c.id);
    expect(notRun).toContain('fiscal.state');
    expect(notRun).toContain('memory.invoices');
    expect(byId(report, 'fiscal.state').reason?.en).toMatch(/status \(41\) failed/);
    for (const id of ['link.answers', 'identity.machine', 'self-check.cycle', 'clock', 'card.fiscal.present', 'card.fiscal.pin-tries', 'limits.cumulative', 'card.user.validity']) {
      expect(byId(report, id).status, id).toBe('ok');
    }
  });

  it('a noisy line: link.errors warns with the bytes re-sent', async () => {
    const d = await make();
    d.register.simulator.setFaults({ faults: [{ kind: 'corrupt', direction: 'tx', at: [2], xor: 0x40 }] });
    const report = await d.diagnose();
    expect(expectTripped(report, 'link.errors', 'warning', 'technician').facts.resentBytes).toBeGreaterThan(0);
  });

  it('a register in its bootloader: firmware.running fault, only 00 and 37 sent, the rest not-run saying why', async () => {
    const d = await make({}, 'bootloader');
    runBootloader(d.register.simulator, true);
    const report = await d.diagnose();
    expectTripped(report, 'firmware.running', 'fault', 'technician');
    expect(byId(report, 'link.answers').status).toBe('ok');
    expect(byId(report, 'clock').reason?.en).toMatch(/bootloader/);
    expect(new Set(d.sent.map((f) => f.cmd))).toEqual(new Set([CMD.CONNECT, CMD.FACTORY_DATA]));
  });

  it('a register that fell back after a failed upgrade', async () => {
    const d = await make();
    const port: DiagnosticsPort = {
      ...d.port,
      firmwareTransfer: async () => ({ state: 'complete', size: 1024, received: 1024, sha256: new Uint8Array(32), version: '9.0.0' }),
    };
    expect(expectTripped(await run(port), 'firmware.upgrade-state', 'fault', 'technician').summary.en).toMatch(/fell back/);
  });

  it('machine number changed, firmware older than a trusted package, clock off', async () => {
    const d = await make();
    const report = await run({ ...d.port, machineNumber: '9999999999999999' }, new Date(Date.now() - 120_000), { newestTrustedFirmware: '9.9.9' });
    expectTripped(report, 'identity.machine', 'fault', 'tax-office');
    expectTripped(report, 'identity.firmware', 'warning', 'technician');
    expectTripped(report, 'clock', 'warning', 'technician');
  });

  it('self-check failures are faults for factory repair', async () => {
    const d = await make();
    d.register.simulator.setSelfCheckFault('ram', { result: 0x31, detail: 'RAM' });
    expect(expectTripped(await d.diagnose(), 'self-check.ram', 'fault', 'factory').code).toBe('0x31');
  });

  it('fiscal state: new register warns, deregistered warns naming the date', async () => {
    const fresh = await make({ history: undefined });
    const report = await fresh.diagnose();
    expect(expectTripped(report, 'fiscal.state', 'warning', 'technician').facts.state).toBe('new');
    expect(byId(report, 'card.fiscal.registration').status).toBe('ok');
    expect(byId(report, 'deadline.issue').status).toBe('not-run');
    const old = await make();
    const gone = await run(old.port, undefined, { deregisteredAt: '2026-11-30T10:00:00Z' });
    expect(expectTripped(gone, 'fiscal.state', 'warning', 'tax-office').facts.state).toBe('deregistered');
  });

  it('locks, memory fault, five-year lock, control update waiting', async () => {
    const d = await make();
    const port = withStatus(d.port, (s) => ({ locks: { ...s.locks, fiscalCard: true, fiscalMemoryFault: true, fiveYear: true }, awaitingControlUpdate: true }));
    const report = await run(port);
    expectTripped(report, 'fiscal.card-locks', 'fault', 'tax-office');
    expectTripped(report, 'fiscal.memory-fault', 'fault', 'factory');
    expectTripped(report, 'fiscal.five-year', 'fault', 'tax-office');
    expect(expectTripped(report, 'declaration.control-update', 'warning', 'operator').remedy?.zh).toContain(`fiscalctl change ${d.port.machineNumber} monitoring-data`);
  });

  it('fiscal memory nearly full warns at 90 %, full is a fault', async () => {
    const d = await make();
    const report = await run(withStatus(d.port, () => ({ invoiceCount: 90_000, dailyRecordCount: 2000, declarationCount: 10, distributedRollCount: 999 })));
    expectTripped(report, 'memory.invoices', 'warning', 'tax-office');
    expect(expectTripped(report, 'memory.daily-records', 'fault', 'tax-office').code).toBe('ER 59');
    expect(byId(report, 'memory.declarations').status).toBe('ok');
    expectTripped(report, 'memory.rolls', 'warning', 'tax-office');
    const below = await run(withStatus(d.port, () => ({ invoiceCount: 89_999 })));
    expect(byId(below, 'memory.invoices').status).toBe('ok');
  });

  it('issue deadline near and passed; declaration overdue', async () => {
    const d = await make();
    expectTripped(await run(withStatus(d.port, () => ({ issueDeadline: isoDay(3) }))), 'deadline.issue', 'warning', 'operator');
    expect(expectTripped(await run(withStatus(d.port, () => ({ issueDeadline: isoDay(-1) }))), 'deadline.issue', 'fault', 'tax-office').code).toBe('ER 11');
    const overdue = await run(withStatus(d.port, () => ({ lastDeclarationEnd: isoDay(-80) })));
    expectTripped(overdue, 'declaration.overdue', 'warning', 'operator');
  });

  it('rolls: none mounted, nearly used, used up', async () => {
    const d = await make();
    expectTripped(await run(withStatus(d.port, () => ({ currentRoll: null }))), 'invoices.roll', 'warning', 'operator');
    const low = await run(withStatus(d.port, (s) => ({ currentRoll: { ...s.currentRoll!, nextNumber: s.currentRoll!.endNumber - 9 } })));
    expect(expectTripped(low, 'invoices.roll', 'warning', 'operator').facts.left).toBe(10);
    const out = await run(withStatus(d.port, (s) => ({ currentRoll: { ...s.currentRoll!, nextNumber: s.currentRoll!.endNumber + 1 } })));
    expectTripped(out, 'invoices.roll', 'fault', 'operator');
  });

  it('cumulative limit nearly used, PIN tries at one and none, a declaration waiting on the user card', async () => {
    const d = await make();
    const nearly = withCard(d.port, 'fiscal', (c) => ({
      ...c, fiscal: { ...c.fiscal!, accumulated: { validTotal: { fen: 9_500_000, yuan: '95000.00' } }, monitoring: { ...c.fiscal!.monitoring, cumulative: { fen: 10_000_000, yuan: '100000.00' } }, pinTries: { known: true, left: 1, source: 'query' } },
    }));
    const report = await run(nearly);
    expectTripped(report, 'limits.cumulative', 'warning', 'operator');
    expect(expectTripped(report, 'card.fiscal.pin-tries', 'warning', 'tax-office').code).toBe('63C1');
    const blocked = await run(withCard(d.port, 'fiscal', (c) => ({ ...c, fiscal: { ...c.fiscal!, pinTries: { known: true, left: 0, source: 'query' } } })));
    expectTripped(blocked, 'card.fiscal.pin-tries', 'fault', 'tax-office');
    const waiting = await run(withCard(d.port, 'user', (c) => ({ ...c, user: { ...c.user!, pendingDeclarations: [{ periodStart: '2026-11-01', periodEnd: '2026-11-30' }] } })));
    expectTripped(waiting, 'card.user.declaration-waiting', 'warning', 'operator');
  });

  it('a wrong card in the fiscal slot, and expired cards', async () => {
    const d = await make();
    d.register.simulator.removeCard('fiscal');
    d.register.simulator.insertCard('fiscal', d.register.cards.user);
    const wrong = await d.diagnose();
    expect(expectTripped(wrong, 'card.fiscal.present', 'fault', 'operator').summary.en).toMatch(/not a fiscal card/);
    expect(byId(wrong, 'card.fiscal.validity').status).toBe('not-run');

    const e = await make();
    const healthy = await e.diagnose();
    const validUntil = String(byId(healthy, 'card.fiscal.validity').facts.validUntil);
    const after = new Date(Date.parse(`${validUntil}T12:00:00+08:00`) + 86_400_000);
    const expired = await run(e.port, after);
    expectTripped(expired, 'card.fiscal.validity', 'fault', 'tax-office');
    const soon = await run(e.port, new Date(Date.parse(`${validUntil}T12:00:00+08:00`) - 10 * 86_400_000));
    expectTripped(soon, 'card.fiscal.validity', 'warning', 'tax-office');
  });

  it('a fiscal card registered to a register that is not initialized', async () => {
    const d = await make();
    const report = await run(withStatus(d.port, () => ({ initialized: false })));
    expectTripped(report, 'card.fiscal.registration', 'fault', 'technician');
  });

  it('the healthy report is ok at the wall clock too', async () => {
    const d = await make();
    expect((await run(d.port, today())).verdict).toBe('ok');
  });
});
