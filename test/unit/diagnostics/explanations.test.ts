import { describe, expect, it } from 'vitest';
import { errorCatalog, type ErrorCode } from '../../../contracts/errors/index.js';
import { knownErrorCodes } from '../../../protocols/gb-link/errorCodes.js';
import { statusTables, statusErrorCode } from '../../../protocols/gb18240-card/statusTable.js';
import { explainEr, explainError, explainStatusWord, explanationTable } from '../../../src/services/diagnostics/explanations.js';

const hasChinese = /[\u4e00-\u9fff]/;

describe('one table of explanations', () => {
  it('every gateway error code has one explanation, a remedy in zh-CN and en, and who can act', () => {
    for (const code of Object.keys(errorCatalog) as ErrorCode[]) {
      const e = explainError(code);
      expect(e.meaning.zh, code).toMatch(hasChinese);
      expect(e.remedy.zh, code).toMatch(hasChinese);
      expect(e.remedy.en.length, code).toBeGreaterThan(5);
      expect(['operator', 'technician', 'tax-office', 'factory']).toContain(e.actor);
    }
    expect(explanationTable().errors).toHaveLength(Object.keys(errorCatalog).length);
  });

  it('every GB-link ER code in protocols/gb-link/errorCodes.ts explains through its own code; an unnamed one as a device error', () => {
    for (const [er, code] of knownErrorCodes) {
      const e = explainEr(er);
      expect(e.code).toBe(code);
      expect(e.remedy.zh).toMatch(hasChinese);
    }
    expect(explainEr(0x99).code).toBe('LINK_DEVICE_ERROR');
    expect(explanationTable().er.map((e) => e.er)).toHaveLength(knownErrorCodes.size);
  });

  it('every status word of protocols/gb18240-card/statusTable.ts is in the table with one explanation, per-command meanings named', () => {
    const inTables = new Set(Object.values(statusTables).flatMap((table) => Object.keys(table).map(Number)));
    const listed = new Map(explanationTable().statusWords.map((e) => [e.sw, e]));
    for (const sw of inTables) {
      const e = listed.get(sw.toString(16).toUpperCase().padStart(4, '0'));
      expect(e, sw.toString(16)).toBeDefined();
      for (const [operation, table] of Object.entries(statusTables)) {
        if (table[sw] !== undefined && table[sw] !== e!.code) expect(e!.byOperation[operation as keyof typeof statusTables]).toBe(table[sw]);
      }
    }
    expect(listed.get('63C2')?.code).toBe('CARD_PIN_WRONG');
    expect(listed.get('6282')?.code).toBe('CARD_WARNING_STATUS');
    expect(explainStatusWord(0x6901).byOperation.GET_REGISTER_NB).toBe('CARD_ALREADY_REGISTERED');
    expect(explainStatusWord(0x9999).code).toBe(statusErrorCode('READ_BINARY', 0x9999));
  });

  it('who acts: locks and expiry the tax office, memory faults the factory, a missing card the operator', () => {
    expect(explainError('CARD_PIN_LOCKED').actor).toBe('tax-office');
    expect(explainEr(0x11).actor).toBe('tax-office');
    expect(explainEr(0x25).actor).toBe('factory');
    expect(explainEr(0x07).actor).toBe('operator');
    expect(explainStatusWord(0x6983).actor).toBe('tax-office');
  });

  it('the remedies this table adds (codes the catalogue gave none) carry no English words in Chinese, beyond commands', () => {
    const added = (['BAD_REQUEST', 'TIMEOUT', 'TRANSPORT_CLOSED', 'JOB_NOT_FOUND', 'DEREG_REGISTER_NOT_INITIALIZED', 'BACKUP_DEVICE_MISMATCH'] as const).map(explainError);
    for (const e of added) expect(e.remedy.zh.replace(/fiscalctl \w+/g, ''), e.code).not.toMatch(/[A-Za-z]{3,}/);
  });
});
