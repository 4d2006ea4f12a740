import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegisterState } from '../../fixtures/simulator/state/persistence.js';
import { simulatedRegisterPath } from '../../fixtures/simulate/simulatorFiles.js';
import { eventually, removeDataDir, startDaemon, tempDataDir } from '../helpers/daemon.js';
import { readJobEvents } from './sse.js';

const root = resolve(import.meta.dirname, '..', '..');

// About the process itself: every fiscald here is the installed bin, not the test run's compiled copy.
describe('fiscald stops on SIGHUP and SIGINT as on SIGTERM', () => {
  for (const signal of ['SIGHUP', 'SIGINT'] as const) {
    it(`${signal}: logs why it stops, lets jobs end, saves and exits 0`, async () => {
      const daemon = await startDaemon({ simulate: 1, source: true });
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

describe('SIGHUP while a critical stage runs', () => {
  it('lets the initialization\'s write (GB link 30) finish before fiscald stops: the saved register is initialized', async () => {
    const daemon = await startDaemon({ simulate: 1, source: true, args: ['--simulator-timing', '{"initializeMs":3000}'] });
    try {
      const headers = { authorization: `Bearer ${daemon.token}`, 'x-operator': 'signal-test', 'content-type': 'application/json' };
      const { devices } = (await (await fetch(`${daemon.url}/v1/devices`, { headers })).json()) as { devices: { id: string }[] };
      const id = devices[0]!.id;
      const dry = (await (await fetch(`${daemon.url}/v1/devices/${id}/initialize`, { method: 'POST', headers, body: '{}' })).json()) as { confirmation: { token: string } };
      const started = await fetch(`${daemon.url}/v1/devices/${id}/initialize`, { method: 'POST', headers, body: JSON.stringify({ confirm: dry.confirmation.token }) });
      expect(started.status).toBe(202);
      const { job } = (await started.json()) as { job: { id: string } };
      let signalled = false;
      await readJobEvents(`${daemon.url}/v1/jobs/${job.id}/events`, daemon.token, (event) => {
        if (!signalled && event.event === 'stage' && event.data.stage === 'write') {
          signalled = true;
          process.kill(daemon.pid, 'SIGHUP');
        }
      });
      expect(signalled).toBe(true);
      await eventually(async () => (/fiscald stopped/.test(daemon.output()) ? true : undefined), 30_000);
      expect(await daemon.stop()).toBe(0);
      // The register died with the daemon (in-process simulation): its saved state shows whether 30 completed.
      const saved = await loadRegisterState(simulatedRegisterPath(daemon.dataDir, 1));
      expect(saved.fiscal.initializations).toHaveLength(1);
    } finally {
      await daemon.kill9();
      removeDataDir(daemon.dataDir);
    }
  }, 90_000);
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
