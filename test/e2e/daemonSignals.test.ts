import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, removeDataDir, startDaemon, tempDataDir } from '../helpers/daemon.js';

const root = resolve(import.meta.dirname, '..', '..');

describe('fiscald stops on SIGHUP and SIGINT as on SIGTERM', () => {
  for (const signal of ['SIGHUP', 'SIGINT'] as const) {
    it(`${signal}: logs why it stops, lets jobs end, saves and exits 0`, async () => {
      const daemon = await startDaemon({ simulate: 1 });
      try {
        process.kill(daemon.pid, signal);
        // Only the signal under test: wait for the daemon to say it stopped before collecting its exit code.
        await eventually(async () => (/fiscald stopped/.test(daemon.output()) ? true : undefined));
        const code = await daemon.stop();
        expect(code).toBe(0);
        expect(daemon.output()).toMatch(new RegExp(`"reason":"${signal}".*stopping: letting running jobs end`));
        expect(daemon.output()).toMatch(/fiscald stopped/);
      } finally {
        await daemon.kill9();
        removeDataDir(daemon.dataDir);
      }
    }, 60_000);
  }
});

describe('fiscald on a listen port another program holds', () => {
  it('exits with the busy status and a bilingual LISTEN_ADDRESS_IN_USE, without a stack trace and before opening a register', async () => {
    const holder = createServer();
    await new Promise<void>((resolveListen) => holder.listen(0, '127.0.0.1', () => resolveListen()));
    const { port } = holder.address() as AddressInfo;
    const dataDir = tempDataDir();
    try {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolveRun) => {
        const child = spawn(process.execPath, [join(root, 'bin', 'fiscald.js'), '--simulate=1', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
          cwd: root, env: { ...process.env, FISCALD_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        child.on('exit', (exitCode) => resolveRun({ code: exitCode, output: text }));
      });
      expect(code).toBe(4);
      expect(output).toContain(`fiscald: The listen address 127.0.0.1:${port} is already in use by another program (LISTEN_ADDRESS_IN_USE)`);
      expect(output).toContain(`fiscald: 监听地址 127.0.0.1:${port} 已被其他程序占用`);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toMatch(/simulated register ready/);
    } finally {
      await new Promise<void>((resolveClose) => holder.close(() => resolveClose()));
      removeDataDir(dataDir);
    }
  }, 60_000);
});
