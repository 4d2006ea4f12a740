import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../contracts/errors/index.js';
import { FakeVpcd } from './FakeVpcd.js';

/** fixtures/vpcd/serve.ts as a technician runs it, against a fake vpcd on loopback. */
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function serve(args: string[]) {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'fixtures/vpcd/serve.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, output: () => output };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('vpcd serve CLI', () => {
  it('serves the fiscal card until SIGTERM, pulls it on Enter and puts it back, and keeps state in --state', async () => {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    cleanups.push(() => vpcd.close());
    const dir = mkdtempSync(join(tmpdir(), 'vpcd-serve-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const state = join(dir, 'fiscal.json');

    const run = serve(['--card', 'fiscal', '--port', String(port), '--state', state, '--t0']);
    const atr = await vpcd.exchange([0x04]);
    expect(Buffer.from(atr).toString('latin1')).toContain('TSAM01');
    const select = await vpcd.exchange([0x00, 0xa4, 0x04, 0x00, 0x06, ...Buffer.from('TSAM01')]);
    expect(hex(select)).toBe('9000');

    run.child.stdin!.write('\n');
    await vpcd.waitForPeerClose();
    run.child.stdin!.write('\n');
    await vpcd.waitForPeer();
    expect(hex(await vpcd.exchange([0x04]))).toBe(hex(atr));

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(ExitCode.ok);
    expect(run.output()).toMatch(/fiscal card in vpcd port \d+/);
    expect(run.output()).toMatch(/2 insertions/);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ kind: 'fiscal' });
  });

  it('exits 2 with the usage on a bad option, and 5 with the reason when vpcd does not listen', async () => {
    const bad = serve(['--card', 'bank']);
    expect(await bad.exit).toBe(ExitCode.usage);
    expect(bad.output()).toContain('usage: serve.ts');

    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    await vpcd.close();
    const unreachable = serve(['--port', String(port), '--wait', '0.2']);
    expect(await unreachable.exit).toBe(ExitCode.unreachable);
    expect(unreachable.output()).toContain('vsmartcard-vpcd');
  });
});
