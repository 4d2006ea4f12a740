import { describe, expect, it } from 'vitest';
import { formatSummary, summarize } from '../../helpers/killCampaign/campaignReport.js';
import { backupsReportedFailed } from '../../helpers/killCampaign/collectTruth.js';
import { countKillOutcome } from '../../helpers/killCampaign/killCounters.js';
import { drawFromMeasuredRun, drawWithin } from '../../helpers/killCampaign/killPlan.js';
import type { KillTrial } from '../../helpers/killCampaign/runKillTrial.js';
import { Rng } from '../../../fixtures/simulator/Rng.js';

const truth = { initialized: true, initializations: 1, fiscalCardRegistered: true, pinTriesLeft: 3, pinTries: 3, registerPinMatchesCard: true };
const clean = { pinTriesSpent: 0, cardRegisteredToUninitializedRegister: 0, committedBackupsReportedFailed: 0, jobsUnreconciled: 0 };

function trial(overrides: Partial<KillTrial>): KillTrial {
  return {
    operation: 'backup', mode: 'inproc', plan: { anchor: 'read', delayMs: 10 },
    landing: { lastStage: 'read', afterEnd: false, anchorMissed: false, killedAt: 1 },
    killedJob: { state: 'failed', errorCode: 'INTERRUPTED_BY_RESTART' }, retry: 'succeeded',
    before: truth, settled: truth, after: truth, counters: clean, ...overrides,
  };
}

describe('kill campaign plans', () => {
  it('draws the same moments from the same seed, each after the last stage before it', () => {
    const measured = { durationMs: 1000, signals: [{ anchor: 'read', atMs: 100 }, { anchor: 'verify', atMs: 900 }] };
    const draw = (seed: number) => { const random = new Rng(seed); return Array.from({ length: 50 }, () => drawFromMeasuredRun(random, measured)); };
    const plans = draw(5);
    expect(draw(5)).toEqual(plans);
    expect(draw(6)).not.toEqual(plans);
    for (const plan of plans) {
      const start = { started: 0, read: 100, verify: 900 }[plan.anchor as 'started' | 'read' | 'verify'];
      expect(start).toBeDefined();
      expect(start + plan.delayMs).toBeLessThanOrEqual(1000);
      if (plan.anchor === 'started') expect(plan.delayMs).toBeLessThanOrEqual(100);
      if (plan.anchor === 'read') expect(plan.delayMs).toBeLessThanOrEqual(800);
    }
    expect(new Set(plans.map((p) => p.anchor))).toEqual(new Set(['started', 'read', 'verify']));
  });

  it('keeps a drawn delay inside its window', () => {
    const random = new Rng(1);
    for (let i = 0; i < 100; i += 1) {
      const plan = drawWithin(random, ['write'], 200, 300);
      expect(plan.anchor).toBe('write');
      expect(plan.delayMs).toBeGreaterThanOrEqual(200);
      expect(plan.delayMs).toBeLessThanOrEqual(300);
    }
  });
});

describe('kill campaign summary', () => {
  it('adds the counters per operation and mode, and is ok only when all are 0 and every run was carried out', () => {
    const allClean = summarize(1, [trial({}), trial({ mode: 'pty' })], []);
    expect(allClean.ok).toBe(true);
    expect(allClean.kills).toBe(2);

    const bad = summarize(1, [
      trial({ operation: 'initialize', counters: { ...clean, pinTriesSpent: 1, cardRegisteredToUninitializedRegister: 1 }, retry: 'failed INIT_STEP_FAILED' }),
      trial({ operation: 'initialize', landing: { lastStage: 'verify', afterEnd: true, anchorMissed: false, killedAt: 1 }, killedJob: { state: 'succeeded', errorCode: null }, retry: null }),
      trial({ counters: { ...clean, committedBackupsReportedFailed: 1 } }),
    ], []);
    expect(bad.ok).toBe(false);
    expect(bad.totals).toEqual({ pinTriesSpent: 1, cardRegisteredToUninitializedRegister: 1, committedBackupsReportedFailed: 1, jobsUnreconciled: 0 });
    const initialize = bad.rows.find((row) => row.operation === 'initialize')!;
    expect(initialize).toMatchObject({ runs: 2, kills: 2, killsInsideJob: 1, retries: { 'failed INIT_STEP_FAILED': 1 } });
    expect(formatSummary(bad)).toMatch(/^total\s+3\s+3\s+2\s+1\s+1\s+1\s+0\s+0$/m);

    const broken = summarize(1, [trial({})], [{ operation: 'roll', mode: 'pty', error: 'fiscald did not start' }]);
    expect(broken.ok).toBe(false);
    expect(formatSummary(broken)).toContain('error in roll/pty: fiscald did not start');
  });
});

describe('kill campaign counters', () => {
  const fresh = { ...truth, initialized: false, initializations: 0, fiscalCardRegistered: false, registerPinMatchesCard: undefined };

  it('counts a try lost after the restart even when the retry refilled the counter', () => {
    expect(countKillOutcome(truth, [{ ...truth, pinTriesLeft: 2 }, truth], 0, 0).pinTriesSpent).toBe(1);
    expect(countKillOutcome(truth, [truth, { ...truth, pinTriesLeft: 1 }], 0, 0).pinTriesSpent).toBe(2);
    expect(countKillOutcome(truth, [truth, truth], 0, 0)).toEqual(clean);
  });

  it('counts a card left registered to a register that is not initialized, unless the run found it so', () => {
    const halfDone = { ...fresh, fiscalCardRegistered: true };
    expect(countKillOutcome(fresh, [halfDone, halfDone], 0, 0).cardRegisteredToUninitializedRegister).toBe(1);
    expect(countKillOutcome(fresh, [halfDone, truth], 0, 0).cardRegisteredToUninitializedRegister).toBe(0);
    expect(countKillOutcome(halfDone, [halfDone, halfDone], 0, 0).cardRegisteredToUninitializedRegister).toBe(0);
  });

  it('passes the backup and job counts through', () => {
    expect(countKillOutcome(truth, [truth], 2, 1)).toEqual({ ...clean, committedBackupsReportedFailed: 2, jobsUnreconciled: 1 });
  });
});

describe('committed backups a killed job does not report', () => {
  const job = (state: string, result: unknown) => ({ id: 'j', kind: 'backup', state, stage: null, stages: [], result, error: null, createdAt: '' });
  const committed = { id: 'abcdefghijkl', createdAt: '2026-12-05T10:00:00.000Z', verifies: true };
  const killedAt = Date.parse('2026-12-05T10:00:05.000Z');

  it('counts a verifying backup made before the kill when its job failed or does not name it', () => {
    expect(backupsReportedFailed([committed], killedAt, job('failed', null))).toEqual([committed]);
    expect(backupsReportedFailed([committed], killedAt, job('succeeded', { backupId: 'other' }))).toEqual([committed]);
    expect(backupsReportedFailed([committed], killedAt, job('succeeded', { backupId: committed.id }))).toEqual([]);
  });

  it('leaves out backups made after the kill, ones that do not verify, and jobs of other kinds', () => {
    expect(backupsReportedFailed([{ ...committed, createdAt: '2026-12-05T10:00:06.000Z' }], killedAt, job('failed', null))).toEqual([]);
    expect(backupsReportedFailed([{ ...committed, verifies: false }], killedAt, job('failed', null))).toEqual([]);
    expect(backupsReportedFailed([committed], killedAt, { ...job('failed', null), kind: 'deregister' })).toEqual([]);
  });
});
