import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../../src/daemon/paths.js';
import { simulatedRegisterPath } from '../../../fixtures/simulate/simulatorFiles.js';
import { loadSqlite } from '../../../src/store/loadSqlite.js';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

/**
 * No secret leaves the daemon's memory: an initialization (mutual authentication, the fiscal PIN handed to
 * the register) and an invoice roll (the register checks its PIN) run in-process, then the SQLite file, the
 * job events (what SSE sends), the records, the API answers and every pino line (at trace) are searched for
 * the PINs, the bearer token and the confirmation token.
 */
let d: InProcessDaemon;
const logLines: string[] = [];
const answers: string[] = [];
let confirmation = '';
let jobIds: string[] = [];

const secretNames = /^(pin|newpin|currentpin|mac|mac1|mac2|key|privatekey|issuerkey|token|confirmationtoken|authorization|apdu)$/i;

/** Every value kept under a secret-looking name that is not blanked out, as `path=value`. */
function unredacted(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unredacted(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, inner]) => (
    secretNames.test(name) && inner !== '[redacted]' && inner !== null && typeof inner !== 'boolean'
      ? [`${path}.${name}=${JSON.stringify(inner).slice(0, 80)}`]
      : unredacted(inner, `${path}.${name}`)));
}

/** The PINs a simulated register holds (current and original), from its saved state. */
function registerPins(file: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [name, inner] of Object.entries(value)) {
        if (name === 'pin' && inner !== null && typeof inner === 'object' && 'current' in inner) found.push(...Object.values(inner as Record<string, string>));
        else walk(inner);
      }
    }
  };
  walk(JSON.parse(readFileSync(file, 'utf8')));
  return [...new Set(found)];
}

async function settle(jobId: string): Promise<{ state: string; error: { code: string } | null }> {
  const row = await d.daemon.jobs.settled(jobId);
  return row as unknown as { state: string; error: { code: string } | null };
}

async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await d.request({ method, url, headers: { 'x-operator': 'secrets-test' }, ...(payload === undefined ? {} : { payload: payload as object }) });
  answers.push(res.body);
  return res;
}

beforeAll(async () => {
  d = await startInProcessDaemon({ log: { write: (line: string) => { logLines.push(line); } } });
  const initialize = `/v1/devices/${d.fresh.id}/initialize`;
  const dry = (await call('POST', initialize, {})).json() as { ok: boolean; confirmation: { token: string } };
  expect(dry.ok).toBe(true);
  confirmation = dry.confirmation.token;
  // A wrong token is refused at once (409) or by the job it starts, depending on where the service checks it.
  const wrong = await call('POST', initialize, { confirm: 'f'.repeat(32) });
  const wrongJob = wrong.statusCode === 202 ? (wrong.json() as { job: { id: string } }).job.id : undefined;
  expect(wrongJob === undefined ? wrong.json().code : (await settle(wrongJob)).error?.code).toBe('INIT_TOKEN_INVALID');
  const run = (await call('POST', initialize, { confirm: confirmation })).json() as { job: { id: string } };
  expect((await settle(run.job.id)).state).toBe('succeeded');
  const roll = (await call('POST', `/v1/devices/${d.initialized.id}/rolls`, {})).json() as { job: { id: string } };
  expect((await settle(roll.job.id)).state).toBe('succeeded');
  jobIds = [...(wrongJob === undefined ? [] : [wrongJob]), run.job.id, roll.job.id];
  for (const id of jobIds) {
    await call('GET', `/v1/jobs/${id}`);
    await call('GET', `/v1/jobs/${id}/events`);
  }
  await call('GET', '/v1/records');
  await call('GET', '/v1/records?format=csv');
  await call('POST', `/v1/devices/${d.initialized.id}/changes`, { kind: 'basic-info', pin: '0011223344556677' });
  await d.shutdown();
}, 120_000);
afterAll(async () => { await d.stop(); });

describe('secrets stay out of the store, the log and the API', () => {
  it('knows what to look for', () => {
    expect(confirmation.length).toBeGreaterThanOrEqual(16);
    expect(registerPins(simulatedRegisterPath(d.dataDir, 1)).length).toBeGreaterThan(0);
    expect(registerPins(simulatedRegisterPath(d.dataDir, 2)).length).toBeGreaterThan(0);
    expect(logLines.length).toBeGreaterThan(20);
    expect(logLines.some((line) => line.includes('"jobId"'))).toBe(true);
  });

  it('the SQLite file (with its WAL) holds no PIN, bearer token or confirmation token', () => {
    const pins = [...registerPins(simulatedRegisterPath(d.dataDir, 1)), ...registerPins(simulatedRegisterPath(d.dataDir, 2))];
    const files = readdirSync(d.dataDir).filter((name) => name.startsWith('fiscald.sqlite')).map((name) => join(d.dataDir, name));
    expect(files).toContain(databasePath(d.dataDir));
    const bytes = files.filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('\n');
    for (const secret of [d.token, confirmation, ...pins, ...pins.map((p) => p.toUpperCase())]) {
      expect(bytes.includes(secret), `store holds ${secret.slice(0, 4)}…`).toBe(false);
    }
  });

  it('no JSON column of the store keeps a value under a secret name (job params, records, results, errors, SSE events)', () => {
    const Database = loadSqlite();
    const db = new Database(databasePath(d.dataDir), { readonly: true });
    const columns: [string, string][] = [
      ['jobs', 'params_json'], ['jobs', 'record_json'], ['jobs', 'result_json'], ['jobs', 'error_json'],
      ['job_events', 'data_json'], ['service_records', 'params_json'], ['service_records', 'before_json'], ['service_records', 'after_json'],
    ];
    let rows = 0;
    for (const [table, column] of columns) {
      for (const row of db.prepare(`SELECT ${column} AS json FROM ${table} WHERE ${column} IS NOT NULL`).all() as { json: string }[]) {
        rows += 1;
        expect(unredacted(JSON.parse(row.json)), `${table}.${column}`).toEqual([]);
      }
    }
    db.close();
    expect(rows).toBeGreaterThan(20);
  });

  it('no log line holds a PIN or a token, nor a value under a secret name', () => {
    const pins = [...registerPins(simulatedRegisterPath(d.dataDir, 1)), ...registerPins(simulatedRegisterPath(d.dataDir, 2))];
    const log = logLines.join('');
    for (const secret of [d.token, confirmation, ...pins, ...pins.map((p) => p.toUpperCase())]) {
      expect(log.includes(secret), `log holds ${secret.slice(0, 4)}…`).toBe(false);
    }
    for (const line of logLines) expect(unredacted(JSON.parse(line)), line.slice(0, 200)).toEqual([]);
  });

  it('no API answer (jobs, SSE, records, CSV, problems) holds a PIN or a token', () => {
    const pins = [...registerPins(simulatedRegisterPath(d.dataDir, 1)), ...registerPins(simulatedRegisterPath(d.dataDir, 2))];
    // The dry run's answer is the one place the confirmation token is given out, on purpose.
    const text = answers.slice(1).join('\n');
    for (const secret of [d.token, confirmation, ...pins, ...pins.map((p) => p.toUpperCase())]) {
      expect(text.includes(secret), `an answer holds ${secret.slice(0, 4)}…`).toBe(false);
    }
    expect(text).not.toContain('0011223344556677');
  });
});
