import { afterEach, describe, expect, it } from 'vitest';
import { strictFiscalCardProfiles } from '../../../fixtures/cards/index.js';
import { readCard } from '../../../src/services/cards/readCard.js';
import { changeRequestSchema } from '../../../src/services/changes/changeRequest.js';
import { runChange } from '../../../src/services/changes/runChange.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { ensureVerifiedBackup } from '../../../src/services/backup/ensureVerifiedBackup.js';
import { deregisterRequestSchema } from '../../../src/services/deregister/deregisterRequest.js';
import { runDeregistration, type DeregistrationDeps } from '../../../src/services/deregister/runDeregistration.js';
import { dryRunInitialization, runInitialization } from '../../../src/services/initialize/initializeRegister.js';
import { runRollDistribution } from '../../../src/services/rolls/distributeRoll.js';
import { fakeBackupPort } from '../backup/fakeBackupPort.js';
import { sampleDevice, tempStore } from '../backup/sampleBackup.js';
import { startSimulatedRegister, type SimulatedRegister } from '../initialize/harness.js';
import { RecordingReporter } from '../support/RecordingReporter.js';
import { initializedRegister, watch } from './strictRegister.js';

/**
 * Issue 10 item 0: every flow that reads a fiscal card, against both strict profiles (every F9 is a
 * verification; the other registration-flag reading). The virtual card's own try counter is watched
 * at every APDU: only a real verification (F9 with an 8-byte PIN, sent by the register with the PIN
 * it holds) may move it, and every read leaves it where it was.
 */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

for (const profile of strictFiscalCardProfiles) {
  describe(`fiscal card profile ${profile}: reads never move the try counter`, () => {
    it('card reading through the register\'s slots, three times', async () => {
      const reg = await initializedRegister(profile, { days: 10, invoicesPerDay: 2 });
      closers.push(() => reg.close());
      for (let i = 0; i < 3; i += 1) {
        const report = await readCard(reg.session.cardChannel('fiscal'));
        expect(report.fiscal).toMatchObject({ registration: 'registered', pinTries: { known: true, left: 3 } });
        expect(reg.fiscal.pinTriesLeft).toBe(3);
      }
      expect(reg.watched.countingQueries).toEqual([]);
      expect(reg.watched.verifications).toBe(0);
      expect(reg.watched.moves).toEqual([]);
    });

    it('diagnostics: status, every self-check and the clock', async () => {
      const reg = await initializedRegister(profile, { days: 10, invoicesPerDay: 2 });
      closers.push(() => reg.close());
      await reg.session.status();
      for (const name of ['serial', 'memory', 'cpu', 'rom', 'ram', 'cycle'] as const) await reg.session.selfCheck(name);
      await reg.session.dateTime();
      expect(reg.fiscal.pinTriesLeft).toBe(3);
      expect(reg.watched.countingQueries).toEqual([]);
      expect(reg.watched.moves).toEqual([]);
    });

    it('initialization: dry run twice and the real run; only the register\'s own verification at GB link 30', async () => {
      const register: SimulatedRegister = await startSimulatedRegister({ cards: { profile } });
      closers.push(() => register.close());
      const watched = watch(register.set.fiscal);
      const first = await dryRunInitialization(register.target, register.deps);
      const dry = await dryRunInitialization(register.target, register.deps);
      expect(dry.checks.filter((c) => !c.passed && !c.skipped).map((c) => c.id)).toEqual([]);
      expect(first.checks.find((c) => c.id === 'fiscal-card-not-registered')?.actual).toBe('not registered');
      expect(watched.apdus.filter((a) => a.startsWith('C0F9'))).toEqual([]);
      await runInitialization(register.target, register.deps, { token: dry.confirmation!.token }, new RecordingReporter());
      expect(register.set.fiscal.registered).toBe(true);
      expect(register.set.fiscal.pinTriesLeft).toBe(3);
      expect(watched.countingQueries).toEqual([]);
      expect(watched.moves).toEqual([]);
      const after = await readCard(register.target.cards.fiscal);
      expect(after.fiscal).toMatchObject({ registration: 'registered', pinTries: { known: true, left: 3 } });
    });

    it('rolls: the guard asks with the ISO query; the register verifies once', async () => {
      const reg = await initializedRegister(profile, { days: 10, invoicesPerDay: 2 });
      closers.push(() => reg.close());
      const result = await runRollDistribution(reg.session, { allowLastPinTry: false }, new RecordingReporter());
      expect(result.pinTriesLeft).toBe(3);
      expect(reg.fiscal.pinTriesLeft).toBe(3);
      expect(reg.watched.apdus).toContain('00200000');
      expect(reg.watched.countingQueries).toEqual([]);
      expect(reg.watched.verifications).toBe(1);
      expect(reg.watched.moves).toEqual([]);
    });

    it('changes: a monitoring-data update (GB link 40) and a basic-info change', async () => {
      const reg = await initializedRegister(profile, { days: 10, invoicesPerDay: 2, declaredAndPaid: true });
      closers.push(() => reg.close());
      const update = await runChange(reg.session, changeRequestSchema.parse({ kind: 'monitoring-data' }), new RecordingReporter());
      expect(update.register).toBe('gb-link-40');
      expect(reg.watched.apdus).toContain('00200000');
      await runChange(reg.session, changeRequestSchema.parse({ kind: 'basic-info', taxpayerName: '深圳市新名称有限公司' }), new RecordingReporter());
      expect(reg.fiscal.pinTriesLeft).toBe(3);
      expect(reg.watched.countingQueries).toEqual([]);
      expect(reg.watched.verifications).toBe(1);
      expect(reg.watched.moves).toEqual([]);
    });

    it('deregistration: the final state reads the card, no PIN is checked', async () => {
      const reg = await initializedRegister(profile, { days: 10, invoicesPerDay: 2 });
      closers.push(() => reg.close());
      const backups = await tempStore();
      const now = () => new Date();
      const deps: DeregistrationDeps = {
        operator: '张工', now,
        backupGate: { pass: (options) => ensureVerifiedBackup(sampleDevice.id, backups, async () => collectBackup(fakeBackupPort(), backups, { now }), options) },
        withRegister: (work) => work(reg.session),
      };
      const result = await runDeregistration(deps, deregisterRequestSchema.parse({ allowUndeclared: true }), new RecordingReporter());
      expect(result.finalState.fiscalCard).toMatchObject({ present: true, registered: true, pinTriesLeft: 3 });
      expect(reg.fiscal.pinTriesLeft).toBe(3);
      expect(reg.watched.countingQueries).toEqual([]);
      expect(reg.watched.verifications).toBe(0);
      expect(reg.watched.moves).toEqual([]);
    });
  });
}
