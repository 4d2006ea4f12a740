import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, PORT, type Harness } from '../api/apiHarness.js';

const html = readFileSync(new URL('../../../src/api/console/index.html', import.meta.url), 'utf8');
const script = readFileSync(new URL('../../../src/api/console/dist/app.js', import.meta.url), 'utf8');

let h: Harness;
beforeEach(async () => { h = await harness(); });
afterEach(async () => { await h.close(); });

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values] as const;
  }));
}

function cookieOf(setCookie: string | string[] | undefined): string {
  return String([setCookie].flat()[0]).split(';')[0]!;
}

describe('the web console is served without a token, under a strict CSP', () => {
  it('serves the page, its script and its style from this origin only; nothing inline', async () => {
    for (const [url, type] of [['/', 'text/html; charset=utf-8'], ['/console/app.js', 'text/javascript; charset=utf-8'], ['/console/app.css', 'text/css; charset=utf-8']] as const) {
      const res = await h.request({ method: 'GET', url, auth: false });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      const csp = directives(String(res.headers['content-security-policy']));
      expect(csp.get('default-src')).toEqual(["'none'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-|https?:|\*/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(html).not.toMatch(/<script>|<style>|\son[a-z]+=|\sstyle=|https?:\/\//i);
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|sessionStorage/);
  });

  it('keeps the Host check and opens nothing else', async () => {
    const rebound = await h.request({ method: 'GET', url: '/', auth: false, headers: { host: `evil.example:${PORT}` } });
    expect(rebound.statusCode).toBe(403);
    for (const url of ['/index.html', '/console', '/console/session', '/v1/devices']) {
      expect((await h.request({ method: 'GET', url, auth: false })).statusCode, url).toBe(401);
    }
  });
});

describe('console login and its session', () => {
  it('a one-time link minted with the token opens an HttpOnly SameSite=Strict session, once', async () => {
    const minted = await h.request({ method: 'POST', url: '/console/login-links' });
    expect(minted.statusCode).toBe(200);
    const { path } = minted.json() as { path: string };
    expect(path).toMatch(/^\/console\/login\?once=[\w-]{40,}$/);
    const login = await h.request({ method: 'GET', url: path, auth: false });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/');
    expect(String(login.headers['set-cookie'])).toMatch(/^fiscal_console=[\w-]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    const again = await h.request({ method: 'GET', url: path, auth: false });
    expect(again.headers.location).toBe('/#login-expired');
    expect(again.headers['set-cookie']).toBeUndefined();

    const cookie = cookieOf(login.headers['set-cookie']);
    const devices = await h.request({ method: 'GET', url: '/v1/devices', auth: false, headers: { cookie } });
    expect(devices.statusCode).toBe(200);
    // A session cannot mint links for another browser: only the token's holder can.
    const { csrf } = (await h.request({ method: 'GET', url: '/console/session', auth: false, headers: { cookie } })).json() as { csrf: string };
    expect((await h.request({ method: 'POST', url: '/console/login-links', auth: false, headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(401);
  });

  it('a cookie-authenticated state-changing request needs the session CSRF token (which only the own origin can read)', async () => {
    const opened = await h.request({ method: 'POST', url: '/console/session' });
    const cookie = cookieOf(opened.headers['set-cookie']);
    const session = await h.request({ method: 'GET', url: '/console/session', auth: false, headers: { cookie } });
    const { csrf } = session.json() as { csrf: string };
    expect(csrf).toBe((opened.json() as { csrf: string }).csrf);
    const url = '/v1/devices/1100000000000001/diagnostics';
    const base = { cookie, 'x-operator': 'wang', 'content-type': 'application/json' };
    const forged = await h.request({ method: 'POST', url, auth: false, headers: base, payload: '{}' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    expect((await h.request({ method: 'POST', url, auth: false, headers: { ...base, 'x-csrf-token': 'x'.repeat(43) }, payload: '{}' })).statusCode).toBe(403);
    expect((await h.request({ method: 'GET', url: '/v1/jobs' })).json()).toMatchObject({ jobs: [] });
    const real = await h.request({ method: 'POST', url, auth: false, headers: { ...base, 'x-csrf-token': csrf }, payload: '{}' });
    expect(real.statusCode).toBe(202);
    // Another origin is refused before anything else, cookie or not.
    const foreign = await h.request({ method: 'POST', url, auth: false, headers: { ...base, 'x-csrf-token': csrf, origin: 'http://127.0.0.1:9999' }, payload: '{}' });
    expect(foreign.json()).toMatchObject({ code: 'FORBIDDEN_ORIGIN' });
    // Logging out ends the session.
    expect((await h.request({ method: 'DELETE', url: '/console/session', auth: false, headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    expect((await h.request({ method: 'GET', url: '/v1/devices', auth: false, headers: { cookie } })).statusCode).toBe(401);
  });
});
