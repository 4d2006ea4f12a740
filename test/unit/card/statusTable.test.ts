import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../../contracts/errors/index.js';
import { cardStatusError, statusErrorCode, statusTables, type CardOperation } from '../../../protocols/gb18240-card/statusTable.js';

describe('status words per command', () => {
  it.each<[CardOperation, number, string]>([
    ['GET_REGISTER_NB', 0x6901, 'CARD_ALREADY_REGISTERED'],
    ['ISSUE_INVOICE', 0x6901, 'CARD_NOT_REGISTERED'],
    ['ISSUE_INVOICE', 0x9401, 'CARD_LIMIT_EXCEEDED'],
    ['ISSUE_INVOICE', 0x6985, 'CARD_ISSUE_NOT_ALLOWED'],
    ['DISTRIBUTE_INVOICE_NB', 0x9401, 'CARD_NO_ROLL_TO_DISTRIBUTE'],
    ['TERMINAL_REGISTER', 0x9302, 'CARD_MAC_MISMATCH'],
    ['REGISTER_SIGN', 0x6a80, 'CARD_USER_LACKS_FISCAL_CARD'],
    ['VERIFY_FISCAL_PIN', 0x63c2, 'CARD_PIN_WRONG'],
    ['VERIFY_FISCAL_PIN', 0x6983, 'CARD_PIN_LOCKED'],
    ['REGISTER_SIGN', 0x6d00, 'CARD_WRONG_TYPE'],
    ['SELECT_APPLICATION', 0x6a82, 'CARD_WRONG_TYPE'],
    ['SELECT_FILE', 0x6a82, 'CARD_FILE_NOT_FOUND'],
    ['UPDATE_CONTROLS', 0x9403, 'CARD_KEY_VERSION'],
    ['DECLARE_DUTY', 0x6581, 'CARD_MEMORY_FAULT'],
    ['READ_BINARY', 0x9303, 'CARD_APP_LOCKED'],
    ['READ_RECORD', 0x9401, 'CARD_UNKNOWN_STATUS'],
    ['DATA_COLLECT', 0x1234, 'CARD_UNKNOWN_STATUS'],
  ])('%s %s → %s', (operation, sw, code) => {
    expect(statusErrorCode(operation, sw)).toBe(code);
  });

  it('tells a PIN locked by the fiscal commands that need it, not an application to replace', () => {
    for (const operation of ['ISSUE_INVOICE', 'DECLARE_DUTY', 'UPDATE_CONTROLS', 'INPUT_INVOICE_NB', 'DAILY_COLLECT_SIGN', 'VERIFY_FISCAL_PIN'] as const) {
      expect(statusErrorCode(operation, 0x6983)).toBe('CARD_PIN_LOCKED');
    }
  });

  // GB18240.md "Status words and what to tell the technician", row by row, for a command with no table of its own.
  it.each(([
    [0x6581, 'CARD_MEMORY_FAULT', true],
    [0x6700, 'CARD_WRONG_LENGTH', true],
    [0x6901, 'CARD_STATE_NOT_ALLOWED', true],
    [0x6982, 'CARD_SECURITY_NOT_SATISFIED', true],
    [0x6983, 'CARD_AUTH_LOCKED', true],
    [0x6985, 'CARD_CONDITIONS_NOT_SATISFIED', true],
    [0x6a80, 'CARD_WRONG_DATA', true],
    [0x6a81, 'CARD_FUNCTION_NOT_SUPPORTED', true],
    [0x6a82, 'CARD_FILE_NOT_FOUND', true],
    [0x6a83, 'CARD_RECORD_NOT_FOUND', false],
    [0x6a84, 'CARD_STORE_FULL', true],
    [0x6a86, 'CARD_WRONG_PARAMETERS', true],
    [0x6d00, 'CARD_WRONG_PARAMETERS', true],
    [0x6e00, 'CARD_WRONG_PARAMETERS', true],
    [0x6a88, 'CARD_KEY_NOT_FOUND', true],
    [0x63c1, 'CARD_PIN_WRONG', true],
    [0x9302, 'CARD_MAC_MISMATCH', true],
    [0x9303, 'CARD_APP_LOCKED', true],
    [0x9403, 'CARD_KEY_VERSION', true],
  ] as const).map(([sw, code, withRemedy]) => [sw.toString(16).toUpperCase(), sw, code, withRemedy] as const))('GB18240.md row %s is %s, in both languages', (_hex, sw, code, withRemedy) => {
    const error = cardStatusError('READ_BINARY', sw, { file: 'EF02' });
    expect(error.code).toBe(code);
    expect(error.localized('zh-CN')).not.toBe(error.localized('en'));
    expect(error.remedy('zh-CN') !== undefined && error.remedy('en') !== undefined).toBe(withRemedy);
  });

  it('tells the two meanings of 9401 by command', () => {
    expect(statusErrorCode('ISSUE_INVOICE', 0x9401)).toBe('CARD_LIMIT_EXCEEDED');
    expect(statusErrorCode('DISTRIBUTE_INVOICE_NB', 0x9401)).toBe('CARD_NO_ROLL_TO_DISTRIBUTE');
  });

  it('gives tries left for 63Cx in params and data', () => {
    const error = cardStatusError('VERIFY_FISCAL_PIN', 0x63c1);
    expect(error.params.triesLeft).toBe(1);
    expect(error.data).toMatchObject({ command: 'VERIFY_FISCAL_PIN', sw: '63C1', triesLeft: 1 });
    expect(error.localized('zh-CN')).toBe('税控卡口令错误，剩余 1 次');
    expect(error.remedy('en')).toMatch(/do not try again/);
  });

  it('maps every status word of every command to a catalogued code with both languages filled', () => {
    const operations = Object.keys(statusTables) as CardOperation[];
    fc.assert(fc.property(fc.constantFrom(...operations), fc.integer({ min: 0, max: 0xffff }), (operation, sw) => {
      const error = cardStatusError(operation, sw, { file: 'EF02', expected: 'fiscal card' });
      expect(errorCatalog[error.code]).toBeDefined();
      expect(error.localized('en')).not.toMatch(/\{\w+\}/);
      expect(error.localized('zh-CN')).not.toMatch(/\{\w+\}/);
    }));
  });
});
