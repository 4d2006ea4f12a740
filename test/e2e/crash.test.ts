import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/Store.js';
import { databasePath } from '../../src/daemon/paths.js';
import { removeDataDir, startDaemon, tempDataDir, type RunningDaemon } from '../helpers/daemon.js';
import { readJobEvents } from './sse.js';

const dataDir = tempDataDir();
let daemon: RunningDaemon | undefined;
afterAll(async () => {
  await daemon?.stop();
  removeDataDir(dataDir);
});

describe('kill -9 of fiscald during a job', () => {
  it('reconciles the job at restart, leaves nothing half-written, and the database passes integrity_check', async () => {
    daemon = await startDaemon({ dataDir, simulate: 1 });
    const auth = { authorization: `Bearer ${daemon.token}` };
    const { devices } = (await (await fetch(`${daemon.url}/v1/devices`, { headers: auth })).json()) as { devices: { id: string }[] };
    const deviceId = devices[0]!.id;
    const started = await fetch(`${daemon.url}/v1/devices/${deviceId}/diagnostics`, { method: 'POST', headers: { ...auth, 'x-operator': 'crash-test' } });
    const { job } = (await started.json()) as { job: { id: string } };

    // Kill it once the job is in its self-checks: GB-link traffic in flight, rows being written.
    const crashed = daemon;
    let killing: Promise<void> | undefined;
    await readJobEvents(`${crashed.url}/v1/jobs/${job.id}/events`, crashed.token, (event) => {
      if (event.event === 'progress' && Number(event.data.fraction) > 0.2 && !killing) killing = crashed.kill9();
    });
    await killing;
    expect(killing).toBeDefined();

    daemon = await startDaemon({ dataDir, simulate: 1 });
    const after = (await (await fetch(`${daemon.url}/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${daemon.token}` } })).json()) as {
      state: string; error: { code: string };
    };
    expect(after.state).toBe('failed');
    expect(after.error.code).toBe('INTERRUPTED_BY_RESTART');
    expect(daemon.output()).toMatch(/reconciled jobs a previous run left running/);
    const { records } = (await (await fetch(`${daemon.url}/v1/records`, { headers: { authorization: `Bearer ${daemon.token}` } })).json()) as {
      records: { jobId: string; result: string; errorCode: string }[];
    };
    expect(records.filter((r) => r.jobId === job.id)).toEqual([expect.objectContaining({ result: 'interrupted', errorCode: 'INTERRUPTED_BY_RESTART' })]);
    const events = await readJobEvents(`${daemon.url}/v1/jobs/${job.id}/events`, daemon.token);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.event === 'end')).toHaveLength(1);

    // The device is free again: a new job runs to its end.
    const again = await fetch(`${daemon.url}/v1/devices/${deviceId}/diagnostics`, { method: 'POST', headers: { authorization: `Bearer ${daemon.token}`, 'x-operator': 'crash-test' } });
    expect(again.status).toBe(202);
    const { job: second } = (await again.json()) as { job: { id: string } };
    const secondEvents = await readJobEvents(`${daemon.url}/v1/jobs/${second.id}/events`, daemon.token);
    expect(secondEvents.at(-1)?.data.state).toBe('succeeded');

    expect(await daemon.stop()).toBe(0);
    daemon = undefined;
    const store = openStore(databasePath(dataDir));
    try {
      expect(store.integrityCheck()).toBe('ok');
      expect(store.jobs.running()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
