import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../api/apiHarness.js';

let h: Harness;
beforeEach(async () => { h = await harness(); });
afterEach(async () => { await h.close(); });

const operator = { 'x-operator': encodeURIComponent('王工') };
const DEVICE = '1100000000000001';

async function diagnose() {
  const started = (await h.request({ method: 'POST', url: `/v1/devices/${DEVICE}/diagnostics`, headers: operator })).json();
  await h.jobs.settled(started.job.id);
  return (await h.request({ method: 'GET', url: started.report })).json().report as { repeats: { check: string; repair: { recordId: number } }[] };
}

describe('repairs, repeat faults and follow-ups over the API', () => {
  it('a fault repaired here and found again is a repeat naming the earlier repair', async () => {
    h.access.memoryFault = true;
    expect((await diagnose()).repeats).toEqual([]);
    const repair = await h.request({
      method: 'POST', url: '/v1/records/repairs', headers: operator,
      payload: { device: DEVICE, checks: ['fiscal.memory-fault'], work: '更换税控存储器接口板', diagnosisId: 'x' },
    });
    expect(repair.statusCode).toBe(201);
    const again = await diagnose();
    expect(again.repeats).toHaveLength(1);
    expect(again.repeats[0]).toMatchObject({ check: 'fiscal.memory-fault', repair: { recordId: repair.json().id } });
  });

  it('a repair is followed up: listed with all, recorded done once with its outcome, refused twice', async () => {
    const repair = (await h.request({ method: 'POST', url: '/v1/records/repairs', headers: operator, payload: { device: DEVICE, checks: ['clock'], work: '校准时钟' } })).json();
    const listed = (await h.request({ method: 'GET', url: '/v1/records/follow-ups?state=all' })).json().followUps;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ recordId: repair.id, action: 'repair', state: 'open', done: null });
    expect(listed[0].due > listed[0].at.slice(0, 10)).toBe(true);
    const done = await h.request({ method: 'POST', url: `/v1/records/${repair.id}/follow-up`, headers: operator, payload: { outcome: '用户确认正常' } });
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({ state: 'done', done: { outcome: '用户确认正常', operator: '王工' } });
    const twice = await h.request({ method: 'POST', url: `/v1/records/${repair.id}/follow-up`, headers: operator, payload: { outcome: '再次' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('FOLLOW_UP_ALREADY_DONE');
    const missing = await h.request({ method: 'POST', url: '/v1/records/99999/follow-up', headers: operator, payload: { outcome: 'x' } });
    expect(missing.json().code).toBe('RECORD_NOT_FOUND');
    expect((await h.request({ method: 'GET', url: '/v1/records/follow-ups' })).json().followUps).toEqual([]);
  });

  it('the monthly report: json summary, CSV, printable page and the export of the month\'s records', async () => {
    await h.request({ method: 'POST', url: '/v1/records/repairs', headers: operator, payload: { device: DEVICE, checks: ['clock'], work: '校准时钟' } });
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const json = (await h.request({ method: 'GET', url: `/v1/records/report?month=${month}` })).json();
    expect(json.byAction).toEqual([{ action: 'repair', zh: '维修', results: { succeeded: 1 }, total: 1 }]);
    const csv = await h.request({ method: 'GET', url: `/v1/records/report?month=${month}&format=csv` });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('维修,1,1');
    const html = await h.request({ method: 'GET', url: `/v1/records/report?month=${month}&format=html` });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('服务情况报告');
    const exported = (await h.request({ method: 'GET', url: `/v1/records/report?month=${month}&format=export` })).json();
    expect(exported).toMatchObject({ format: 'fiscal-gateway/service-records', version: 1, month });
    expect(exported.records).toHaveLength(1);
    expect((await h.request({ method: 'GET', url: '/v1/records/report?month=2026-13' })).statusCode).toBe(400);
  });
});
