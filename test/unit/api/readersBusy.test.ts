import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

/**
 * While a job holds a register, the reader listing and a card read answer at once: the register's slots are
 * reported busy with that job (a card read is 409 DEVICE_BUSY naming it), and the other register's slots and
 * the PC/SC readers are read as usual.
 */
let d: InProcessDaemon;
beforeAll(async () => { d = await startInProcessDaemon(); }, 60_000);
afterAll(async () => { await d.stop(); });

interface Entry { name: string; kind: string; deviceId?: string; card: string; busyWithJob?: string }

describe('readers while a job holds a register', () => {
  it('reports the busy register\'s slots busy with the job, reads the rest, and refuses its card read with 409', async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => { finish = resolve; });
    const { job } = d.daemon.jobs.start({
      kind: 'diagnostics', deviceId: d.initialized.id, operator: 'readers-test', stages: [{ id: 'hold', weight: 1 }],
      run: async () => { await held; return 'done'; },
    });
    try {
      const listed = await d.request({ method: 'GET', url: '/v1/readers' });
      expect(listed.statusCode).toBe(200);
      const entries = (listed.json() as { readers: Entry[] }).readers;
      const busy = entries.filter((e) => e.deviceId === d.initialized.id);
      expect(busy.map((e) => e.name).sort()).toEqual([`${d.initialized.id}/fiscal`, `${d.initialized.id}/user`]);
      for (const entry of busy) expect(entry).toMatchObject({ card: 'unknown', busyWithJob: job.id });
      const free = entries.filter((e) => e.deviceId === d.fresh.id);
      expect(free).toHaveLength(2);
      for (const entry of free) {
        expect(entry.card).toBe('present');
        expect(entry.busyWithJob).toBeUndefined();
      }
      expect(entries.filter((e) => e.kind === 'pcsc').length).toBeGreaterThan(0);

      const busyCard = await d.request({ method: 'GET', url: `/v1/readers/${encodeURIComponent(`${d.initialized.id}/fiscal`)}/card` });
      expect(busyCard.statusCode).toBe(409);
      expect(busyCard.json()).toMatchObject({ code: 'DEVICE_BUSY', jobId: job.id });

      const freeCard = await d.request({ method: 'GET', url: `/v1/readers/${encodeURIComponent(`${d.fresh.id}/user`)}/card` });
      expect(freeCard.statusCode).toBe(200);
      expect(freeCard.json()).toMatchObject({ reader: `${d.fresh.id}/user` });
    } finally {
      finish();
      await d.daemon.jobs.settled(job.id);
    }
  }, 60_000);
});
