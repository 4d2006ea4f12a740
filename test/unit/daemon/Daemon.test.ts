import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/daemon/config.js';
import { Daemon } from '../../../src/daemon/Daemon.js';
import type { DeviceSide } from '../../../src/daemon/DeviceSide.js';
import { silentLogger } from '../../../src/log.js';
import { databasePath } from '../../../src/daemon/paths.js';
import type { DeviceEvent, DeviceSnapshot } from '../../../src/devices/Device.js';
import { openStore } from '../../../src/store/Store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function deviceSide(): DeviceSide & { closed: boolean } {
  const side = {
    closed: false,
    directory: { list: () => [], get: () => undefined },
    plugins: [],
    definitions: [],
    async close() { side.closed = true; },
  };
  return side;
}

describe('Daemon shutdown', () => {
  it('refuses to stop in the middle of a critical step, keeps serving, and stops once the step has ended', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-daemon-'));
    dirs.push(dataDir);
    const config = resolveConfig({ listen: '127.0.0.1:0', dataDir, shutdownGraceSeconds: 1 });
    const side = deviceSide();
    const daemon = await Daemon.start({ config, token: 't'.repeat(32), logger: silentLogger, version: 'test', devices: async () => side });
    let finishWrite!: () => void;
    const writing = new Promise<void>((resolve) => { finishWrite = resolve; });
    let entered!: () => void;
    const inWrite = new Promise<void>((resolve) => { entered = resolve; });
    const { job } = daemon.jobs.start({
      kind: 'firmware-write', deviceId: 'D1', operator: 'test', stages: [{ id: 'write', weight: 1, critical: true }, { id: 'verify', weight: 1 }],
      run: async (ctx) => { ctx.stage('write'); entered(); await writing; return 'written'; },
    });
    await inWrite;

    expect(await daemon.shutdown('SIGTERM')).toBe('refused');
    expect(side.closed).toBe(false);
    const health = await fetch(`${daemon.url}/v1/health`);
    expect(health.status).toBe(200);

    finishWrite();
    expect((await daemon.jobs.settled(job.id))?.state).toBe('succeeded');
    expect(await daemon.shutdown('SIGTERM')).toBe('stopped');
    expect(side.closed).toBe(true);
    await expect(fetch(`${daemon.url}/v1/health`)).rejects.toThrow();
  });
});

describe('Daemon listen address', () => {
  it('binds the listen address before opening any device: a busy port is LISTEN_ADDRESS_IN_USE and no device is opened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-daemon-'));
    dirs.push(dataDir);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    const { port } = holder.address() as AddressInfo;
    try {
      const config = resolveConfig({ listen: `127.0.0.1:${port}`, dataDir });
      let opened = false;
      const started = Daemon.start({
        config, token: 't'.repeat(32), logger: silentLogger, version: 'test',
        devices: async () => { opened = true; return deviceSide(); },
      });
      await expect(started).rejects.toMatchObject({ code: 'LISTEN_ADDRESS_IN_USE', params: { address: `127.0.0.1:${port}` } });
      expect(opened).toBe(false);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('holds requests that arrive while the devices are being opened and answers them once the API is ready', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-daemon-'));
    dirs.push(dataDir);
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const config = resolveConfig({ listen: `127.0.0.1:${port}`, dataDir });
    let health: Promise<Response> | undefined;
    const daemon = await Daemon.start({
      config, token: 't'.repeat(32), logger: silentLogger, version: 'test',
      devices: async () => {
        // The address is already bound while the devices are opened: a request waits for the API.
        health = fetch(`http://127.0.0.1:${port}/v1/health`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return deviceSide();
      },
    });
    expect((await health!).status).toBe(200);
    expect(await daemon.shutdown('test')).toBe('stopped');
  });
});

describe('Daemon start-up reconcile', () => {
  it('leaves a job a killed fiscald left running waiting for its device, and reconciles it once the API answers and the device is online', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-daemon-'));
    dirs.push(dataDir);
    const before = openStore(databasePath(dataDir));
    before.jobs.create({ id: 'left', kind: 'backup', deviceId: 'D1', operator: 'li', params: {}, stages: [{ id: 'read', weight: 1 }], createdAt: new Date().toISOString() });
    before.jobs.setCheckpoint('left', { backupId: 'b-1' });
    before.close();
    const listeners = new Set<(event: DeviceEvent) => void>();
    let device: DeviceSnapshot = { id: 'D1', state: 'offline', transport: { kind: 'memory', path: 'm' }, simulated: true };
    const asked: string[] = [];
    const side: DeviceSide = {
      directory: { list: () => [device], get: () => device },
      plugins: [],
      definitions: [{ kind: 'backup', reconcile: async (job) => { asked.push(job.id); return { state: 'succeeded', result: { backupId: 'b-1' } }; } }],
      feed: {
        port: { withDevice: (id, _signal, fn) => fn({ id } as never) },
        onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
        get: () => device, list: () => [device],
      },
      async close() {},
    };
    const config = resolveConfig({ listen: '127.0.0.1:0', dataDir, shutdownGraceSeconds: 1 });
    const daemon = await Daemon.start({ config, token: 't'.repeat(32), logger: silentLogger, version: 'test', devices: async () => side });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The device is not back: the job waits, visibly, and is not failed.
    expect(daemon.jobs.get('left')).toMatchObject({ state: 'waiting', waiting: { for: 'device', code: 'INTERRUPTED_BY_RESTART' } });
    expect(asked).toEqual([]);
    expect((await fetch(`${daemon.url}/v1/health`)).status).toBe(200);
    device = { ...device, state: 'online' };
    for (const listener of listeners) listener({ type: 'changed', device });
    for (let i = 0; i < 100 && daemon.jobs.get('left')?.state === 'waiting'; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(daemon.jobs.get('left')).toMatchObject({ state: 'succeeded', result: { backupId: 'b-1' } });
    expect(asked).toEqual(['left']);
    expect(await daemon.shutdown('SIGTERM')).toBe('stopped');
  });
});
