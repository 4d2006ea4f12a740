import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCompiledEntry } from '../../bin/compiledEntry.js';
import { buildBins } from '../../scripts/build.js';

const root = resolve(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

// What `npm run build` writes (scripts/build.ts), built into a folder of this test's own rather than the shared dist/bin.
describe('npm run build: fiscald and fiscalctl compiled ahead of time', () => {
  let outdir: string;
  beforeAll(async () => {
    const cache = join(root, 'node_modules', '.cache', 'fiscal-gateway-tests');
    mkdirSync(cache, { recursive: true });
    outdir = join(mkdtempSync(join(cache, 'build-')), 'bin');
    const stamp = await buildBins(outdir);
    expect(stamp?.inputs).toContain('src/daemon/main.ts');
  }, 120_000);
  afterAll(() => rmSync(resolve(outdir, '..'), { recursive: true, force: true }));

  it('is taken by the bins while the sources are unchanged, and answers --version', () => {
    const entry = freshCompiledEntry('fiscalctl', outdir);
    expect(entry).toBeDefined();
    const run = spawnSync(process.execPath, [fileURLToPath(entry!), '--version'], { cwd: tmpdir(), encoding: 'utf8' });
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(version);
  }, 60_000);

  it('loads the simulation only through a dynamic import (production never loads fixtures without --simulate)', () => {
    const files = readdirSync(outdir).filter((f) => f.endsWith('.js'));
    const simulation = files.filter((f) => f.startsWith('simulate-'));
    expect(simulation).toHaveLength(1);
    for (const file of files) {
      const text = readFileSync(join(outdir, file), 'utf8');
      const all = text.split(simulation[0]!).length - 1;
      const dynamic = text.split(`import("./${simulation[0]!}")`).length - 1;
      expect({ file, all }).toEqual({ file, all: dynamic });
    }
  });

  it('fiscald starts, answers /v1/health and stops on SIGTERM with 0', async () => {
    const entry = freshCompiledEntry('fiscald', outdir);
    expect(entry).toBeDefined();
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-compiled-'));
    const port = await freePort();
    const child = spawn(process.execPath, [fileURLToPath(entry!), '--simulate=1', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let status = 0;
      for (let i = 0; i < 300 && child.exitCode === null && status !== 200; i += 1) {
        status = await fetch(`http://127.0.0.1:${port}/v1/health`).then((res) => res.status, () => 0);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status, output).toBe(200);
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
