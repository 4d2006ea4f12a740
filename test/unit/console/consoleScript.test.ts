import { createContext, Script } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import { createInspectionCard } from '../../../fixtures/cards/cardSet.js';
import { VirtualCardChannel } from '../../../fixtures/cards/VirtualCardChannel.js';
import { buildServer } from '../../../src/api/buildServer.js';
import { consolePage } from '../../../src/api/consolePlugin.js';
import { diagnosticsRoutes } from '../../../src/api/routes/diagnosticsRoutes.js';
import { readersRoutes } from '../../../src/api/routes/readersRoutes.js';
import type { CardReaders, ReaderEntry } from '../../../src/devices/readers/CardReaders.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeAccess, FakeDirectory, PORT, snapshot, TOKEN } from '../api/apiHarness.js';
import type { FakeElement } from './FakeDom.js';
import { FakeDocument, FakeStorage } from './FakeDom.js';

/**
 * The console's own script, run headless in node:vm against the real API (buildServer with the console, the
 * diagnostics and the readers areas over fakes): token form, tables, a diagnostics job followed to its end
 * over the SSE stream read with fetch, a card read, a busy device, forgetting the token.
 */
const script = /<script>([\s\S]*?)<\/script>/.exec(consolePage().html.toString('utf8'))![1]!;

/** One PC/SC-style reader holding an inspection card. */
class OneReader implements CardReaders {
  readonly channel = new VirtualCardChannel(createInspectionCard({ holderName: '张稽查' }), 'Reader A');
  async list(): Promise<ReaderEntry[]> {
    return [{ name: 'Reader A', kind: 'pcsc', card: 'present' }];
  }
  async withChannel<T>(_reader: string, work: (channel: CardChannel) => Promise<T>): Promise<T> {
    return work(this.channel);
  }
  async withPcscChannels<T>(_deviceId: string, _names: object, work: (channels: { fiscal?: CardChannel; user?: CardChannel }) => Promise<T>): Promise<T> {
    return work({});
  }
}

interface Sent { method: string; url: string; headers: Record<string, string> }

let app: FastifyInstance;
let store: Store;
let jobs: JobRunner;
let access: FakeAccess;
let document: FakeDocument;
let session: FakeStorage;
let local: FakeStorage;
let sent: Sent[];
const intervals = new Set<NodeJS.Timeout>();

beforeEach(async () => {
  store = openStore(':memory:');
  jobs = new JobRunner({ store });
  access = new FakeAccess();
  const directory = new FakeDirectory([snapshot('1100000000000001'), snapshot('1100000000000002'), snapshot('OFF', 'offline')]);
  app = await buildServer(
    { jobs, store, devices: directory, logger: silentLogger, version: '0.1.0-test' },
    { token: TOKEN, port: () => PORT, plugins: [diagnosticsRoutes(access, access.diagnosticsOf), readersRoutes(new OneReader())] },
  );
  document = new FakeDocument();
  session = new FakeStorage();
  local = new FakeStorage();
  sent = [];
});

afterEach(async () => {
  for (const interval of intervals) clearInterval(interval);
  intervals.clear();
  await jobs.drain(1000);
  await app.close();
  store.close();
});

/** The browser's fetch, served by the app in-process, on the page's own origin. */
async function fetchFromPage(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  const method = init.method ?? 'GET';
  const headers = { ...init.headers, host: `127.0.0.1:${PORT}`, ...(method === 'GET' ? {} : { origin: `http://127.0.0.1:${PORT}` }) };
  sent.push({ method, url, headers });
  const res = await app.inject({ method: method as 'GET' | 'POST', url, headers, ...(init.body === undefined ? {} : { payload: init.body }) });
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
  return new Response(res.statusCode === 204 ? null : res.rawPayload, { status: res.statusCode, headers: responseHeaders });
}

function runConsole(): void {
  const context = createContext({
    document, sessionStorage: session, localStorage: local, fetch: fetchFromPage,
    setTimeout, clearTimeout, TextDecoder, AbortController, URL, console,
    setInterval: (fn: () => void, ms: number) => {
      const handle = setInterval(fn, ms);
      intervals.add(handle);
      return handle;
    },
    clearInterval: (handle: NodeJS.Timeout | undefined) => {
      if (handle !== undefined) intervals.delete(handle);
      clearInterval(handle);
    },
  });
  new Script(script).runInContext(context);
}

const $ = (id: string) => document.getElementById(id);

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`the console never showed ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function button(action: string, attribute: string, value: string): FakeElement {
  const found = [$('devices-body'), $('readers-body'), $('jobs-body')]
    .flatMap((body) => body.findAll((e) => e.tagName === 'button' && e.getAttribute('data-action') === action && e.getAttribute(attribute) === value));
  if (found.length === 0) throw new Error(`no ${action} button for ${value}`);
  return found[0]!;
}

async function logIn(): Promise<void> {
  runConsole();
  $('token').value = TOKEN;
  await $('login-form').dispatch('submit');
  await until('the devices', () => $('devices-body').textContent.includes('1100000000000002'));
}

describe('the console script against the API', () => {
  it('asks for the token first, refuses a wrong one, and keeps a right one in sessionStorage only', async () => {
    runConsole();
    expect($('login').hidden).toBe(false);
    expect($('app').hidden).toBe(true);
    $('token').value = 'wrong-token-000000';
    await $('login-form').dispatch('submit');
    await until('the refusal', () => $('login-error').textContent.includes('令牌无效'));
    expect(session.getItem('fiscal-gateway.token')).toBeNull();

    $('token').value = TOKEN;
    await $('login-form').dispatch('submit');
    expect($('app').hidden).toBe(false);
    expect($('login').hidden).toBe(true);
    expect(session.getItem('fiscal-gateway.token')).toBe(TOKEN);
    expect(local.items.size).toBe(0);
    expect(sent.every((request) => request.url.startsWith('/v1/'))).toBe(true);
    expect(sent.filter((request) => request.headers.authorization === `Bearer ${TOKEN}`).length).toBeGreaterThan(0);
  });

  it('lists devices (state, model, firmware) and readers with their cards, and reads a card', async () => {
    await logIn();
    const devices = $('devices-body').textContent;
    expect(devices).toMatch(/1100000000000001.*在线.*SIM-1.*1\.2\.3/);
    expect(devices).toMatch(/OFF.*离线/);
    expect(button('diagnose', 'data-device', 'OFF').disabled).toBe(true);
    await until('the readers', () => $('readers-body').textContent.includes('Reader A'));
    expect($('readers-body').textContent).toMatch(/Reader A.*PC\/SC.*有卡/);
    await button('read-card', 'data-reader', 'Reader A').click();
    expect($('detail').textContent).toMatch(/稽查卡/);
    expect($('detail').textContent).toContain('张稽查');
  });

  it('runs diagnostics for a named operator and follows the job live to its report and service record', async () => {
    await logIn();
    await button('diagnose', 'data-device', '1100000000000001').click();
    expect($('status').textContent).toContain('操作员');
    expect(sent.some((request) => request.method === 'POST')).toBe(false);

    $('operator').value = '王工';
    await $('operator').dispatch('input');
    expect(local.getItem('fiscal-gateway.operator')).toBe('王工');
    await button('diagnose', 'data-device', '1100000000000001').click();
    const post = sent.find((request) => request.method === 'POST')!;
    expect(post.url).toBe('/v1/devices/1100000000000001/diagnostics');
    expect(post.headers['x-operator']).toBe(encodeURIComponent('王工'));
    await until('the finished job', () => $('jobs-body').textContent.includes('成功'));
    expect(sent.some((request) => /^\/v1\/jobs\/[^/]+\/events$/.test(request.url) && request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect($('jobs-body').textContent).toMatch(/诊断.*1100000000000001.*王工.*成功.*100%/);
    // The report comes up on the stream's `end` event (polling alone would not show it).
    const report = store.jobs.list({ limit: 1 })[0]!.result as { summary: { zh: string }; findings: { zh: string }[] };
    await until('the report', () => $('detail').textContent.includes(report.summary.zh));
    for (const finding of report.findings) expect($('detail').textContent).toContain(finding.zh);
    await until('the service record', () => $('records-body').textContent.includes('王工'));
    expect($('records-body').textContent).toMatch(/王工.*1100000000000001.*诊断.*成功/);
  });

  it('says a device is busy with the running job, cancels it, and forgets the token on request', async () => {
    await logIn();
    $('operator').value = '李工';
    let release: () => void = () => undefined;
    access.hold = new Promise((resolve) => { release = resolve; });
    await button('diagnose', 'data-device', '1100000000000002').click();
    await until('the running job', () => $('jobs-body').textContent.includes('进行中'));
    await button('diagnose', 'data-device', '1100000000000002').click();
    expect($('status').textContent).toMatch(/DEVICE_BUSY/);
    await button('cancel', 'data-job', jobs.activeJobs()[0]!.id).click();
    await until('the cancelled job', () => $('jobs-body').textContent.includes('已取消'));
    expect(sent.some((request) => request.method === 'POST' && /\/cancel$/.test(request.url) && request.headers['x-operator'] === encodeURIComponent('李工'))).toBe(true);
    release();

    await $('forget').click();
    expect($('login').hidden).toBe(false);
    expect(session.getItem('fiscal-gateway.token')).toBeNull();
  });
});
