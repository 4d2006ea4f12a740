import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { readJobEvents } from './sse.js';

let daemon: RunningDaemon;
const machines = [1, 2].map((seed) => {
  const state = createFactoryState({ seed });
  return { machineNumber: state.identity.machineNumber, firmwareVersion: state.firmware.slots.a!.version };
});

beforeAll(async () => { daemon = await startDaemon({ simulate: 2 }); });
afterAll(async () => {
  const code = await daemon.stop();
  removeDataDir(daemon.dataDir);
  expect(code).toBe(0);
});

function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${daemon.url}${path}`, { ...init, headers: { authorization: `Bearer ${daemon.token}`, ...init.headers } });
}

function diagnose(id: string) {
  return api(`/v1/devices/${id}/diagnostics`, { method: 'POST', headers: { 'x-operator': 'e2e' } });
}

function fiscalctl(args: string[], env: NodeJS.ProcessEnv = {}, options: { source?: boolean } = {}) {
  return runFiscalctl(daemon, args, env, options);
}

describe('fiscald --simulate, end to end', () => {
  it('lists the simulated registers with their machine numbers and firmware versions', async () => {
    const { devices } = (await (await api('/v1/devices')).json()) as { devices: { id: string; state: string; identity: { machineNumber: string; firmwareVersion: string } }[] };
    expect(devices.map((d) => d.identity.machineNumber).sort()).toEqual(machines.map((m) => m.machineNumber).sort());
    for (const device of devices) {
      expect(device.state).toBe('online');
      expect(device.identity.firmwareVersion).toBe(machines[0]!.firmwareVersion);
    }
  });

  it('refuses requests without a token (401) and with a foreign Host (403)', async () => {
    const anonymous = await fetch(`${daemon.url}/v1/devices`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // fetch will not forge Host; a raw request does.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolveStatus, reject) => {
      const req = request({ host: '127.0.0.1', port: daemon.port, path: '/v1/devices', headers: { host: 'evil.example', authorization: `Bearer ${daemon.token}` } },
        (res) => { res.resume(); resolveStatus(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('answers 409 with the running job id for a busy device; SSE events arrive in order and end with the result', async () => {
    const id = machines[1]!.machineNumber;
    const first = await diagnose(id);
    expect(first.status).toBe(202);
    const { job } = (await first.json()) as { job: { id: string } };
    const second = await diagnose(id);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: 'DEVICE_BUSY', jobId: job.id });
    const list = await api('/v1/devices');
    expect(list.status).toBe(200);

    const events = await readJobEvents(`${daemon.url}/v1/jobs/${job.id}/events`, daemon.token);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.event).toBe('started');
    expect(events.filter((e) => e.event === 'stage').map((e) => e.data.stage)).toEqual(['reading', 'judging']);
    const end = events.at(-1)!;
    expect(end.event).toBe('end');
    expect(end.data).toMatchObject({ state: 'succeeded', result: { verdict: 'ok', machineNumber: id } });
  });

  it('answers malformed JSON, unknown fields, wrong types and oversize bodies with 4xx problem+json', async () => {
    const id = machines[0]!.machineNumber;
    const cases: [string, string, string][] = [
      [`/v1/devices/${id}/diagnostics`, 'application/json', '{"oops":'],
      [`/v1/devices/${id}/diagnostics`, 'application/json', '{"unknown":1}'],
      [`/v1/devices/${id}/diagnostics`, 'application/json', '"a string"'],
      [`/v1/devices/${id}/diagnostics`, 'application/json', JSON.stringify({ x: 'y'.repeat(100_000) })],
      [`/v1/jobs/nope/cancel`, 'application/json', '{"a":[1,2'],
      [`/v1/devices/${id}/diagnostics`, 'text/xml', '<x/>'],
    ];
    for (const [path, type, body] of cases) {
      const res = await api(path, { method: 'POST', body, headers: { 'content-type': type, 'x-operator': 'e2e' } });
      expect(res.status, `${path} ${String(body).slice(0, 20)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const badQuery = await api('/v1/records?since=soon&extra=1');
    expect(badQuery.status).toBe(400);
  });

  it('fiscalctl: --json output and exit codes against the live daemon', async () => {
    const devices = await fiscalctl(['devices', '--json']);
    expect(devices.code).toBe(0);
    expect((JSON.parse(devices.stdout) as { devices: unknown[] }).devices).toHaveLength(2);

    const diagnosed = await fiscalctl(['diagnose', machines[0]!.machineNumber, '--json', '--operator', '张工']);
    expect(diagnosed.code).toBe(0);
    const { job, report } = JSON.parse(diagnosed.stdout) as {
      job: { state: string };
      report: { checks: { id: string; status: string; facts: Record<string, unknown> }[]; findings: { check: string; severity: string }[] };
    };
    expect(job.state).toBe('succeeded');
    // The first simulated register is new: the fiscal-state check says so (a warning: it cannot issue invoices yet).
    expect(report.checks.find((c) => c.id === 'fiscal.state')).toMatchObject({ status: 'warning', facts: { state: 'new' } });
    expect(report.findings.find((f) => f.check === 'fiscal.state')?.severity).toBe('warning');

    const records = JSON.parse((await fiscalctl(['records', '--json', '--device', machines[0]!.machineNumber])).stdout) as { records: { operator: string }[] };
    expect(records.records.map((r) => r.operator)).toContain('张工');

    expect((await fiscalctl(['info'])).code).toBe(2);
    const unknown = await fiscalctl(['info', 'NOPE', '--json']);
    expect(JSON.parse(unknown.stdout).code).toBe('DEVICE_NOT_FOUND');
    const down = await fiscalctl(['devices', '--json'], { FISCALD_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(5);
    expect(JSON.parse(down.stdout).code).toBe('DAEMON_UNREACHABLE');
  });

  it('the installed bin/fiscalctl.js itself (the other runs start the test run\'s compiled copy): a usage error exits 2, fiscald unreachable 5', async () => {
    expect((await fiscalctl(['info'], {}, { source: true })).code).toBe(2);
    const down = await fiscalctl(['devices', '--json'], { FISCALD_URL: 'http://127.0.0.1:9' }, { source: true });
    expect(down.code).toBe(5);
    expect(JSON.parse(down.stdout).code).toBe('DAEMON_UNREACHABLE');
  }, 60_000);
});
