import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

/**
 * The confirming POST of an initialization spends its single-use token; a client that lost the answer
 * retries with the same Idempotency-Key and must get the job the first POST started, not INIT_TOKEN_INVALID.
 */
let d: InProcessDaemon;
beforeAll(async () => { d = await startInProcessDaemon(); }, 60_000);
afterAll(async () => { await d.stop(); });

function post(url: string, payload: object, key?: string) {
  return d.request({
    method: 'POST', url, payload,
    headers: { 'x-operator': 'idempotency-test', ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
}

describe('Idempotency-Key on the confirming initialization POST', () => {
  it('same key and body: the same job (200); another body: 422; without the key the spent token is refused', async () => {
    const url = `/v1/devices/${d.fresh.id}/initialize`;
    const dry = await post(url, {});
    expect(dry.statusCode).toBe(200);
    const token = (dry.json() as { confirmation: { token: string } }).confirmation.token;

    const first = await post(url, { confirm: token }, 'init-key-1');
    expect(first.statusCode).toBe(202);
    const jobId = (first.json() as { job: { id: string } }).job.id;
    expect(first.headers.location).toBe(`/v1/jobs/${jobId}`);
    expect((await d.daemon.jobs.settled(jobId))?.state).toBe('succeeded');

    const again = await post(url, { confirm: token }, 'init-key-1');
    expect(again.statusCode).toBe(200);
    expect((again.json() as { job: { id: string } }).job.id).toBe(jobId);

    const other = await post(url, { confirm: token, allowLastPinTry: true }, 'init-key-1');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');

    const withoutKey = await post(url, { confirm: token });
    expect(withoutKey.statusCode).toBe(409);
    expect(withoutKey.json().code).toBe('INIT_TOKEN_INVALID');
  }, 60_000);
});
