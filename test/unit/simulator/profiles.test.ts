import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { handlerFor } from '../../../fixtures/simulator/CommandHandler.js';
import { standardCommands } from '../../../fixtures/simulator/commands/index.js';
import { bootloaderHandlers } from '../../../fixtures/simulator/bootloaderMode.js';
import { parseSimulatorProfile, type SimulatorProfileInput } from '../../../fixtures/simulator/SimulatorProfile.js';
import type { SimulatorEvent } from '../../../fixtures/simulator/RegisterSimulator.js';
import { CMD, invoicesByIndex } from '../../../protocols/gb-link/index.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../../../src/services/backup/registerBackupPort.js';
import { runDiagnostics } from '../../../src/services/diagnostics/runDiagnostics.js';
import type { DiagnosticsPort } from '../../../src/services/diagnostics/DiagnosticsPort.js';
import type { JobContext } from '../../../src/jobs/types.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { RecordingReporter, startSimulatedRegister } from '../initialize/harness.js';
import { tempStore } from '../backup/sampleBackup.js';

const open: { register: SimulatedRegister; session: RegisterSession }[] = [];
afterEach(async () => {
  for (const { register, session } of open.splice(0)) {
    await session.close();
    await register.close();
  }
});

/** A seeded register running `profile`, a session on it, and every command it was sent. */
async function seeded(profile: SimulatorProfileInput, extra: Parameters<typeof createSimulatedRegister>[0] = {}) {
  const register = await createSimulatedRegister({ seed: 5, history: { days: 40, invoicesPerDay: 5 }, timing: { timed: false }, profile, ...extra });
  const session = await RegisterSession.open(register.transport, { deviceId: 'sim' });
  const commands: Extract<SimulatorEvent, { type: 'command' }>[] = [];
  register.simulator.onEvent((event) => { if (event.type === 'command') commands.push(event); });
  open.push({ register, session });
  return { register, session, commands };
}

/** The diagnostics view of a session, as the daemon's adapter makes it: 5C–61, 41, 3A. */
function diagnosticsOver(session: RegisterSession, machineNumber: string): DiagnosticsPort {
  return {
    machineNumber,
    selfCheck: async (name) => ((await session.selfCheck(name)).result === 0 ? { passed: true } : { passed: false }),
    status: async () => {
      const status = await session.status();
      return { initialized: status.initialized, locks: status.locks, awaitingControlUpdate: status.awaitingControlUpdate, raw: {} };
    },
    clock: async () => new Date(`${await session.dateTime()}+08:00`),
  };
}

const sentCodes = (commands: { cmd: number }[]) => new Set(commands.map((c) => c.cmd));

function jobContext(deviceId: string): JobContext {
  return {
    jobId: 'j', deviceId, operator: 'test', signal: new AbortController().signal, log: silentLogger,
    stage: () => undefined, progress: () => undefined, record: () => undefined, throwIfCancelled: () => undefined,
    checkpoint: () => undefined, resumedFrom: undefined, waiting: () => undefined, running: () => undefined,
  };
}

const profiles: [string, SimulatorProfileInput][] = [
  ['public', parseSimulatorProfile('public')],
  ['no 72', parseSimulatorProfile('no-72')],
  ['no 73', parseSimulatorProfile('no-73')],
  ['no 3C', parseSimulatorProfile('no-3c')],
];

describe('simulator profiles', () => {
  it('parses named profiles, single missing commands and a max message', () => {
    expect(parseSimulatorProfile('public').without).toEqual(expect.arrayContaining([0x3c, 0x70, 0x71, 0x72, 0x73, 0xff]));
    expect(parseSimulatorProfile('no-72,no-3c+max-message=4096')).toEqual({ without: [0x3c, 0x72], maxMessage: 4096, firmwareMaxBlock: 65_024, protocolVersion: 2 });
    expect(parseSimulatorProfile('window-v1').protocolVersion).toBe(1);
    expect(parseSimulatorProfile('full+protocol=1').protocolVersion).toBe(1);
    expect(parseSimulatorProfile('max-block=2048').firmwareMaxBlock).toBe(2048);
    expect(() => parseSimulatorProfile('no-such')).toThrow(/unknown simulator profile/);
  });

  it('public firmware answers ER 20 to 70 and to every extension; a missing extension is left out of 70', async () => {
    const pub = await seeded(parseSimulatorProfile('public'));
    expect((await pub.session.extensions()).publicFirmware).toBe(true);
    const no72 = await seeded(parseSimulatorProfile('no-72+max-message=4096'));
    const caps = await no72.session.capabilities();
    expect(caps.commands).not.toContain(0x72);
    expect(caps.commands).toEqual(expect.arrayContaining([0x70, 0x71, 0x73, 0x3c]));
    expect(caps.maxMessage).toBe(4096);
    expect(caps.protocolVersion).toBe(2);
    const v1 = await seeded(parseSimulatorProfile('window-v1'));
    expect((await v1.session.capabilities()).protocolVersion).toBe(1);
    // Its bootloader says the same: its 74 is the same one.
    v1.register.simulator.answerOnly(bootloaderHandlers);
    const fromBootloader = await RegisterSession.open(v1.register.transport, { deviceId: 'sim-bootloader' });
    try {
      expect((await fromBootloader.capabilities()).protocolVersion).toBe(1);
    } finally {
      await fromBootloader.close();
    }
  });
});

describe.each(profiles)('a register with firmware "%s"', (name, profile) => {
  it('is identified (the minimum of SPEC §5.0 holds) and diagnosed, with no extension it lacks ever sent', async () => {
    const { register, session, commands } = await seeded(profile);
    const identity = await registerSessionLink().identify(session);
    expect(identity.machineNumber).toBe(register.state.identity.machineNumber);
    const report = await runDiagnostics(jobContext('sim'), diagnosticsOver(session, identity.machineNumber));
    expect(report.findings.filter((f) => f.check.startsWith('self-check:')).every((f) => f.severity === 'ok')).toBe(true);
    expect(report.verdict).not.toBe('fault');
    const missing = new Set(profile.without);
    expect(commands.filter((c) => c.cmd !== CMD.CAPABILITIES && missing.has(c.cmd))).toEqual([]);
    expect(commands.filter((c) => c.cmd === CMD.CAPABILITIES)).toHaveLength(1);
  });

  it('is backed up completely from what it offers; the manifest names the checks it could not make', async () => {
    const { register, session, commands } = await seeded(profile);
    const store = await tempStore();
    const { manifest } = await collectBackup(await openRegisterBackupPort(session, { deviceId: 'sim', cards: false }), store);
    const memory = register.simulator.memory.counts();
    expect(manifest.problems).toEqual([]);
    expect(manifest.kinds.invoices).toMatchObject({ records: memory.invoices, expected: memory.invoices });
    expect(manifest.kinds.daily).toMatchObject({ records: memory.dailyRecords, expected: memory.dailyRecords });
    expect(manifest.kinds.declarations).toMatchObject({ records: memory.declarations, expected: memory.declarations });
    expect(manifest.kinds.rolls).toMatchObject({ records: memory.rolls, expected: memory.rolls });
    const missing = new Set(profile.without);
    expect(commands.filter((c) => c.outcome === 'error' && c.cmd !== CMD.CAPABILITIES)).toEqual([]);
    expect([...sentCodes(commands)].filter((c) => c !== CMD.CAPABILITIES && missing.has(c))).toEqual([]);
    const skipped = (manifest.skipped ?? []).map((s) => `${s.check} ${s.kind} ${s.command}`).sort();
    const expected = {
      public: ['count counts 72', 'read init-history 73', 'read roll-summaries 3C'],
      'no 72': ['count counts 72', 'count init-history 72', 'count roll-summaries 72'],
      'no 73': ['read init-history 73'],
      'no 3C': ['read roll-summaries 3C'],
    }[name];
    expect(skipped).toEqual(expected);
    for (const [kind, code] of [['init-history', 0x73], ['roll-summaries', 0x3c], ['counts', 0x72]] as const) {
      expect(manifest.kinds[kind] === undefined).toBe(missing.has(code) || (kind !== 'counts' && profile.without?.includes(0x70) === true));
    }
    if (!missing.has(0x73)) expect(manifest.kinds['init-history']?.records).toBe(memory.initializations);
    expect((await store.verify(manifest.id)).ok).toBe(true);
  });
});

describe('a register below the minimum (SPEC §5.0)', () => {
  it('is not served: the registry shows it offline with an error naming the command it lacks', async () => {
    const register = await createSimulatedRegister({ seed: 4, timing: { timed: false }, profile: parseSimulatorProfile('no-41') });
    const registry = new DeviceRegistry<RegisterSession>({ link: registerSessionLink({ replyTimeoutMs: 300, retries: 0 }), heartbeatMs: 0 });
    try {
      const id = registry.add(register.transport, { simulated: true });
      for (let i = 0; i < 200 && registry.get(id)?.state !== 'offline'; i++) await new Promise((r) => setTimeout(r, 10));
      const device = registry.get(id)!;
      expect(device.state).toBe('offline');
      expect(device.identity).toBeUndefined();
      expect(device.lastError?.message).toContain('command 41');
    } finally {
      await registry.close();
      await register.close();
    }
  });
});

describe('completeness without 72: from the records themselves', () => {
  it('a record missing from the answers is named by its sequence number and by status 41\'s count', async () => {
    // Firmware that loses invoice 30 from its by-position answers.
    const lossy = standardCommands.find((h) => h.code === CMD.INVOICES_BY_INDEX)!;
    const losing = handlerFor(invoicesByIndex, async (context, request) => {
      const answer = invoicesByIndex.response.decode(await lossy.handle(context, invoicesByIndex.request.encode(request)));
      return answer.filter((invoice) => invoice.seq !== 30);
    });
    const { session } = await seeded(parseSimulatorProfile('public'), { handlers: [losing] });
    const { manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false, pageSize: 50 }), await tempStore());
    const found = manifest.problems.map((p) => `${p.check} ${p.kind}`);
    expect(found).toContain('sequence invoices');
    expect(found).toContain('count invoices');
    expect(manifest.problems.find((p) => p.check === 'sequence')?.data).toEqual({ expected: 30, found: 31 });
  });
});

describe('max message', () => {
  it('advertised in 70: the backup never makes the register refuse a page; on public firmware it shrinks after ER 22 and completes', async () => {
    const advertised = await seeded(parseSimulatorProfile('max-message=4096'));
    const first = await collectBackup(await openRegisterBackupPort(advertised.session, { cards: false }), await tempStore());
    expect(first.manifest.problems).toEqual([]);
    expect(advertised.commands.filter((c) => c.outcome === 'error')).toEqual([]);

    const silent = await seeded(parseSimulatorProfile('public+max-message=4096'));
    const second = await collectBackup(await openRegisterBackupPort(silent.session, { cards: false }), await tempStore());
    expect(second.manifest.problems).toEqual([]);
    expect(second.manifest.kinds.invoices?.records).toBe(silent.register.simulator.memory.counts().invoices);
    const refused = silent.commands.filter((c) => c.outcome === 'error' && c.cmd !== CMD.CAPABILITIES);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((c) => c.code === 0x22)).toBe(true);
    // Each kind shrinks once to a size that fits and keeps it: a handful of refusals, not one per page.
    expect(refused.length).toBeLessThanOrEqual(12);
  });
});

describe.each(profiles)('initialization on firmware "%s"', (_name, profile) => {
  it('initializes through public commands only', async () => {
    const register = await startSimulatedRegister({ profile });
    try {
      const commands: number[] = [];
      register.sim.onEvent((event) => { if (event.type === 'command') commands.push(event.cmd); });
      const dry = await dryRunInitialization(register.target, register.deps);
      const result = await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter());
      expect(result.readBack.every((f) => f.matches)).toBe(true);
      const missing = new Set(profile.without);
      expect(commands.filter((c) => missing.has(c))).toEqual([]);
    } finally {
      await register.close();
    }
  });
});
