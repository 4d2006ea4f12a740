import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeightedProgress } from '../../../src/jobs/WeightedProgress.js';
import { redactSecrets } from '../../../src/jobs/redact.js';

describe('WeightedProgress', () => {
  it('weights stages and estimates the time left from the pace so far', () => {
    const p = new WeightedProgress([{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }], 0);
    expect(p.snapshot(0)).toMatchObject({ stage: null, fraction: 0, etaSeconds: null });
    p.enter(1);
    p.advance(0.5);
    const snap = p.snapshot(10_000);
    expect(snap.fraction).toBe(0.625);
    expect(snap.etaSeconds).toBe(6);
  });

  it('stays within 0…1 and never goes back within a stage, whatever it is fed', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.oneof(fc.double(), fc.constant(Number.NaN)), { maxLength: 20 }),
      (weights, fractions) => {
        const p = new WeightedProgress(weights.map((weight, i) => ({ id: `s${i}`, weight })), 0);
        p.enter(weights.length - 1);
        let last = 0;
        for (const f of fractions) {
          p.advance(f);
          const { fraction } = p.snapshot(1000);
          expect(fraction).toBeGreaterThanOrEqual(last);
          expect(fraction).toBeLessThanOrEqual(1);
          last = fraction;
        }
      },
    ));
  });
});

describe('redactSecrets', () => {
  it('blanks secret-named fields at any depth and keeps the rest', () => {
    expect(redactSecrets({ pin: '1', nested: [{ MAC2: 'x', name: 'n' }], token: 't', keep: 3 }))
      .toEqual({ pin: '[redacted]', nested: [{ MAC2: '[redacted]', name: 'n' }], token: '[redacted]', keep: 3 });
  });
});

describe('WeightedProgress ETA when progress goes backwards', () => {
  it('is null or a whole number of seconds, never negative, 0 only at the end, whatever the stages, the fractions and the clock do', () => {
    type Step = { kind: 'enter'; stage: number } | { kind: 'advance'; fraction: number } | { kind: 'tick'; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('enter' as const), stage: fc.nat(4) }),
      fc.record({ kind: fc.constant('advance' as const), fraction: fc.oneof(fc.double(), fc.constant(Number.NaN)) }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: -60_000, max: 600_000 }) }),
    );
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 5 }), fc.array(step, { maxLength: 40 }), (weights, steps) => {
      const p = new WeightedProgress(weights.map((weight, i) => ({ id: `s${i}`, weight })), 0);
      let now = 0;
      for (const s of steps) {
        if (s.kind === 'enter') p.enter(s.stage % weights.length);
        else if (s.kind === 'advance') p.advance(s.fraction);
        else now += s.ms;
        const { fraction, etaSeconds } = p.snapshot(now);
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThanOrEqual(1);
        if (etaSeconds !== null) {
          expect(Number.isInteger(etaSeconds)).toBe(true);
          expect(etaSeconds).toBeGreaterThanOrEqual(0);
          expect(etaSeconds === 0).toBe(fraction >= 1);
        }
      }
    }));
  });

  it('gives a longer ETA, at the same pace, when a stage is entered again', () => {
    const p = new WeightedProgress([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], 0);
    p.enter(1);
    p.advance(0.5);
    const before = p.snapshot(30_000);
    p.enter(0);
    p.advance(0.5);
    const after = p.snapshot(30_000);
    expect(before).toMatchObject({ fraction: 0.75, etaSeconds: 10 });
    expect(after).toMatchObject({ fraction: 0.25, etaSeconds: 90 });
  });
});
