import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeStatusWord } from '../../../protocols/apdu/statusWords.js';

describe('generic status words', () => {
  it.each([
    [0x9000, 'success', undefined],
    [0x6110, 'more-data', 16],
    [0x6100, 'more-data', 256],
    [0x9f08, 'more-data', 8],
    [0x6c22, 'wrong-le', 34],
    [0x63c2, 'warning', 2],
    [0x6a82, 'error', undefined],
    [0x6983, 'error', undefined],
  ] as const)('%s is %s', (sw, kind, count) => {
    const meaning = describeStatusWord(sw);
    expect(meaning.kind).toBe(kind);
    expect(meaning.count).toBe(count);
    expect(meaning.hex).toBe(sw.toString(16).toUpperCase());
  });

  it('names the ISO meaning', () => {
    expect(describeStatusWord(0x6a82).en).toBe('file or application not found');
    expect(describeStatusWord(0x63c1).en).toBe('verification failed, 1 tries left');
  });

  it('describes any status word without throwing', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), (sw) => {
      const meaning = describeStatusWord(sw);
      expect(meaning.hex).toHaveLength(4);
      expect(meaning.en.length).toBeGreaterThan(0);
    }));
  });
});
