import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, PORT, type Harness } from './apiHarness.js';

let h: Harness;
beforeEach(async () => { h = await harness(); });
afterEach(async () => { await h.close(); });

describe('API security', () => {
  it('serves /v1/health without a token and nothing else', async () => {
    expect((await h.request({ method: 'GET', url: '/v1/health', auth: false })).statusCode).toBe(200);
    for (const url of ['/v1/devices', '/v1/jobs', '/v1/records', '/v1/openapi.json', '/v1/nope', '/index.html']) {
      const res = await h.request({ method: 'GET', url, auth: false });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.json().code).toBe('UNAUTHORIZED');
    }
  });

  it('refuses a wrong token and a token in the wrong scheme', async () => {
    for (const authorization of ['Bearer wrong', 'Basic dGVzdA==', 'Bearer', `Bearer test-token-0123456789x`]) {
      const res = await h.request({ method: 'GET', url: '/v1/devices', auth: false, headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('refuses any Host but the loopback names with our port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, `localhost.evil.example:${PORT}`, `10.0.0.5:${PORT}`]) {
      const res = await h.request({ method: 'GET', url: '/v1/health', headers: { host } });
      expect(res.statusCode, host).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN_HOST', status: 403 });
    }
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) {
      expect((await h.request({ method: 'GET', url: '/v1/devices', headers: { host } })).statusCode, host).toBe(200);
    }
  });

  it('allows CORS only for configured origins and our own, answering preflights before auth', async () => {
    const ok = await h.request({ method: 'GET', url: '/v1/devices', headers: { origin: 'https://console.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://console.example');
    const own = await h.request({ method: 'GET', url: '/v1/devices', headers: { origin: `http://127.0.0.1:${PORT}` } });
    expect(own.statusCode).toBe(200);
    const evil = await h.request({ method: 'GET', url: '/v1/devices', headers: { origin: 'https://evil.example' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe('FORBIDDEN_ORIGIN');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await h.request({
      method: 'OPTIONS', url: '/v1/devices/X/diagnostics', auth: false,
      headers: { origin: 'https://console.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Operator/);
    for (const origin of ['https://evil.example', 'null', 'https://console.example.evil', 'http://console.example']) {
      const refused = await h.request({
        method: 'OPTIONS', url: '/v1/devices/X/diagnostics', auth: false,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(refused.statusCode, origin).toBe(403);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(refused.headers['access-control-allow-methods'], origin).toBeUndefined();
    }
  });

  it('speaks the problem in the language asked for, and carries both', async () => {
    const zh = await h.request({ method: 'GET', url: '/v1/devices/NOPE', headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    expect(zh.statusCode).toBe(404);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.json().title).toMatch(/NOPE/);
    expect(/[\u4e00-\u9fff]/.test(zh.json().title)).toBe(true);
    const en = await h.request({ method: 'GET', url: '/v1/devices/NOPE', headers: { 'accept-language': 'en-US,zh;q=0.1' } });
    expect(en.json().title).toBe('No device with id NOPE');
    expect(en.json().messages['zh-CN'].title).toBe(zh.json().title);
    expect(en.json().code).toBe('DEVICE_NOT_FOUND');
    expect(en.json().type).toBe('urn:fiscal-gateway:error:DEVICE_NOT_FOUND');
  });
});
