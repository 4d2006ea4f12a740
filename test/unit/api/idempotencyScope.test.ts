import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './apiHarness.js';

/** An Idempotency-Key is scoped to the register however its id is spelled in the path, and bound to its operator. */
let h: Harness;
beforeEach(async () => { h = await harness(); });
afterEach(async () => { await h.close(); });

const post = (url: string, key: string, operator = 'op-a') => h.request({
  method: 'POST', url, payload: {}, headers: { 'x-operator': operator, 'idempotency-key': key },
});

describe('Idempotency-Key scope', () => {
  it('a percent-encoded id names the same register: the same job (200), not a new one', async () => {
    const first = await post('/v1/devices/1100000000000001/diagnostics', 'scope-1');
    expect(first.statusCode, first.body).toBe(202);
    await h.jobs.settled(first.json().job.id);
    for (const spelled of ['%31100000000000001', '1100000000000%30%301', '%31%31%30%30%30%30%30%30%30%30%30%30%30%30%30%31']) {
      const again = await post(`/v1/devices/${spelled}/diagnostics`, 'scope-1');
      expect(again.statusCode, spelled).toBe(200);
      expect(again.json().job.id, spelled).toBe(first.json().job.id);
    }
    expect(h.store.jobs.list({ limit: 10 })).toHaveLength(1);
  });

  it('another operator with the same key is refused 422 IDEMPOTENCY_KEY_OTHER_OPERATOR, and gets no job', async () => {
    const first = await post('/v1/devices/1100000000000001/diagnostics', 'shared-key', 'op-a');
    expect(first.statusCode).toBe(202);
    await h.jobs.settled(first.json().job.id);
    const other = await post('/v1/devices/1100000000000001/diagnostics', 'shared-key', 'op-b');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_OTHER_OPERATOR');
    expect(other.body.includes(first.json().job.id)).toBe(false);
    expect(h.store.jobs.list({ limit: 10 })).toHaveLength(1);
    // The same operator, however the name is encoded (X-Operator is percent-encoded UTF-8), still gets its job.
    const same = await post('/v1/devices/1100000000000001/diagnostics', 'shared-key', encodeURIComponent('op-a'));
    expect(same.statusCode).toBe(200);
    const named = await post('/v1/devices/1100000000000002/diagnostics', 'wang-key', encodeURIComponent('王工'));
    expect(named.statusCode).toBe(202);
    await h.jobs.settled(named.json().job.id);
    expect((await post('/v1/devices/1100000000000002/diagnostics', 'wang-key', '%E7%8E%8B%E5%B7%A5')).statusCode).toBe(200);
    expect((await post('/v1/devices/1100000000000002/diagnostics', 'wang-key', encodeURIComponent('李工'))).json().code).toBe('IDEMPOTENCY_KEY_OTHER_OPERATOR');
  });

  it('two operators racing with one key: the second is refused even when it passed the first look-up (the key hash holds the operator)', async () => {
    const [a, b] = await Promise.all([
      post('/v1/devices/1100000000000001/diagnostics', 'race-key', 'op-a'),
      post('/v1/devices/1100000000000001/diagnostics', 'race-key', 'op-b'),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 422]);
    const refused = a.statusCode === 422 ? a : b;
    expect(['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_OTHER_OPERATOR']).toContain(refused.json().code);
    await h.jobs.drain(1000);
  });
});
