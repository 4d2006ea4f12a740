import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

let daemon: RunningDaemon;
// Slow self-checks keep a diagnostics job running for tens of seconds, far longer than a fiscalctl start.
beforeAll(async () => { daemon = await startDaemon({ simulate: 1, args: ['--simulator-timing', '{"selfCheckMs":5000}'] }); });
afterAll(async () => {
  await daemon.stop();
  removeDataDir(daemon.dataDir);
});

describe('fiscalctl against a busy device', () => {
  it('exits 4 with the running job id; watch of the job cancelled meanwhile exits 1', async () => {
    const auth = { authorization: `Bearer ${daemon.token}` };
    const { devices } = (await (await fetch(`${daemon.url}/v1/devices`, { headers: auth })).json()) as { devices: { id: string }[] };
    const id = devices[0]!.id;
    const started = await fetch(`${daemon.url}/v1/devices/${id}/diagnostics`, { method: 'POST', headers: { ...auth, 'x-operator': 'e2e' } });
    const { job } = (await started.json()) as { job: { id: string } };

    const busy = await runFiscalctl(daemon, ['diagnose', id, '--json']);
    expect(busy.code).toBe(4);
    expect(JSON.parse(busy.stdout)).toMatchObject({ code: 'DEVICE_BUSY', jobId: job.id });
    const human = await runFiscalctl(daemon, ['diagnose', id]);
    expect(human.code).toBe(4);
    expect(human.stderr).toContain(job.id);

    const cancel = await fetch(`${daemon.url}/v1/jobs/${job.id}/cancel`, { method: 'POST', headers: { ...auth, 'x-operator': 'e2e' } });
    expect(cancel.status).toBe(202);
    const watched = await runFiscalctl(daemon, ['watch', job.id, '--json']);
    expect(watched.code).toBe(1);
    // watch --json prints what the starting command would have: { job, report } (11e41ed); a cancelled diagnosis has no report.
    expect(JSON.parse(watched.stdout)).toMatchObject({ job: { id: job.id, state: 'cancelled', error: { code: 'CANCELLED' } }, report: null });
  });
});
