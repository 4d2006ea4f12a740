import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './apiHarness.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

describe('a waiting job in the API', () => {
  it('shows state waiting with its reason in the job view, the list filter and the event stream, and running again after', async () => {
    h = await harness();
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => { letGo = resolve; });
    let waiting!: () => void;
    const isWaiting = new Promise<void>((resolve) => { waiting = resolve; });
    const { job } = h.jobs.start({
      kind: 'upgrade-like', deviceId: '1100000000000001', operator: 'li', stages: [{ id: 'attach', weight: 1 }],
      run: async (ctx) => {
        ctx.stage('attach');
        ctx.waiting({ for: 'device', code: 'DEVICE_OFFLINE', message: { 'zh-CN': '等待收款机重启完成', en: 'Waiting for the register to finish rebooting' } });
        waiting();
        await released;
        ctx.running();
        return 'back';
      },
    });
    await isWaiting;
    const view = await h.request({ method: 'GET', url: `/v1/jobs/${job.id}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      state: 'waiting', waiting: { for: 'device', code: 'DEVICE_OFFLINE', message: { en: 'Waiting for the register to finish rebooting' } },
    });
    const listed = await h.request({ method: 'GET', url: '/v1/jobs?state=waiting' });
    expect((listed.json() as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toEqual([job.id]);
    letGo();
    await h.jobs.settled(job.id);
    const done = await h.request({ method: 'GET', url: `/v1/jobs/${job.id}` });
    expect(done.json()).toMatchObject({ state: 'succeeded', waiting: null });
    const events = await h.request({ method: 'GET', url: `/v1/jobs/${job.id}/events` });
    const names = [...events.body.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['waiting', 'running', 'end']));
    expect(names.indexOf('waiting')).toBeLessThan(names.indexOf('running'));
  });
});
