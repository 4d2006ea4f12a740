import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pinTriesFromQuery, unknownPinTries, type PinTries } from '../../../protocols/gb18240-card/pinTries.js';
import { assessRegistration, type RegistrationEvidence } from '../../../protocols/gb18240-card/registration.js';
import type { FiscalAccumulation } from '../../../protocols/gb18240-card/fiscalFiles.js';

const idle: FiscalAccumulation = {
  lastIssueDate: null, validCount: 0, returnCount: 0, voidCount: 0, validTotal: 0, returnTotal: 0,
  validAmounts: [0, 0, 0, 0, 0, 0], returnAmounts: [0, 0, 0, 0, 0, 0], lastSignedDate: null, lastDeclaredEnd: null,
};
const query = (sw: number): PinTries => pinTriesFromQuery(sw);

describe('assessRegistration: never decided on the EF02 flag byte', () => {
  it('a blank card of either flag reading is not registered when it holds no PIN (6901 to the ISO query)', () => {
    for (const flag of [0x00, 0x01]) {
      const a = assessRegistration({ flag, pinTries: query(0x6901), mountedRolls: 0, declarations: 0, accumulation: idle });
      expect(a.state).toBe('not-registered');
      expect(a.flagReading).toBe(flag === 0x00 ? 'registered-is-01' : 'registered-is-00');
    }
  });

  it('a card holding a PIN (63Cx, 6983, 9000) or rolls, declarations, invoices is registered, whichever flag', () => {
    for (const flag of [0x00, 0x01]) {
      for (const sw of [0x63c3, 0x63c1, 0x6983, 0x9000]) expect(assessRegistration({ flag, pinTries: query(sw) }).state).toBe('registered');
      const silent = unknownPinTries('not-told', 0x6d00);
      expect(assessRegistration({ flag, pinTries: silent, mountedRolls: 1 }).state).toBe('registered');
      expect(assessRegistration({ flag, pinTries: silent, declarations: 2 }).state).toBe('registered');
      expect(assessRegistration({ flag, pinTries: silent, accumulation: { ...idle, lastSignedDate: '2026-01-01' } }).state).toBe('registered');
    }
  });

  it('is uncertain with no sign, with signs both ways, or with a flag byte that fits neither reading', () => {
    const silent = unknownPinTries('not-told', 0x6d00);
    expect(assessRegistration({ flag: 0x00, pinTries: silent, mountedRolls: 0, declarations: 0, accumulation: idle }))
      .toMatchObject({ state: 'uncertain', flagReading: null, uncertainBecause: 'no-sign' });
    expect(assessRegistration({ flag: 0x01, pinTries: query(0x6901), mountedRolls: 3 }))
      .toMatchObject({ state: 'uncertain', uncertainBecause: 'signs-disagree' });
    expect(assessRegistration({ flag: 0xff, pinTries: query(0x63c3) }))
      .toMatchObject({ state: 'uncertain', uncertainBecause: 'flag-fits-no-reading' });
  });

  it('property: swapping the flag between 00 and 01 never changes the state', () => {
    const sws = fc.constantFrom(0x63c0, 0x63c2, 0x6983, 0x9000, 0x6901, 0x6d00, 0x6a88, 0x6e00);
    fc.assert(fc.property(sws, fc.option(fc.nat(10), { nil: undefined }), fc.option(fc.nat(10), { nil: undefined }), fc.boolean(), (sw, rolls, declarations, used) => {
      const evidence = (flag: number): RegistrationEvidence => ({
        flag, pinTries: query(sw),
        ...(rolls === undefined ? {} : { mountedRolls: rolls }),
        ...(declarations === undefined ? {} : { declarations }),
        accumulation: used ? { ...idle, validCount: 1 } : idle,
      });
      expect(assessRegistration(evidence(0x00)).state).toBe(assessRegistration(evidence(0x01)).state);
    }));
  });
});

describe('pinTriesFromQuery: tries are never guessed', () => {
  it('property: a count only from 63Cx (x) or 6983 (0); any other answer is unknown with its SW', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (sw) => {
      const tries = pinTriesFromQuery(sw);
      if ((sw & 0xfff0) === 0x63c0) expect(tries).toEqual({ known: true, left: sw & 0x0f, source: 'query' });
      else if (sw === 0x6983) expect(tries).toEqual({ known: true, left: 0, source: 'query' });
      else expect(tries).toMatchObject({ known: false, sw: sw.toString(16).toUpperCase().padStart(4, '0') });
    }));
  });
});
