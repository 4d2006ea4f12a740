import { afterEach, describe, expect, it } from 'vitest';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { ensureVerifiedBackup } from '../../../src/services/backup/ensureVerifiedBackup.js';
import type { BackupStore } from '../../../src/services/backup/BackupStore.js';
import type { BackupGate } from '../../../src/services/common/BackupGate.js';
import { runDeregistration, deregistrationStages, type DeregistrationDeps } from '../../../src/services/deregister/runDeregistration.js';
import { deregisterRequestSchema } from '../../../src/services/deregister/deregisterRequest.js';
import { deregistrationOf } from '../../../src/services/common/deregistrationOf.js';
import type { PastRecord } from '../../../src/services/common/PastRecord.js';
import { fakeBackupPort } from '../backup/fakeBackupPort.js';
import { parseSimulatorProfile } from '../../../fixtures/simulator/SimulatorProfile.js';
import { sampleDevice, tempStore } from '../backup/sampleBackup.js';
import { failureOf, RecordingReporter, startInitializedRegister, type InitializedRegister } from '../rolls/harness.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** The backup service's own gate behind the port, as the backup area wires it, over a test store. */
function gateOver(backups: BackupStore, makeBackup: () => Promise<{ readonly manifest: { readonly id: string } }>): BackupGate {
  return { pass: (options) => ensureVerifiedBackup(sampleDevice.id, backups, makeBackup, options) };
}

async function depsFor(register: InitializedRegister, now = () => new Date()) {
  const backups = await tempStore();
  const made: string[] = [];
  const deps: DeregistrationDeps = {
    operator: '张工', now,
    backupGate: gateOver(backups, async () => {
      const committed = await collectBackup(fakeBackupPort(), backups, { now });
      made.push(committed.manifest.id);
      return committed;
    }),
    withRegister: (work) => work(register.session),
  };
  return { deps, made, backups };
}

describe('deregistration (注销)', () => {
  it('refuses while sales after the last declaration remain, after making a verified backup first', async () => {
    current = await startInitializedRegister();
    const { deps, made } = await depsFor(current);
    const reporter = new RecordingReporter();
    const failure = await failureOf(runDeregistration(deps, deregisterRequestSchema.parse({}), reporter));
    expect(reporter.stages.slice(0, 2)).toEqual(['backup', 'final-state']);
    expect(made).toHaveLength(1);
    expect(failure.code).toBe('DEREG_UNDECLARED_PERIOD');
    expect(failure.params.since).toBeTruthy();
    expect(current.reg.simulator.slots.isPowered('fiscal')).toBe(true);
  });

  it('with allowUndeclared: records the final state, powers the fiscal card off, leaves fiscal memory and the PIN untouched, prints the summary', async () => {
    current = await startInitializedRegister();
    const { deps, made } = await depsFor(current);
    const memoryBefore = JSON.stringify(current.reg.simulator.state.fiscal);
    const pinBefore = Buffer.from(current.reg.cards.fiscal.currentPin).toString('hex');
    const reporter = new RecordingReporter();
    const result = await runDeregistration(deps, deregisterRequestSchema.parse({ allowUndeclared: true, note: '税务机关同意' }), reporter);
    expect(reporter.stages).toEqual(deregistrationStages.map((s) => s.id));
    expect(result.backup).toMatchObject({ backupId: made[0], reused: false });
    expect(JSON.stringify(current.reg.simulator.state.fiscal)).toBe(memoryBefore);
    expect(Buffer.from(current.reg.cards.fiscal.currentPin).toString('hex')).toBe(pinBefore);
    expect(current.reg.simulator.slots.isPowered('fiscal')).toBe(false);
    const fiscal = current.reg.simulator.state.fiscal;
    expect(result.finalState.counters).toMatchObject({ invoices: fiscal.invoices.length, declarations: fiscal.declarations.length });
    expect(result.finalState.fiscalCard).toMatchObject({ present: true, registered: true, pinTriesLeft: current.reg.cards.fiscal.pinTriesLeft });
    expect(result.fiscalCardNumber).toBe(fiscal.initializations[0]!.fiscalCardNumber);
    expect(result.summary).toContain(`机器编号：${result.machineNumber}`);
    expect(result.summary).toContain(`税控卡号：${result.fiscalCardNumber}`);
    expect(result.summary).toContain(`发票总数：${fiscal.invoices.length}`);
    expect(result.summary).toContain(`数据备份：${made[0]}`);
    // Times in the register's zone (UTC+8 by default), never the gateway's UTC instants.
    expect(result.summary).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(result.summary).toMatch(/记录时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（UTC\+08:00）/);
    expect(result.summary).toContain('剪角作废');
    expect(result.summary).toContain('经同意直接注销');
    expect(reporter.after).toMatchObject({ deregistered: true, backupId: made[0], note: '税务机关同意' });
  });

  it('prints the record in the register time zone it is given (the daemon\'s registerUtcOffset), not UTC+8 always', async () => {
    current = await startInitializedRegister();
    const { deps } = await depsFor(current);
    const result = await runDeregistration({ ...deps, utcOffsetMinutes: -300 }, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter());
    expect(result.summary).toMatch(/记录时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（UTC-05:00）/);
  });

  it('on public firmware (no 70, so no 72): the final counters come from status 41, the ones 41 does not count are unknown', async () => {
    current = await startInitializedRegister({ profile: parseSimulatorProfile('public') });
    const sent: number[] = [];
    current.reg.simulator.onEvent((event) => { if (event.type === 'command') sent.push(event.cmd); });
    const { deps } = await depsFor(current);
    const result = await runDeregistration(deps, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter());
    const fiscal = current.reg.simulator.state.fiscal;
    expect(result.finalState.counters).toEqual({
      invoices: fiscal.invoices.length, dailyRecords: fiscal.dailyRecords.length, declarations: fiscal.declarations.length,
      distributedRolls: fiscal.rolls.length, rollSummaries: null, initializations: null,
    });
    expect(result.summary).toContain('发票卷汇总：未知　初始化/变更记录：未知');
    expect(sent).not.toContain(0x72);
  });

  it('reuses a verified backup from the last hour instead of making another', async () => {
    current = await startInitializedRegister();
    const { deps, made, backups } = await depsFor(current);
    const earlier = await collectBackup(fakeBackupPort(), backups);
    const result = await runDeregistration(deps, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter());
    expect(made).toHaveLength(0);
    expect(result.backup).toMatchObject({ backupId: earlier.manifest.id, reused: true });
  });

  it('a backup older than an hour does not count: a new one is made first', async () => {
    current = await startInitializedRegister();
    const later = () => new Date(Date.now() + 2 * 3_600_000);
    const { deps, made, backups } = await depsFor(current, later);
    await collectBackup(fakeBackupPort(), backups);
    const result = await runDeregistration(deps, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter());
    expect(made).toHaveLength(1);
    expect(result.backup).toMatchObject({ backupId: made[0], reused: false });
  });

  it('stops before the register when no backup can be made', async () => {
    current = await startInitializedRegister();
    const { deps, backups } = await depsFor(current);
    let borrowed = false;
    const failure = await failureOf(runDeregistration({
      ...deps,
      backupGate: gateOver(backups, () => Promise.reject(new Error('disk full'))),
      withRegister: (work) => { borrowed = true; return work(current!.session); },
    }, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter()));
    expect(failure.code).toBe('BACKUP_GATE_FAILED');
    expect(borrowed).toBe(false);
  });

  it('refuses a register this gateway deregistered already, before any backup or register read', async () => {
    current = await startInitializedRegister();
    const { deps, made } = await depsFor(current);
    let borrowed = false;
    const history: PastRecord[] = [{ id: 12, at: '2026-05-01T08:00:00.000Z', action: 'deregister', result: 'succeeded', after: { deregistered: true } }];
    const failure = await failureOf(runDeregistration({
      ...deps, history, withRegister: (work) => { borrowed = true; return work(current!.session); },
    }, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter()));
    expect(failure.code).toBe('DEREG_ALREADY_DONE');
    expect(failure.params).toMatchObject({ at: '2026-05-01T08:00:00.000Z', recordId: 12 });
    expect(made).toHaveLength(0);
    expect(borrowed).toBe(false);
  });
});

describe('deregistrationOf (the gateway\'s records of a register)', () => {
  const record = (id: number, action: string, result: string): PastRecord => ({ id, at: `2026-05-0${id}T08:00:00.000Z`, action, result, after: null });

  it('is the latest succeeded deregistration', () => {
    expect(deregistrationOf([record(1, 'initialize', 'succeeded'), record(2, 'roll', 'succeeded'), record(3, 'deregister', 'succeeded')]))
      .toEqual({ at: '2026-05-03T08:00:00.000Z', recordId: 3 });
  });

  it('ignores a failed or refused deregistration, and one followed by a new initialization', () => {
    expect(deregistrationOf([record(1, 'initialize', 'succeeded'), record(2, 'deregister', 'failed')])).toBeUndefined();
    expect(deregistrationOf([record(1, 'deregister', 'succeeded'), record(2, 'initialize', 'succeeded')])).toBeUndefined();
    expect(deregistrationOf([record(2, 'deregister', 'succeeded'), record(1, 'initialize', 'succeeded')])).toMatchObject({ recordId: 2 });
  });
});
