import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './apiHarness.js';

let h: Harness;
beforeEach(async () => { h = await harness(); });
afterEach(async () => { await h.close(); });

const operator = { 'x-operator': encodeURIComponent('王工') };

function gate() {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

async function startDiagnostics(device = '1100000000000001', headers: Record<string, string> = {}) {
  return h.request({ method: 'POST', url: `/v1/devices/${device}/diagnostics`, headers: { ...operator, ...headers } });
}

describe('devices', () => {
  it('lists devices with identity and answers at once while one is busy', async () => {
    const g = gate();
    h.access.hold = g.wait;
    const started = await startDiagnostics();
    expect(started.statusCode).toBe(202);
    const list = await h.request({ method: 'GET', url: '/v1/devices' });
    expect(list.statusCode).toBe(200);
    const devices = list.json().devices as { id: string; busyWithJob: string | null; identity: { firmwareVersion: string } }[];
    expect(devices.map((d) => d.id)).toEqual(['1100000000000001', '1100000000000002', 'OFF']);
    expect(devices[0]!.busyWithJob).toBe(started.json().job.id);
    expect(devices[0]!.identity.firmwareVersion).toBe('1.2.3');
    expect(devices[1]!.busyWithJob).toBeNull();
    g.open();
    await h.jobs.settled(started.json().job.id);
  });
});

describe('explanations', () => {
  it('GET /v1/explanations answers the whole table', async () => {
    const res = await h.request({ method: 'GET', url: '/v1/explanations' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { er: { er: string; code: string; actor: string }[]; errors: { code: string }[] };
    expect(body.er.find((e) => e.er === '11')).toMatchObject({ code: 'LINK_ISSUE_DEADLINE_PASSED', actor: 'tax-office' });
    expect(body.errors.some((e) => e.code === 'DEVICE_BUSY')).toBe(true);
  });
});

describe('diagnostics job', () => {
  it('runs the check registry as a job and reports in plain words with a service record', async () => {
    h.access.clockOffsetMs = 400_000;
    h.access.failingCheck = 'memory';
    h.access.memoryFault = true;
    const started = await startDiagnostics();
    expect(started.statusCode).toBe(202);
    const { job, report } = started.json();
    expect(started.headers.location).toBe(report);
    expect(job.state).toBe('running');
    await h.jobs.settled(job.id);
    const res = await h.request({ method: 'GET', url: report });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.state).toBe('succeeded');
    expect(body.report.verdict).toBe('fault');
    const failed = body.report.findings.filter((f: { severity: string }) => f.severity === 'fault').map((f: { check: string }) => f.check);
    expect(failed).toEqual(['self-check.memory', 'clock', 'fiscal.memory-fault']);
    expect(body.report.summary.zh).toMatch(/故障/);
    const records = (await h.request({ method: 'GET', url: '/v1/records?device=1100000000000001' })).json().records;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ operator: '王工', action: 'diagnostics', result: 'succeeded', jobId: job.id, machineNumber: '1100000000000001' });
    expect(records[0].after.verdict).toBe('fault');
  });

  it('answers 409 DEVICE_BUSY with the running job id for a second request on a busy device', async () => {
    const g = gate();
    h.access.hold = g.wait;
    const first = await startDiagnostics();
    const second = await startDiagnostics();
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'DEVICE_BUSY', jobId: first.json().job.id });
    g.open();
    await h.jobs.settled(first.json().job.id);
  });

  it('requires an operator, a known device, and an online one', async () => {
    const noOperator = await h.request({ method: 'POST', url: '/v1/devices/1100000000000001/diagnostics' });
    expect(noOperator.statusCode).toBe(400);
    expect(noOperator.json().code).toBe('OPERATOR_REQUIRED');
    expect((await startDiagnostics('NOPE')).json().code).toBe('DEVICE_NOT_FOUND');
    const offline = await startDiagnostics('OFF');
    expect(offline.statusCode).toBe(503);
    expect(offline.json().code).toBe('DEVICE_OFFLINE');
  });

  it('returns the same job for the same Idempotency-Key, and refuses the key with another body', async () => {
    const a = await startDiagnostics('1100000000000002', { 'idempotency-key': 'abc-1' });
    const b = await startDiagnostics('1100000000000002', { 'idempotency-key': 'abc-1' });
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(200);
    expect(b.json().job.id).toBe(a.json().job.id);
    const c = await h.request({
      method: 'POST', url: '/v1/devices/1100000000000002/diagnostics', payload: { extra: 1 },
      headers: { ...operator, 'idempotency-key': 'abc-1' },
    });
    expect(c.statusCode).toBe(400); // unknown field refused first
    await h.jobs.settled(a.json().job.id);
  });
});

describe('jobs', () => {
  it('lists, shows and cancels jobs; unknown ids are JOB_NOT_FOUND; an ended job cannot be cancelled', async () => {
    const g = gate();
    h.access.hold = g.wait;
    const { job } = (await startDiagnostics()).json();
    const one = await h.request({ method: 'GET', url: `/v1/jobs/${job.id}` });
    expect(one.json()).toMatchObject({ id: job.id, kind: 'diagnostics', state: 'running', operator: '王工' });
    expect((await h.request({ method: 'GET', url: '/v1/jobs?state=running' })).json().jobs).toHaveLength(1);
    const cancel = await h.request({ method: 'POST', url: `/v1/jobs/${job.id}/cancel`, headers: operator });
    expect(cancel.statusCode).toBe(202);
    expect(cancel.json().deferred).toBe(false);
    const final = await h.jobs.settled(job.id);
    expect(final?.state).toBe('cancelled');
    const again = await h.request({ method: 'POST', url: `/v1/jobs/${job.id}/cancel`, headers: operator });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('JOB_ALREADY_FINISHED');
    expect((await h.request({ method: 'GET', url: '/v1/jobs/nope' })).json().code).toBe('JOB_NOT_FOUND');
    expect((await h.request({ method: 'GET', url: '/v1/records' })).json().records[0].result).toBe('cancelled');
    g.open();
  });
});

describe('records', () => {
  it('filters by date (a bare until includes the day) and exports CSV with a BOM and neutralised formulas', async () => {
    const base = { operator: '=cmd|x', deviceId: 'D1', machineNumber: 'D1', action: 'diagnostics', params: {}, before: null, after: { a: 'x,y' }, result: 'succeeded' as const, errorCode: null, jobId: null };
    h.store.records.insert({ ...base, at: '2026-03-01T10:00:00.000Z' });
    h.store.records.insert({ ...base, at: '2026-03-02T10:00:00.000Z' });
    const day = await h.request({ method: 'GET', url: '/v1/records?since=2026-03-01&until=2026-03-01' });
    expect(day.json().records).toHaveLength(1);
    const csv = await h.request({ method: 'GET', url: '/v1/records?format=csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`'=cmd|x`);
    expect(lines[1]).toContain('"{""a"":""x,y""}"');
    const bad = await h.request({ method: 'GET', url: '/v1/records?since=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('openapi', () => {
  it('documents every route from its zod schemas', async () => {
    const doc = (await h.request({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/certificates/fault/{diagnosis}', '/v1/certificates/not-initialized/{diagnosis}', '/v1/certificates/repair/{record}',
      '/v1/devices', '/v1/devices/{id}', '/v1/devices/{id}/diagnostics', '/v1/diagnostics/{id}', '/v1/explanations', '/v1/health',
      '/v1/jobs', '/v1/jobs/{id}', '/v1/jobs/{id}/cancel', '/v1/jobs/{id}/events', '/v1/openapi.json', '/v1/records',
      '/v1/records/follow-ups', '/v1/records/repairs', '/v1/records/report', '/v1/records/{id}/follow-up',
    ]);
    expect(doc.paths['/v1/health'].get.security).toEqual([]);
    const records = doc.paths['/v1/records'].get.parameters.map((p: { name: string }) => p.name);
    expect(records).toEqual(['device', 'since', 'until', 'format']);
  });
});
