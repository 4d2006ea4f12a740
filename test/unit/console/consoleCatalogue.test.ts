import { afterEach, describe, expect, it } from 'vitest';
import { checkValue } from '../../../src/api/checkValues.js';
import { catalogueTexts, localTime, named, setLanguage, yuan } from '../../../src/api/console/app/catalogue.js';
import { differences, resultInWords } from '../../../src/api/console/app/resultWords.js';

/** Latin words the Chinese console may show: the tool's name, a file format, U盘, IC卡, card files, and the switch's own name of English. */
const allowed = /\b(fiscalctl|console|CSV|U|IC|EF0\d|English)\b/g;
const english = (text: string) => text.replace(allowed, '').replace(/\{\w+\}/g, '').match(/[A-Za-z]{2,}/g) ?? [];

afterEach(() => setLanguage('zh-CN'));

describe('the console catalogue', () => {
  it('has no English word in any Chinese text, and an English text for each', () => {
    for (const { key, zh, en } of catalogueTexts()) {
      expect(english(zh), `${key}: ${zh}`).toEqual([]);
      expect(en.length, key).toBeGreaterThan(0);
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(zh), key).toEqual(placeholders(en));
    }
  });

  it('names a code it does not know without its English in Chinese', () => {
    expect(named('stage', 'some-new-stage')).toBe('其他');
    setLanguage('en');
    expect(named('stage', 'some-new-stage')).toBe('some-new-stage');
  });

  it('says the initialization check values in Chinese (fiscalctl init and the console share them)', () => {
    expect(checkValue('not registered', 'zh-CN')).toBe('未登记');
    expect(checkValue('500000 fen', 'zh-CN')).toBe('5000.00 元');
    expect(checkValue('|offset| ≤ 300 s', 'zh-CN')).toBe('偏差不超过 300 秒');
    expect(checkValue('-4 s (2026-12-05T19:38:43)', 'zh-CN')).toBe('-4 秒（2026-12-05 19:38:43）');
    expect(checkValue('initialized with 4403100992674944', 'zh-CN')).toBe('已用 4403100992674944 初始化');
    expect(checkValue('not registered', 'en')).toBe('not registered');
  });

  it('shows local time in the register zone and money in yuan', () => {
    expect(localTime('2026-12-05T11:38:43.632Z')).toBe('2026-12-05 19:38:43');
    expect(yuan(50_000_000)).toBe('500000.00 元');
  });

  it('says a registration change as before and after, in words, only for fields that changed', () => {
    expect(differences({ register: { taxpayerName: '甲', phone: '1' } }, { register: { taxpayerName: '乙', phone: '1' }, recorded: { address: '深圳市南山区' } }))
      .toEqual(['纳税人名称由“甲”改为“乙”', '地址登记为“深圳市南山区”']);
    expect(resultInWords('registration-change', { before: { a: 1 }, after: { a: 1 } })).toEqual(['没有任何字段改变']);
    expect(resultInWords('roll', { roll: { invoiceCode: '044031900111', start: 1, end: 100, numbers: 100 }, rollsLeftOnUserCard: 2 }))
      .toEqual(['发票卷已分发', '发票代码 044031900111，号码 1 至 100（共 100 份）', '用户卡剩余发票卷 2 卷']);
  });
});
