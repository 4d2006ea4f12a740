import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import type { JobContext } from '../../../src/jobs/types.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import type { JobEvent } from '../../../src/store/types.js';
import type { DeviceEvent, DeviceSnapshot } from '../../../src/devices/Device.js';
import type { DevicePort } from '../../../src/devices/DevicePort.js';
import { DeviceOwners } from '../../../src/devices/lease/DeviceOwners.js';

const stores: Store[] = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });
function setup(): { store: Store; runner: JobRunner } {
  const store = openStore(':memory:');
  stores.push(store);
  return { store, runner: new JobRunner({ store }) };
}

/** A gate the test opens when it wants the job to go on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

const twoStages = [{ id: 'read', weight: 1 }, { id: 'write', weight: 3 }];

describe('JobRunner', () => {
  it('writes the job row before run() starts, then succeeds with weighted progress, events and a service record', async () => {
    const { store, runner } = setup();
    let seenAtStart: string | undefined;
    const { job } = runner.start({
      kind: 'probe', deviceId: 'D1', operator: 'li', params: { pin: '123456', mode: 'quick' }, stages: twoStages,
      run: async (ctx: JobContext) => {
        seenAtStart = store.jobs.get(ctx.jobId)?.state;
        ctx.record({ machineNumber: '1234567890123456', before: { fw: '1.0.0' } });
        ctx.stage('read');
        ctx.progress(1);
        ctx.stage('write');
        ctx.progress(0.5, 'half written');
        ctx.record({ after: { fw: '1.0.1' } });
        return { ok: true };
      },
    });
    expect(store.jobs.get(job.id)?.state).toBe('running');
    expect(store.jobs.get(job.id)?.params).toEqual({ pin: '[redacted]', mode: 'quick' });
    const final = await runner.settled(job.id);
    expect(seenAtStart).toBe('running');
    expect(final?.state).toBe('succeeded');
    expect(final?.result).toEqual({ ok: true });
    const events = store.jobs.eventsAfter(job.id, 0);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe('started');
    expect(events.at(-1)!.type).toBe('end');
    const progress = events.filter((e) => e.type === 'progress').map((e) => e.data.fraction as number);
    expect(progress).toContain(0.25);
    expect(progress).toContain(0.625);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const record = store.records.byJob(job.id)!;
    expect(record).toMatchObject({ operator: 'li', machineNumber: '1234567890123456', action: 'probe', result: 'succeeded', errorCode: null });
    expect(record.before).toEqual({ fw: '1.0.0' });
    expect(record.after).toEqual({ fw: '1.0.1' });
    expect(record.params).toEqual({ pin: '[redacted]', mode: 'quick' });
  });

  it('refuses a second job on a busy device with DEVICE_BUSY naming the running job', async () => {
    const { runner } = setup();
    const g = gate();
    const first = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }], run: () => g.wait });
    let thrown: unknown;
    try {
      runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => 1 });
    } catch (error) { thrown = error; }
    expect(isGatewayError(thrown, 'DEVICE_BUSY')).toBe(true);
    expect((thrown as GatewayError).data.jobId).toBe(first.job.id);
    // another device is free
    const other = runner.start({ kind: 'k', deviceId: 'D2', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => 2 });
    expect((await runner.settled(other.job.id))?.state).toBe('succeeded');
    g.open();
    await runner.settled(first.job.id);
    expect(runner.runningOn('D1')).toBeUndefined();
  });

  it('turns a thrown GatewayError into a failed job with its code, and a plain Error into INTERNAL', async () => {
    const { store, runner } = setup();
    const a = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => { throw new GatewayError('DEVICE_OFFLINE', { params: { id: 'D1' } }); } });
    const b = runner.start({ kind: 'k', deviceId: 'D2', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => { throw new Error('boom'); } });
    expect((await runner.settled(a.job.id))?.error).toMatchObject({ code: 'DEVICE_OFFLINE', message: 'The device D1 is offline' });
    expect((await runner.settled(b.job.id))?.error?.code).toBe('INTERNAL');
    expect(store.records.byJob(a.job.id)?.errorCode).toBe('DEVICE_OFFLINE');
    expect(store.records.byJob(a.job.id)?.result).toBe('failed');
  });

  it('cancels through the AbortSignal', async () => {
    const { runner } = setup();
    const { job } = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }],
      run: (ctx) => new Promise((_, reject) => {
        ctx.stage('s');
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
      }),
    });
    await new Promise((r) => setImmediate(r));
    expect(runner.cancel(job.id, 'wang').deferred).toBe(false);
    const final = await runner.settled(job.id);
    expect(final?.state).toBe('cancelled');
    expect(final?.error?.code).toBe('CANCELLED');
    expect(() => runner.cancel(job.id, 'wang')).toThrow(/already ended/);
    expect(() => runner.cancel('nope', 'wang')).toThrow(/not found/);
  });

  it('defers a cancel during a critical stage until that stage ends', async () => {
    const { runner } = setup();
    const inWrite = gate();
    const finishWrite = gate();
    let wroteFully = false;
    const { job } = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 'write', weight: 1, critical: true }, { id: 'verify', weight: 1 }],
      run: async (ctx) => {
        ctx.stage('write');
        inWrite.open();
        await finishWrite.wait;
        expect(ctx.signal.aborted).toBe(false);
        wroteFully = true;
        ctx.stage('verify');
        return 'unreachable';
      },
    });
    await inWrite.wait;
    expect(runner.inCriticalStage(job.id)).toBe(true);
    expect(runner.cancel(job.id, 'o').deferred).toBe(true);
    finishWrite.open();
    const final = await runner.settled(job.id);
    expect(wroteFully).toBe(true);
    expect(final?.state).toBe('cancelled');
  });

  it('returns the same job for the same Idempotency-Key and refuses the key with another body', async () => {
    const { runner } = setup();
    const claim = { scope: 'POST /x', key: 'k-1', bodyHash: 'aaa' };
    const spec = { kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }], idempotency: claim, run: async () => 1 };
    const first = runner.start(spec);
    const again = runner.start(spec);
    expect(again.reused).toBe(true);
    expect(again.job.id).toBe(first.job.id);
    expect(() => runner.start({ ...spec, idempotency: { ...claim, bodyHash: 'bbb' } })).toThrow(GatewayError);
    await runner.settled(first.job.id);
    expect(runner.start(spec).job.id).toBe(first.job.id);
  });

  it('replays events to a late subscriber and then streams the live ones, in order, ending with the result', async () => {
    const { runner } = setup();
    const g = gate();
    const { job } = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: twoStages,
      run: async (ctx) => { ctx.stage('read'); await g.wait; ctx.stage('write'); return 'done'; },
    });
    await new Promise((r) => setImmediate(r));
    const seen: JobEvent[] = [];
    runner.events.subscribe(job.id, 1, (event) => seen.push(event));
    g.open();
    await runner.settled(job.id);
    expect(seen[0]!.seq).toBe(2);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 2));
    expect(seen.at(-1)).toMatchObject({ type: 'end', data: { state: 'succeeded', result: 'done' } });
    const late: JobEvent[] = [];
    runner.events.subscribe(job.id, 0, (event) => late.push(event));
    expect(late.at(-1)!.type).toBe('end');
  });

  it('at start-up fails a leftover job whose kind cannot reconcile, and keeps one that can waiting for its device, owning it', async () => {
    const { store } = setup();
    for (const [id, kind] of [['j1', 'plain'], ['j2', 'smart']]) {
      store.jobs.create({ id, kind, deviceId: 'D1', operator: 'o', params: {}, stages: [{ id: 's', weight: 1 }], createdAt: new Date().toISOString() });
    }
    store.jobs.setRecordDraft('j1', { machineNumber: '0000000000000001', before: { state: 'x' } });
    let asked = 0;
    const runner = new JobRunner({ store, definitions: [{ kind: 'smart', reconcile: async () => { asked += 1; return { state: 'succeeded', result: 'was done' }; } }] });
    const touched = await runner.reconcile();
    expect(touched.map((j) => [j.id, j.state])).toEqual([['j1', 'failed'], ['j2', 'waiting']]);
    expect(asked).toBe(0);
    expect(store.jobs.get('j1')?.error?.code).toBe('INTERRUPTED_BY_RESTART');
    expect(store.records.byJob('j1')).toMatchObject({ result: 'interrupted', errorCode: 'INTERRUPTED_BY_RESTART', machineNumber: '0000000000000001' });
    expect(store.jobs.eventsAfter('j1', 0).at(-1)).toMatchObject({ type: 'end', data: { reconciled: true } });
    expect(store.jobs.get('j2')?.waiting).toMatchObject({ for: 'device', code: 'INTERRUPTED_BY_RESTART' });
    expect(store.jobs.get('j2')?.waiting?.message['zh-CN']).not.toMatch(/[A-Za-z]{2,}/);
    expect(store.jobs.eventsAfter('j2', 0).at(-1)).toMatchObject({ type: 'waiting', data: { for: 'device' } });
    expect(runner.runningOn('D1')).toBe('j2');
    expect(() => runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => 1 }))
      .toThrow(expect.objectContaining({ code: 'DEVICE_BUSY', data: { jobId: 'j2' } }));
    expect(runner.cancel('j2', 'li')).toMatchObject({ deferred: false, job: { state: 'cancelled' } });
    expect(store.records.byJob('j2')).toMatchObject({ result: 'interrupted' });
    expect(runner.runningOn('D1')).toBeUndefined();
  });

  it('shares the registry\'s owner table: what it holds moves there, new jobs take devices in it, and it is refused while a job runs', async () => {
    const { store } = setup();
    store.jobs.create({ id: 'left', kind: 'smart', deviceId: 'D1', operator: 'o', params: {}, stages: [{ id: 's', weight: 1 }], createdAt: new Date().toISOString() });
    const runner = new JobRunner({ store, definitions: [{ kind: 'smart', reconcile: async () => ({ state: 'succeeded' }) }] });
    await runner.reconcile();
    const registryOwners = new DeviceOwners();
    runner.shareOwners(registryOwners);
    expect(registryOwners.holder('D1')).toBe('left');
    const proceed = gate();
    const { job } = runner.start({ kind: 'k', deviceId: 'D2', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => { await proceed.wait; return 1; } });
    expect(registryOwners.holder('D2')).toBe(job.id);
    expect(() => runner.shareOwners(new DeviceOwners())).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    proceed.open();
    await runner.settled(job.id);
    expect(registryOwners.holder('D2')).toBeUndefined();
  });

  it('checkpoints synchronously, shows waiting and running again in the row and the events', async () => {
    const { store, runner } = setup();
    const seenInRow: unknown[] = [];
    const proceed = gate();
    const waited = gate();
    const { job } = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }],
      run: async (ctx) => {
        ctx.stage('s');
        ctx.checkpoint({ step: 'before-write', pin: '0011223344556677' });
        seenInRow.push(store.jobs.get(ctx.jobId)?.checkpoint);
        ctx.waiting({ for: 'card', code: 'CARD_ABSENT', message: { 'zh-CN': '请插入税控卡', en: 'Insert the fiscal card' } });
        waited.open();
        await proceed.wait;
        ctx.running();
        return 'ok';
      },
    });
    await waited.wait;
    expect(seenInRow).toEqual([{ step: 'before-write', pin: '0011223344556677' }]);
    expect(store.jobs.get(job.id)).toMatchObject({ state: 'waiting', waiting: { for: 'card', code: 'CARD_ABSENT' } });
    proceed.open();
    expect((await runner.settled(job.id))).toMatchObject({ state: 'succeeded', waiting: null });
    const types = store.jobs.eventsAfter(job.id, 0).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['waiting', 'running']));
    expect(types.indexOf('waiting')).toBeLessThan(types.indexOf('running'));
    expect(JSON.stringify(store.jobs.eventsAfter(job.id, 0))).not.toContain('0011223344556677');
  });

  it('reconciles a waiting job only once its device is online: already done, resumed from its checkpoint under the same id and ownership, or kept waiting when the device cannot be asked', async () => {
    const { store } = setup();
    for (const [id, deviceId] of [['done', 'D1'], ['again', 'D2'], ['flaky', 'D3']] as const) {
      store.jobs.create({ id, kind: 'smart', deviceId, operator: 'o', params: {}, stages: [{ id: 'write', weight: 1 }], createdAt: new Date().toISOString() });
    }
    store.jobs.setCheckpoint('again', { written: 3 });
    const lent: string[] = [];
    const resumed: { id: string; from: unknown; owner: string | undefined }[] = [];
    const runner: JobRunner = new JobRunner({
      store,
      definitions: [{
        kind: 'smart',
        reconcile: async (job, device) => {
          lent.push(device.id);
          if (job.id === 'done') return { state: 'succeeded', result: { backupId: 'b1' }, after: { v: 2 } };
          if (job.id === 'flaky') throw new GatewayError('DEVICE_OFFLINE', { params: { id: device.id } });
          return { state: 'resume', run: async (ctx) => {
            resumed.push({ id: ctx.jobId, from: ctx.resumedFrom, owner: runner.runningOn(ctx.deviceId) });
            ctx.stage('write');
            return 'finished';
          } };
        },
      }],
    });
    await runner.reconcile();
    const listeners = new Set<(event: DeviceEvent) => void>();
    const states = new Map<string, DeviceSnapshot['state']>([['D1', 'offline'], ['D2', 'offline'], ['D3', 'offline']]);
    const snapshot = (id: string): DeviceSnapshot => ({ id, state: states.get(id)!, transport: { kind: 'memory', path: id }, simulated: true });
    const port: DevicePort = {
      withDevice: (id, _signal, fn) => fn({ id, identity: {} as never, session: {} as never, slot: () => ({}) as never, reattach: async () => ({}) as never }),
    };
    runner.followDevices({ port, onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener); }, get: snapshot, list: () => [...states.keys()].map(snapshot) });
    await runner.reconciled();
    expect(lent).toEqual([]);
    for (const id of ['D1', 'D2', 'D3']) {
      states.set(id, 'online');
      for (const listener of listeners) listener({ type: 'changed', device: snapshot(id) });
    }
    await new Promise((resolve) => setImmediate(resolve));
    await runner.reconciled();
    await runner.settled('again');
    expect(lent.sort()).toEqual(['D1', 'D2', 'D3']);
    expect(store.jobs.get('done')).toMatchObject({ state: 'succeeded', result: { backupId: 'b1' } });
    expect(store.records.byJob('done')).toMatchObject({ result: 'succeeded', after: { v: 2 } });
    expect(resumed).toEqual([{ id: 'again', from: { written: 3 }, owner: 'again' }]);
    expect(store.jobs.get('again')).toMatchObject({ state: 'succeeded', result: 'finished' });
    expect(store.jobs.eventsAfter('again', 0).map((e) => e.type)).toEqual(expect.arrayContaining(['waiting', 'resumed', 'stage', 'end']));
    expect(store.jobs.get('flaky')).toMatchObject({ state: 'waiting', waiting: { code: 'DEVICE_OFFLINE' } });
    expect(runner.runningOn('D3')).toBe('flaky');
    expect(runner.runningOn('D1')).toBeUndefined();
    expect(runner.runningOn('D2')).toBeUndefined();
  });

  it('drains on shutdown: refuses new jobs, waits for a critical stage, reports what still runs after the grace', async () => {
    const { runner } = setup();
    const inWrite = gate();
    const never = gate();
    const { job } = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 'write', weight: 1, critical: true }],
      run: async (ctx) => { ctx.stage('write'); inWrite.open(); await never.wait; return 1; },
    });
    await inWrite.wait;
    const outcome = await runner.drain(20);
    expect(outcome.stillRunning.map((j) => j.id)).toEqual([job.id]);
    expect(() => runner.start({ kind: 'k', deviceId: 'D2', operator: 'o', stages: [{ id: 's', weight: 1 }], run: async () => 1 })).toThrow(/shutting down/);
    never.open();
    expect((await runner.settled(job.id))?.state).toBe('succeeded');
    expect((await runner.drain(1000)).stillRunning).toEqual([]);
  });
});

describe('JobRunner keeps no secret', () => {
  it('blanks secret-named fields of a result and of an error\'s params and data, in the row, the record and the end event', async () => {
    const { store, runner } = setup();
    const ok = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 's', weight: 1 }],
      run: async () => ({ card: { number: '1', pin: '0011223344556677' }, confirm: 'tok-123456789012345' }),
    });
    const bad = runner.start({
      kind: 'k', deviceId: 'D2', operator: 'o', stages: [{ id: 's', weight: 1 }],
      run: async () => { throw new GatewayError('INTERNAL', { params: { detail: 'x' }, data: { mac: 'a1b2c3d4', step: 'auth' } }); },
    });
    const done = await runner.settled(ok.job.id);
    const failed = await runner.settled(bad.job.id);
    expect(done?.result).toEqual({ card: { number: '1', pin: '[redacted]' }, confirm: '[redacted]' });
    expect(failed?.error?.data).toEqual({ mac: '[redacted]', step: 'auth' });
    const stored = JSON.stringify([store.jobs.eventsAfter(ok.job.id, 0), store.jobs.eventsAfter(bad.job.id, 0), done, failed]);
    expect(stored).not.toMatch(/0011223344556677|tok-123456789012345|a1b2c3d4/);
  });
});

describe('JobRunner lets the device go on every path', () => {
  const one = [{ id: 's', weight: 1 }];

  it('a job whose code throws (synchronously, from a stage callback, or after a cancel) fails or is cancelled, and the device is free', async () => {
    const { runner } = setup();
    const runs: [string, (ctx: JobContext) => Promise<unknown>, string][] = [
      ['sync throw', (() => { throw new GatewayError('DEVICE_OFFLINE', { params: { id: 'x' } }); }) as unknown as (ctx: JobContext) => Promise<unknown>, 'DEVICE_OFFLINE'],
      ['unknown stage', async (ctx) => { ctx.stage('nope'); }, 'INTERNAL'],
      ['record that cannot be stored', async (ctx) => { const loop: Record<string, unknown> = {}; loop.self = loop; ctx.record({ before: loop }); }, 'INTERNAL'],
      ['progress callback of a service that throws', async (ctx) => { ctx.stage('s'); [1].forEach(() => { throw new TypeError('bad callback'); }); }, 'INTERNAL'],
    ];
    for (const [what, run, code] of runs) {
      const { job } = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: one, run });
      const final = await runner.settled(job.id);
      expect(final?.error?.code, what).toBe(code);
      expect(runner.runningOn('D1'), what).toBeUndefined();
    }
  });

  it('a subscriber that throws reaches neither the job nor the other subscribers', async () => {
    const { store, runner } = setup();
    const g = gate();
    const { job } = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: twoStages, run: async (ctx) => { ctx.stage('read'); await g.wait; ctx.stage('write'); ctx.progress(1); return 'done'; } });
    await new Promise((r) => setImmediate(r));
    const seen: string[] = [];
    runner.events.subscribe(job.id, 0, () => { throw new Error('the client went away badly'); });
    runner.events.subscribe(job.id, 0, (event) => seen.push(event.type));
    g.open();
    const final = await runner.settled(job.id);
    expect(final?.state).toBe('succeeded');
    expect(seen.at(-1)).toBe('end');
    expect(store.jobs.eventsAfter(job.id, 0).map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    expect(runner.runningOn('D1')).toBeUndefined();
  });

  it('a job row that cannot be written leaves no lock and no row; its end that cannot be written leaves the device free', async () => {
    const { store, runner } = setup();
    const claim = { scope: 'POST /x', key: 'k', bodyHash: 'h' };
    const insert = store.idempotency.insert.bind(store.idempotency);
    store.idempotency.insert = () => { throw new Error('disk full'); };
    expect(() => runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: one, idempotency: claim, run: async () => 1 })).toThrow(/disk full/);
    expect(runner.runningOn('D1')).toBeUndefined();
    expect(store.jobs.list({ deviceId: 'D1' })).toEqual([]);
    store.idempotency.insert = insert;

    const { job } = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: one, run: async () => 1 });
    const records = store.records.insert.bind(store.records);
    store.records.insert = () => { throw new Error('disk full'); };
    await runner.settled(job.id);
    store.records.insert = records;
    expect(runner.runningOn('D1')).toBeUndefined();
    // The end was not stored (the transaction rolled back whole): the row waits for the next start's reconcile.
    expect(store.jobs.get(job.id)?.state).toBe('running');
    expect(store.jobs.eventsAfter(job.id, 0).map((e) => e.type)).toEqual(['started']);
    const next = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: one, run: async () => 2 });
    expect((await runner.settled(next.job.id))?.state).toBe('succeeded');
  });

  it('a cancel asked for in the last, critical stage comes too late: the job ends as it ran, and says the cancel was deferred', async () => {
    const { store, runner } = setup();
    const inWrite = gate();
    const finish = gate();
    const { job } = runner.start({
      kind: 'k', deviceId: 'D1', operator: 'o', stages: [{ id: 'write', weight: 1, critical: true }],
      run: async (ctx) => { ctx.stage('write'); inWrite.open(); await finish.wait; ctx.progress(1); return 'written'; },
    });
    await inWrite.wait;
    expect(runner.cancel(job.id, 'o')).toMatchObject({ deferred: true });
    finish.open();
    expect((await runner.settled(job.id))?.state).toBe('succeeded');
    const types = store.jobs.eventsAfter(job.id, 0).map((e) => [e.type, e.data.deferred]);
    expect(types).toContainEqual(['cancel-requested', true]);
    expect(types.at(-1)![0]).toBe('end');
  });

  it('ETA runs on a monotonic clock: never negative, whatever the wall clock does', async () => {
    const { store } = setup();
    let mono = 1_000;
    const runner = new JobRunner({ store, clock: () => mono, now: () => new Date(Date.now() - 3_600_000 * Math.random()) });
    const g = gate();
    const { job } = runner.start({ kind: 'k', deviceId: 'D1', operator: 'o', stages: twoStages, run: async (ctx) => { ctx.stage('read'); ctx.progress(1); await g.wait; return 1; } });
    await new Promise((r) => setImmediate(r));
    mono += 10_000;
    expect(runner.liveProgress(job.id)).toMatchObject({ fraction: 0.25, etaSeconds: 30 });
    g.open();
    await runner.settled(job.id);
  });
});
