import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { createMatchingCardSet, type CardSet } from '../../../fixtures/cards/index.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import type { DevicePort } from '../../../src/devices/DevicePort.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { initializationMemory } from '../../../src/jobs/initializationMemory.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { ConfirmationTokens } from '../../../src/services/initialize/ConfirmationTokens.js';
import {
  dryRunInitialization, initializationStages, runInitialization, type InitializationDeps,
} from '../../../src/services/initialize/initializeRegister.js';
import { INITIALIZATION_JOB_KIND, reconcileInitialization } from '../../../src/services/initialize/reconcileInitialization.js';
import { targetOf } from '../../../src/services/initialize/RegisterPort.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES } from '../../../src/services/initialize/registerTime.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { registerToday } from './harness.js';

const CMD_INITIALIZE = 0x30;

/** One fiscald process: its store connection, registry over a fresh cable to the register, job runner and port. */
interface Gateway {
  readonly store: Store;
  readonly registry: DeviceRegistry<RegisterSession>;
  readonly jobs: JobRunner;
  readonly port: DevicePort;
  readonly deps: InitializationDeps;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });
}

async function startGateway(path: string, sim: RegisterSimulator, id: string): Promise<Gateway> {
  const { host, device } = createMemoryTransportPair(`memory:${id}`);
  if (sim.attached) sim.detach();
  await sim.attach(device);
  const store = openStore(path);
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 1000, settleMs: 50, retries: 1 }), backoff: { initialMs: 20, maxMs: 100 }, heartbeatMs: 0,
  });
  const jobs = new JobRunner({ store });
  const port = createDevicePort(registry, jobs);
  const deps: InitializationDeps = {
    pending: initializationMemory(jobs),
    tokens: new ConfirmationTokens({ ttlMs: 60_000 }),
    settings: { clockToleranceSeconds: 300, utcOffsetMinutes: DEFAULT_REGISTER_UTC_OFFSET_MINUTES },
  };
  jobs.define({
    kind: INITIALIZATION_JOB_KIND,
    reconcile: (job, borrowed) => reconcileInitialization(job, borrowed,
      (signal, work) => port.withDevice(id, signal, (lent) => work(targetOf(id, lent.session))), deps),
  });
  registry.add(host, { simulated: true });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    jobs.unfollowDevices();
    await registry.close();
    try {
      store.close();
    } catch {
      // already closed by the test's kill
    }
  };
  cleanups.push(close);
  await until(() => registry.get(id)?.state === 'online');
  return { store, registry, jobs, port, deps };
}

async function bench(): Promise<{ sim: RegisterSimulator; set: CardSet; id: string; path: string; commands30: () => number }> {
  const set = createMatchingCardSet({ today: registerToday() });
  const state = createFactoryState({ machineNumber: set.machineNumber, defaultBaud: 921600 });
  const sim = new RegisterSimulator({
    state, cards: { fiscal: set.fiscal, user: set.user },
    timing: { timed: true, initializeMs: 1500, busyIntervalMs: 100, turnaroundMs: 0, rebootMs: 20 },
  });
  let count = 0;
  sim.onEvent((event) => {
    if (event.type === 'command' && event.cmd === CMD_INITIALIZE) count += 1;
  });
  const dir = mkdtempSync(join(tmpdir(), 'fg-init-kill-'));
  cleanups.push(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sim, set, id: set.machineNumber, path: join(dir, 'fiscald.sqlite'), commands30: () => count };
}

/** The dry run and the confirmed run as a job, until GB link 30 is on its way (the register busy with it). */
async function initializeUntilWrite(gateway: Gateway, sim: RegisterSimulator, id: string): Promise<string> {
  const never = new AbortController().signal;
  const dry = await gateway.port.withDevice(id, never, (device) => dryRunInitialization(targetOf(id, device.session), gateway.deps));
  expect(dry.ok).toBe(true);
  let busy = false;
  const stop = sim.onEvent((event) => {
    if (event.type === 'busy') busy = true;
  });
  const { job } = gateway.jobs.start({
    kind: INITIALIZATION_JOB_KIND, deviceId: id, operator: 'li', stages: initializationStages, params: { allowLastPinTry: false },
    run: (ctx) => gateway.port.withDevice(id, ctx.signal, (device) => runInitialization(targetOf(id, device.session), gateway.deps, { token: dry.confirmation!.token }, ctx)),
  });
  await until(() => busy);
  stop();
  expect(gateway.store.jobs.get(job.id)?.checkpoint).toMatchObject({ stage: 'pin-sent' });
  return job.id;
}

/** A SIGKILL: nothing this process writes lands any more, and its cable goes. */
async function kill(gateway: Gateway): Promise<void> {
  gateway.store.close();
  await gateway.registry.close();
}

async function settledAfterRestart(gateway: Gateway, jobId: string) {
  const touched = await gateway.jobs.reconcile();
  expect(touched.map((j) => [j.id, j.state])).toEqual([[jobId, 'waiting']]);
  gateway.jobs.followDevices({
    port: gateway.port, onEvent: (l) => gateway.registry.onEvent(l), get: (i) => gateway.registry.get(i), list: () => gateway.registry.list(),
  });
  await until(() => ['succeeded', 'failed', 'cancelled'].includes(gateway.store.jobs.get(jobId)?.state ?? ''));
  return gateway.store.jobs.get(jobId)!;
}

describe('an initialization killed during GB link 30, resumed by the restarted gateway', () => {
  it('the register survives the kill and completes 30: the resumed job reads it back and succeeds under the same id; no PIN try spent, 30 never re-sent', async () => {
    const { sim, set, id, path, commands30 } = await bench();
    const tries = set.fiscal.pinTriesLeft;
    const first = await startGateway(path, sim, id);
    const jobId = await initializeUntilWrite(first, sim, id);
    await kill(first);
    await until(() => commands30() === 1);
    expect(sim.memory.initialized).toBe(true);

    const second = await startGateway(path, sim, id);
    const job = await settledAfterRestart(second, jobId);
    expect(job).toMatchObject({ state: 'succeeded', result: { startedAt: 'verify', machineNumber: id } });
    expect(commands30()).toBe(1);
    expect(set.fiscal.pinTriesLeft).toBe(tries);
    expect(set.fiscal.registered).toBe(true);
    expect(second.store.records.byJob(jobId)).toMatchObject({ result: 'succeeded' });
    expect(await second.deps.pending.get(set.fiscal.snapshot().personalization.cardNumber)).toBeUndefined();
  });

  it('the register loses power with the gateway: the PIN may be stale, so nothing re-sends it; the job fails saying so, the tries stay, and the next dry run asks first', async () => {
    const { sim, set, id, path, commands30 } = await bench();
    const tries = set.fiscal.pinTriesLeft;
    const first = await startGateway(path, sim, id);
    const jobId = await initializeUntilWrite(first, sim, id);
    const powerBack = sim.powerCycle(50);
    await kill(first);
    await powerBack;
    expect(sim.memory.initialized).toBe(false);

    const second = await startGateway(path, sim, id);
    const job = await settledAfterRestart(second, jobId);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'INIT_PIN_IN_DOUBT', data: { changed: { state: 'card-registered' } } } });
    // The scenario: before, the resume sent 30 again with the PIN the card had rotated (LINK_PIN_CHECK_FAILED, 3 → 2).
    // The one 30 sent was cut by the power loss (no answer); none was sent after the restart.
    expect(commands30()).toBe(0);
    expect(set.fiscal.pinTriesLeft).toBe(tries);
    expect(second.store.records.byJob(jobId)).toMatchObject({ result: 'failed', errorCode: 'INIT_PIN_IN_DOUBT' });
    const dry = await second.port.withDevice(id, new AbortController().signal, (device) => dryRunInitialization(targetOf(id, device.session), second.deps));
    expect(dry).toMatchObject({ ok: false, plan: 'write', error: { code: 'INIT_PIN_IN_DOUBT' } });
  });
});
