import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/buildServer.js';
import { changesRoutes } from '../../../src/api/routes/changesRoutes.js';
import { rollsRoutes } from '../../../src/api/routes/rollsRoutes.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { VirtualUserCard } from '../../../fixtures/cards/index.js';
import type { DevicePort } from '../../../src/devices/DevicePort.js';
import { borrowedDevice } from '../../helpers/fakeDevicePort.js';
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
  const lending: DevicePort = {
    async withDevice(id, _signal, work) {
      if (hold) await hold;
      return work(borrowedDevice(id, { session }));
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

  it('remembers a lost 31 in the job\'s service record: the next roll job on the register refuses rather than take a second roll', async () => {
    const { post, jobs, store } = await serve();
    const { reg, session } = register!;
    // The user card serves other machines too: only the gateway's memory tells the lost roll from one given elsewhere.
    const snapshot = reg.cards.user.snapshot();
    const card = VirtualUserCard.restore({ ...snapshot, personalization: { ...snapshot.personalization,
      machines: [...snapshot.personalization.machines, { machineNumber: '4403000099999999', fiscalCardNumber: '4403100000009999', tag: 0 }] } });
    reg.simulator.insertCard('user', card);
    reg.simulator.setFaults({ faults: [{ kind: 'power-loss', during: 'flash-write', offMs: 0 }] });
    const first = await jobs.settled((await post(`/v1/devices/${DEVICE}/rolls`, {})).json().job.id);
    expect(first?.error).toMatchObject({ code: 'ROLL_STEP_FAILED' });
    expect(store.records.list({ device: DEVICE }).at(-1)?.after).toMatchObject({ distribution: 'in-doubt', userCardLastRoll: null });
    reg.simulator.setFaults({});
    for (let attempt = 0; attempt < 50 && !(await session.connect().then(() => true, () => false)); attempt += 1) await new Promise((r) => setTimeout(r, 20));
    const second = await jobs.settled((await post(`/v1/devices/${DEVICE}/rolls`, {})).json().job.id);
    expect(second?.error).toMatchObject({ code: 'ROLL_ORPHANED' });
    expect(card.snapshot().state.rolls[0]).toMatchObject({ start: 101, rollCount: 4 });
  });

  it('refuses a roll for a register the gateway\'s records show deregistered', async () => {
    const { post, jobs, store } = await serve();
    store.records.insert({
      at: new Date().toISOString(), operator: 'tester', deviceId: DEVICE, machineNumber: null, action: 'deregister', params: {},
      before: null, after: { deregistered: true }, result: 'succeeded', errorCode: null, jobId: null,
    });
    const job = await jobs.settled((await post(`/v1/devices/${DEVICE}/rolls`, {})).json().job.id);
    expect(job?.error).toMatchObject({ code: 'ROLL_REGISTER_DEREGISTERED' });
    expect(register!.reg.cards.user.lastDistributed).toBeNull();
  });
});
