import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeNumber } from '../../../src/api/wholeNumber.js';
import { harness, type Harness } from './apiHarness.js';

/** Whole numbers in paths and queries are decimal digits and nothing else: what Number() would also read is refused. */
const refused = ['0x10', '0o20', '0b10000', '1e3', '1E3', ' 16', '16 ', '+16', '-16', '016', '00', '16.0', '16.', '.5', '', '١٦', '1_000', 'Infinity', 'NaN', '9'.repeat(16)];

describe('wholeNumber', () => {
  it('reads 0 and plain decimal digits', () => {
    const schema = wholeNumber(0);
    for (const [text, value] of [['0', 0], ['16', 16], ['1000', 1000], ['999999999999999', 999_999_999_999_999]] as const) {
      expect(schema.parse(text)).toBe(value);
    }
  });

  it.each(refused)('refuses %j', (text) => {
    expect(wholeNumber(0).safeParse(text).success).toBe(false);
  });

  it('keeps its bounds', () => {
    expect(wholeNumber(1, 1000).safeParse('0').success).toBe(false);
    expect(wholeNumber(1, 1000).safeParse('1001').success).toBe(false);
  });
});

describe('on the routes', () => {
  let h: Harness;
  beforeAll(async () => { h = await harness(); });
  afterAll(async () => { await h.close(); });

  it('GET /v1/jobs?limit= takes 16 and refuses every other spelling of it (400 VALIDATION_FAILED)', async () => {
    expect((await h.request({ method: 'GET', url: '/v1/jobs?limit=16' })).statusCode).toBe(200);
    for (const text of refused) {
      const res = await h.request({ method: 'GET', url: `/v1/jobs?limit=${encodeURIComponent(text)}` });
      expect(res.statusCode, text).toBe(400);
      expect(res.json().code, text).toBe('VALIDATION_FAILED');
    }
  });

  it('?after= of the event stream and the numeric ids of records and certificates too', async () => {
    for (const url of ['/v1/jobs/x/events?after=1e3', '/v1/jobs/x/events?after=0x10', '/v1/certificates/repair/0x1', '/v1/certificates/repair/%201']) {
      const res = await h.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe('VALIDATION_FAILED');
    }
    const followUp = await h.request({ method: 'POST', url: '/v1/records/1e0/follow-up', payload: { outcome: 'x' }, headers: { 'x-operator': 'op' } });
    expect(followUp.json().code).toBe('VALIDATION_FAILED');
  });
});
