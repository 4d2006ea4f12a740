import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/daemon/config.js';
import { Daemon } from '../../../src/daemon/Daemon.js';
import type { DeviceSide } from '../../../src/daemon/DeviceSide.js';
import { silentLogger } from '../../../src/log.js';

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
