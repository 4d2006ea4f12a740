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
