import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/buildServer.js';
import { changesRoutes } from '../../../src/api/routes/changesRoutes.js';
import { rollsRoutes } from '../../../src/api/routes/rollsRoutes.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import type { RegisterLending } from '../../../src/services/rolls/RegisterLending.js';
import { openStore } from '../../../src/store/Store.js';
import { FakeDirectory, PORT, snapshot, TOKEN } from '../api/apiHarness.js';
import { DEVICE, startInitializedRegister, type InitializedRegister } from './harness.js';

let register: InitializedRegister | undefined;
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  await register?.close();
  register = undefined;
  closeServer = undefined;
});

async function serve() {
  register = await startInitializedRegister();
  const session = register.session;
  let hold: Promise<void> | undefined;
  const lending: RegisterLending = {
    async withSession<T>(_id: string, work: (s: RegisterSession) => Promise<T>) {
      if (hold) await hold;
      return work(session);
    },
  };
  const store = openStore(':memory:');
  const jobs = new JobRunner({ store });
  const app = await buildServer(
    { jobs, store, devices: new FakeDirectory([snapshot(DEVICE)]), logger: silentLogger, version: 'test' },
    { token: TOKEN, port: () => PORT, plugins: [rollsRoutes(lending), changesRoutes(lending)] },
  );
  closeServer = async () => { await jobs.drain(2000); await app.close(); store.close(); };
  const post = (url: string, payload: unknown) => app.inject({
    method: 'POST', url, payload: payload as object,
    headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}`, 'x-operator': 'tester' },
  });
  return { app, jobs, store, post, holdWith: (p: Promise<void> | undefined) => { hold = p; } };
}

describe('rolls and changes over the API', () => {
  it('POST /rolls runs the job to a mounted roll, and the service record names it', async () => {
    const { post, jobs, store } = await serve();
    const started = await post(`/v1/devices/${DEVICE}/rolls`, {});
    expect(started.statusCode).toBe(202);
    const job = await jobs.settled(started.json().job.id);
    expect(job?.state).toBe('succeeded');
    expect(job?.result).toMatchObject({ roll: { start: 1, end: 100 }, recovered: false });
    const records = store.records.list({ device: DEVICE });
    expect(records.at(-1)).toMatchObject({ action: 'roll', result: 'succeeded' });
  });

  it('a second operation on a busy device answers 409 with the running job', async () => {
    const { post, holdWith, jobs } = await serve();
    let release!: () => void;
    holdWith(new Promise<void>((resolve) => { release = resolve; }));
    const first = await post(`/v1/devices/${DEVICE}/rolls`, {});
    const second = await post(`/v1/devices/${DEVICE}/changes`, { kind: 'installation-info', location: '2号收银台', installer: '李工' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'DEVICE_BUSY' });
    expect(JSON.stringify(second.json())).toContain(first.json().job.id);
    release();
    await jobs.settled(first.json().job.id);
  });

  it('refuses an invalid change body before any job starts, and fails a TIN change with its own code', async () => {
    const { post, jobs } = await serve();
    const bad = await post(`/v1/devices/${DEVICE}/changes`, { kind: 'basic-info', pin: '0011223344556677' });
    expect(bad.statusCode).toBe(400);
    const tin = await post(`/v1/devices/${DEVICE}/changes`, { kind: 'basic-info', taxpayerName: '新名称', taxpayerId: '91440300MA5FZZZZ9Z' });
    const job = await jobs.settled(tin.json().job.id);
    expect(job?.error).toMatchObject({ code: 'CHANGE_TAXPAYER_ID_CHANGE' });
  });
});
