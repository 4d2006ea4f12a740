// Campaign part (c): HTTP fuzzing of every route in fiscald's own OpenAPI document (GET /v1/openapi.json) with
// malformed input: path parameters (empty, bad percent-encoding, over-long, traversal, other scripts, numbers in other
// bases), query values, bodies (broken JSON, wrong types, extra members, deep nesting, large), headers (no or wrong
// token, duplicate security headers, bad Host, bad operator encoding, wrong content type) and, now and then, raw bytes
// that are not HTTP at all. Counted: 5xx answers, error answers that are not problem+json with a code and both
// languages, requests that got no answer in time, and whether the daemon still answers at the end.
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { Rng } from '../../fixtures/simulator/Rng.js';

export interface HttpFuzzTotals {
  requests: number;
  /** Requests sent as raw bytes that are not well-formed HTTP (request line, headers, framing). */
  rawRequests: number;
  byStatus: Record<string, number>;
  fiveHundreds: number;
  /** Error answers (4xx/5xx) that are not application/problem+json with a code and messages in both languages. */
  outsideProblemJson: number;
  /** No answer within the timeout. */
  hangs: number;
  /** Connections closed without any answer (raw requests only; Node may do that to garbage). */
  closedWithoutAnswer: number;
  routes: number;
  /** The daemon stopped answering (or its process died) during the fuzzing. */
  daemonDown: boolean;
  /** Distinct findings, grouped: `STATUS content-type code ← METHOD route (how)`, with a count and one example URL. */
  findings: Record<string, { count: number; example: string }>;
}

interface Operation { method: string; path: string; params: { name: string; in: string; required?: boolean }[]; body?: JsonSchema }
interface JsonSchema { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; items?: JsonSchema; anyOf?: JsonSchema[] }

export interface HttpTarget {
  readonly url: string;
  readonly token: string;
  /** True while the daemon's process lives. */
  alive(): boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readOpenApi(target: HttpTarget): Promise<Operation[]> {
  const res = await fetch(`${target.url}/v1/openapi.json`, { headers: { authorization: `Bearer ${target.token}` } });
  const doc = (await res.json()) as { paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody?.content?.['application/json']?.schema;
      operations.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], ...(body === undefined ? {} : { body }) });
    }
  }
  return operations;
}

const badSegments = [
  '', '%ZZ', '%', '%00', '%E4%', 'x'.repeat(201), 'y'.repeat(5000), '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '设备', '%F0%9F%92%A9', '0x10', '-1', '1e400',
  "'%20OR%201%3D1", '%0d%0aX-Injected:%201', 'null', 'undefined', '__proto__', 'constructor', '44030000000000%34', '%20', '0', 'A'.repeat(32), 'g'.repeat(32),
];
const badQueryValues = ['0x10', '-1', '1e9', 'NaN', '', '%ZZ', 'x'.repeat(3000), '99999999999999999999', '1.5', 'true', '[]', '{}', '2026-13-45', '%00', '0'];
const badBodies = ['{', 'null', '[]', '"x"', '1e309', '{"a":', '\u0000', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', `${'['.repeat(5000)}${']'.repeat(5000)}`, `{"x":"${'z'.repeat(200_000)}"}`, '\uFEFF{}', '{}{}', 'NaN'];
const wrongValues: unknown[] = [null, -1, 1e308, 'x'.repeat(2000), [], {}, true, '0x10', '', '\u0000', ['a'], { a: 1 }, 2 ** 53 + 1, '设备'];

function valueFor(schema: JsonSchema | undefined, rng: Rng, depth = 0): unknown {
  if (schema === undefined || depth > 4) return rng.pick(wrongValues);
  if (schema.enum !== undefined && rng.chance(0.7)) return rng.pick(schema.enum);
  if (schema.anyOf !== undefined) return valueFor(rng.pick(schema.anyOf), rng, depth + 1);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
  switch (type) {
    case 'string': return rng.pick(['abc', '', 'x'.repeat(rng.int(1, 300)), '2026-12-05', 'a'.repeat(32), '设备']);
    case 'integer': case 'number': return rng.pick([0, 1, -1, 2 ** 31, 1.5, 1e9]);
    case 'boolean': return rng.chance(0.5);
    case 'array': return Array.from({ length: rng.int(0, 3) }, () => valueFor(schema.items, rng, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(schema.properties ?? {})) if (rng.chance(0.7)) out[name] = rng.chance(0.25) ? rng.pick(wrongValues) : valueFor(prop, rng, depth + 1);
      if (rng.chance(0.2)) out[`extra${rng.int(0, 9)}`] = rng.pick(wrongValues);
      return out;
    }
    default: return rng.pick(wrongValues);
  }
}

interface Built { method: string; path: string; headers: [string, string][]; body?: string; how: string; route: string }

function build(op: Operation, rng: Rng, target: HttpTarget, host: string, ids: { devices: string[]; jobs: string[] }): Built {
  const hows: string[] = [];
  let path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (rng.chance(0.35)) {
      const pool = name === 'id' && op.path.startsWith('/v1/devices') ? ids.devices : name === 'id' && op.path.startsWith('/v1/jobs') ? ids.jobs : [];
      if (pool.length > 0) return rng.pick(pool);
    }
    const bad = rng.pick(badSegments);
    hows.push(`${name}=${bad.slice(0, 20)}${bad.length > 20 ? '…' : ''}`);
    return bad;
  });
  const query = op.params.filter((p) => p.in === 'query');
  const pairs: string[] = [];
  for (const q of query) if (rng.chance(0.5)) pairs.push(`${q.name}=${rng.pick(badQueryValues)}`);
  if (rng.chance(0.1)) pairs.push(`${rng.pick(['limit', 'token', 'x', 'access_token'])}=${rng.pick(badQueryValues)}`);
  if (pairs.length > 0) { path += `?${pairs.join('&')}`; hows.push('query'); }

  const headers: [string, string][] = [['host', host], ['authorization', `Bearer ${target.token}`], ['x-operator', 'fuzz'], ['accept-language', rng.pick(['zh-CN', 'en', 'de;q=0.5', ''])]];
  const headerFault = rng.int(0, 14);
  switch (headerFault) {
    case 0: headers.splice(1, 1); hows.push('no token'); break;
    case 1: headers[1] = ['authorization', 'Bearer wrong-token']; hows.push('wrong token'); break;
    case 2: headers.push(['authorization', 'Bearer other']); hows.push('two Authorization'); break;
    case 3: headers[0] = ['host', 'evil.example']; hows.push('bad Host'); break;
    case 4: headers[0] = ['host', `localhost.evil.example:${host.split(':')[1]}`]; hows.push('lookalike Host'); break;
    case 5: headers[2] = ['x-operator', '%E4%']; hows.push('bad operator encoding'); break;
    case 6: headers.splice(2, 1); hows.push('no operator'); break;
    case 7: headers.push(['idempotency-key', 'k'.repeat(rng.pick([0, 1, 300, 5000]))]); hows.push('idempotency key'); break;
    case 8: headers.push(['origin', 'http://evil.example']); hows.push('foreign Origin'); break;
    default: break;
  }
  let body: string | undefined;
  if (op.method === 'POST' || op.method === 'DELETE' || op.method === 'PUT' || rng.chance(0.05)) {
    const kind = rng.int(0, 3);
    if (kind === 0) { body = rng.pick(badBodies); hows.push('bad JSON'); } else if (kind < 3) { body = JSON.stringify(valueFor(op.body, rng)); hows.push('schema-ish body'); }
    if (body !== undefined) headers.push(['content-type', rng.chance(0.85) ? 'application/json' : rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'])]);
  }
  return { method: op.method, path, headers, ...(body === undefined ? {} : { body }), how: hows.join(', ') || 'plain', route: `${op.method} ${op.path}` };
}

function isProblem(headers: IncomingHttpHeaders, body: string): boolean {
  if (!String(headers['content-type'] ?? '').startsWith('application/problem+json')) return false;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; messages?: Record<string, unknown> };
    return typeof parsed.code === 'string' && parsed.messages?.['zh-CN'] !== undefined && parsed.messages.en !== undefined;
  } catch {
    return false;
  }
}

type Answer = { status: number; headers: IncomingHttpHeaders; body: string } | 'hang' | 'closed' | 'unsent';

function send(agent: Agent, port: number, built: Built, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of built.headers) {
      const had = headers[name];
      headers[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
    }
    let done = false;
    const finish = (answer: Answer) => { if (!done) { done = true; clearTimeout(timer); resolve(answer); } };
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest({ host: '127.0.0.1', port, method: built.method, path: built.path, headers, agent, setHost: false }, (res) => {
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        res.destroy();
        finish({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 100_000) body += chunk; });
      res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => finish('closed'));
      });
    } catch {
      // Node's client refuses to send it (an invalid header value): nothing reached the daemon.
      resolve('unsent');
      return;
    }
    const timer = setTimeout(() => { req.destroy(); finish('hang'); }, timeoutMs);
    req.on('error', () => finish('closed'));
    if (built.body !== undefined) req.write(built.body);
    req.end();
  });
}

const rawRequests = [
  () => 'GET /v1/devices HTTP/1.1\r\n\r\n',
  () => 'GET /v1/devices HTTP/1.0\r\nAuthorization: Bearer x\r\n\r\n',
  (host: string) => `GET /v1/jobs/%ZZ/events HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
  (host: string) => `GET /v1/devices HTTP/1.1\r\nHost: ${host}\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`,
  () => 'GARBAGE\r\n\r\n',
  () => '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
  (host: string) => `POST /v1/packages HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  (host: string) => `GET /v1/devices HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`,
  (host: string) => `GET /${'x'.repeat(70_000)} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
  (host: string) => `GET /v1/devices HTTP/9.9\r\nHost: ${host}\r\n\r\n`,
];

function sendRaw(port: number, text: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let data = '';
    let done = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (answer: Answer) => { if (!done) { done = true; clearTimeout(timer); socket.destroy(); resolve(answer); } };
    const timer = setTimeout(() => finish(data === '' ? 'hang' : parse()), timeoutMs);
    const parse = (): Answer => {
      const [head = '', body = ''] = data.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const headers: IncomingHttpHeaders = {};
      for (const line of head.split('\r\n').slice(1)) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      return status === 0 ? 'closed' : { status, headers, body };
    };
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      // A whole answer (its head and the body its content-length announces) is enough: a kept-alive connection stays open after it.
      const end = data.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(data.slice(0, end));
      if (end >= 0 && length !== null && data.length - end - 4 >= Number(length[1])) finish(parse());
    });
    socket.on('end', () => finish(data === '' ? 'closed' : parse()));
    socket.on('close', () => finish(data === '' ? 'closed' : parse()));
    socket.on('error', () => finish(data === '' ? 'closed' : parse()));
    socket.write(text, 'latin1');
  });
}

export interface HttpFuzzOptions {
  readonly seed: number;
  readonly budgetMs: number;
  readonly maxRequests?: number;
  readonly concurrency?: number;
  readonly say?: (line: string) => void;
}

export async function runHttpFuzz(target: HttpTarget, options: HttpFuzzOptions): Promise<HttpFuzzTotals> {
  const rng = new Rng(options.seed);
  const port = Number(new URL(target.url).port);
  const host = `127.0.0.1:${port}`;
  const operations = await readOpenApi(target);
  const auth = { authorization: `Bearer ${target.token}` };
  const devices = ((await (await fetch(`${target.url}/v1/devices`, { headers: auth })).json()) as { devices: { id: string }[] }).devices.map((d) => d.id);
  const jobs = ((await (await fetch(`${target.url}/v1/jobs`, { headers: auth })).json()) as { jobs?: { id: string }[] }).jobs?.map((j) => j.id) ?? [];
  const totals: HttpFuzzTotals = { requests: 0, rawRequests: 0, byStatus: {}, fiveHundreds: 0, outsideProblemJson: 0, hangs: 0, closedWithoutAnswer: 0, routes: operations.length, daemonDown: false, findings: {} };
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const deadline = Date.now() + options.budgetMs;
  const max = options.maxRequests ?? Infinity;
  const note = (key: string, example: string) => {
    const finding = totals.findings[key] ?? { count: 0, example };
    finding.count += 1;
    totals.findings[key] = finding;
  };
  const one = async () => {
    const raw = rng.chance(0.03);
    let answer: Answer;
    let route: string;
    let how: string;
    let example: string;
    if (raw) {
      const index = rng.int(0, rawRequests.length - 1);
      answer = await sendRaw(port, rawRequests[index]!(host), 10_000);
      route = `raw #${index}`;
      how = 'not HTTP';
      example = JSON.stringify(rawRequests[index]!(host).slice(0, 80));
      totals.rawRequests += 1;
    } else {
      const built = build(rng.pick(operations), rng, target, host, { devices, jobs });
      answer = await send(agent, port, built, 10_000);
      // A kept-alive connection the daemon closed after its previous answer fails the next request on it: not an
      // answer to this one. Sent again on a connection of its own; only a second close counts.
      if (answer === 'closed') answer = await send(new Agent({ keepAlive: false }), port, built, 10_000);
      route = built.route;
      how = built.how;
      example = `${built.method} ${built.path.slice(0, 120)}`;
    }
    if (answer === 'unsent') return;
    totals.requests += 1;
    if (answer === 'hang') { totals.hangs += 1; note(`no answer in time ← ${route} (${how})`, example); return; }
    if (answer === 'closed') { totals.closedWithoutAnswer += 1; if (!raw) note(`closed without an answer ← ${route} (${how})`, example); return; }
    totals.byStatus[answer.status] = (totals.byStatus[answer.status] ?? 0) + 1;
    const problem = isProblem(answer.headers, answer.body);
    let code = '';
    try { code = String((JSON.parse(answer.body) as { code?: unknown }).code ?? ''); } catch { code = answer.body.slice(0, 40).replace(/\s+/g, ' '); }
    const type = String(answer.headers['content-type'] ?? 'none').split(';')[0];
    if (answer.status >= 500) { totals.fiveHundreds += 1; note(`${answer.status} ${type} ${code} ← ${route} (${how.split(', ')[0]})`, example); }
    if (answer.status >= 400 && !problem) { totals.outsideProblemJson += 1; note(`${answer.status} ${type} ${code} not problem+json ← ${route}`, example); }
  };
  const workers = Array.from({ length: options.concurrency ?? 8 }, async () => {
    while (Date.now() < deadline && totals.requests < max) {
      await one();
      if (!target.alive()) { totals.daemonDown = true; return; }
    }
  });
  await Promise.all(workers);
  agent.destroy();
  await sleep(200);
  try {
    totals.daemonDown ||= !target.alive() || !(await fetch(`${target.url}/v1/health`)).ok;
  } catch {
    totals.daemonDown = true;
  }
  options.say?.(`http: ${totals.requests} requests over ${totals.routes} routes, ${totals.fiveHundreds} 5xx, ${totals.outsideProblemJson} outside problem+json, ${totals.hangs} hangs${totals.daemonDown ? ', THE DAEMON STOPPED ANSWERING' : ''}`);
  return totals;
}
