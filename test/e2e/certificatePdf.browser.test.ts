import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.js';
import { diagnosticsRoutes } from '../../src/api/routes/diagnosticsRoutes.js';
import { JobRunner } from '../../src/jobs/JobRunner.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/Store.js';
import { lendingPort } from '../helpers/fakeDevicePort.js';
import { FakeDirectory, snapshot, TOKEN } from '../unit/api/apiHarness.js';
import { diagnosable, type Diagnosable } from '../unit/diagnostics/diagnosticsHarness.js';

/**
 * The certificates in a real browser: Debian's chromium (never a downloaded one) driven by playwright-core prints
 * each page to an A4 PDF; poppler's pdftotext reads its text back and pdftoppm turns it into an image.
 */
const work = mkdtempSync(join(tmpdir(), 'certificate-pdf-'));
let context: BrowserContext;
let app: FastifyInstance;
let store: Store;
let jobs: JobRunner;
const registers: Diagnosable[] = [];
const headers = { host: '127.0.0.1:18240', authorization: `Bearer ${TOKEN}`, 'x-operator': encodeURIComponent('王工') };

beforeAll(async () => {
  const faulty = await diagnosable();
  const fresh = await diagnosable({ history: undefined, seed: 12 });
  registers.push(faulty, fresh);
  faulty.register.simulator.removeCard('fiscal');
  store = openStore(':memory:');
  jobs = new JobRunner({ store });
  const byId = new Map(registers.map((r) => [r.port.machineNumber, r.port]));
  app = await buildServer(
    { jobs, store, devices: new FakeDirectory(registers.map((r) => snapshot(r.port.machineNumber))), logger: silentLogger, version: 'test' },
    { token: TOKEN, port: () => 18240, corsOrigins: [], plugins: [diagnosticsRoutes(lendingPort(), (device) => byId.get(device.id)!)] },
  );
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await jobs?.drain(1000);
  await app?.close();
  store?.close();
  for (const r of registers) await r.close();
  rmSync(work, { recursive: true, force: true });
});

async function diagnose(id: string): Promise<string> {
  const started = (await app.inject({ method: 'POST', url: `/v1/devices/${id}/diagnostics`, headers })).json();
  await jobs.settled(started.job.id);
  return started.job.id as string;
}

/** The page printed to A4 PDF by chromium, then its text (pdftotext) and its first page as an image (pdftoppm). */
async function printed(html: string, name: string): Promise<{ text: string; darkShare: number; pages: number }> {
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  const pdf = join(work, `${name}.pdf`);
  writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  await page.close();
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', '-singlefile', pdf, join(work, name)]);
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  return { text, darkShare: darkShare(readFileSync(join(work, `${name}.pgm`))), pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) };
}

/** The share of dark pixels in a binary PGM (P5) image: a page of printed text and table lines is neither blank nor black. */
function darkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (header === null) throw new Error('not a binary PGM');
  const pixels = pgm.subarray(header[0].length, header[0].length + Number(header[1]) * Number(header[2]));
  let dark = 0;
  for (const value of pixels) if (value < 128) dark += 1;
  return dark / pixels.length;
}

describe('certificates printed to PDF by a real browser', () => {
  it('the fault certificate: A4 PDF whose text has the machine number, the taxpayer and the finding, with a signature line', async () => {
    const faulty = registers[0]!;
    const diagnosis = await diagnose(faulty.port.machineNumber);
    const json = (await app.inject({ method: 'GET', url: `/v1/certificates/fault/${diagnosis}`, headers })).json();
    expect(json.findings.map((f: { check: string }) => f.check)).toContain('card.fiscal.present');
    const html = (await app.inject({ method: 'GET', url: `/v1/certificates/fault/${diagnosis}?format=html`, headers })).body;
    const { text, darkShare: ink, pages } = await printed(html, 'fault');
    const squeezed = text.replace(/\s+/g, '');
    expect(squeezed).toContain('税控收款机故障证明');
    expect(squeezed).toContain(faulty.port.machineNumber);
    expect(squeezed).toContain(json.taxpayer.name);
    expect(squeezed).toContain('未检测到税控卡');
    expect(squeezed).toContain('（签字）');
    expect(pages).toBe(1);
    expect(ink).toBeGreaterThan(0.005);
    expect(ink).toBeLessThan(0.5);
  }, 60_000);

  it('the not-initialized certificate (表单-10) of a new register, and refused for an initialized one', async () => {
    const fresh = registers[1]!;
    const diagnosis = await diagnose(fresh.port.machineNumber);
    const html = (await app.inject({ method: 'GET', url: `/v1/certificates/not-initialized/${diagnosis}?format=html`, headers })).body;
    const { text } = await printed(html, 'not-initialized');
    const squeezed = text.replace(/\s+/g, '');
    expect(squeezed).toContain('税控收款机未初始化证明');
    expect(squeezed).toContain('表单-10');
    expect(squeezed).toContain(fresh.port.machineNumber);
    const refused = await app.inject({ method: 'GET', url: `/v1/certificates/not-initialized/${await diagnose(registers[0]!.port.machineNumber)}`, headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CERTIFICATE_NOT_APPLICABLE');
  }, 60_000);

  it('the repair record (表单-06) cites its diagnosis and has the user\'s signature line', async () => {
    const faulty = registers[0]!;
    const diagnosis = await diagnose(faulty.port.machineNumber);
    const repair = (await app.inject({
      method: 'POST', url: '/v1/records/repairs', headers,
      payload: { device: faulty.port.machineNumber, diagnosisId: diagnosis, checks: ['card.fiscal.present'], work: '清洁税控卡座触点', parts: '无' },
    })).json();
    const json = (await app.inject({ method: 'GET', url: `/v1/certificates/repair/${repair.id}`, headers })).json();
    expect(json).toMatchObject({ form: '表单-06', source: { diagnosisId: diagnosis, recordId: repair.id } });
    const { text } = await printed((await app.inject({ method: 'GET', url: `/v1/certificates/repair/${repair.id}?format=html`, headers })).body, 'repair');
    const squeezed = text.replace(/\s+/g, '');
    expect(squeezed).toContain('税控装置维修记录表');
    expect(squeezed).toContain('清洁税控卡座触点');
    expect(squeezed).toContain(json.taxpayer.name);
    expect(squeezed).toContain('用户（签字）');
  }, 60_000);
});
