import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consolePage } from '../../../src/api/consolePlugin.js';
import { harness, PORT, type Harness } from '../api/apiHarness.js';

const page = consolePage();
const html = page.html.toString('utf8');
const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

let h: Harness;
beforeEach(async () => { h = await harness(); });
afterEach(async () => { await h.close(); });

describe('GET / (web console)', () => {
  it('serves the page without a token, as UTF-8 HTML with a strict Content-Security-Policy', async () => {
    const res = await h.request({ method: 'GET', url: '/', auth: false });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toBe(html);
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual([`'sha256-${sha256(script)}'`]);
    expect(directives.get('style-src')).toEqual([`'sha256-${sha256(style)}'`]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('keeps the Host check (DNS rebinding) and opens nothing else at the root', async () => {
    const rebound = await h.request({ method: 'GET', url: '/', auth: false, headers: { host: `evil.example:${PORT}` } });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json()).toMatchObject({ code: 'FORBIDDEN_HOST' });
    for (const url of ['/index.html', '/console', '/v1/devices']) {
      expect((await h.request({ method: 'GET', url, auth: false })).statusCode, url).toBe(401);
    }
    expect((await h.request({ method: 'HEAD', url: '/', auth: false })).statusCode).toBe(200);
    expect((await h.request({ method: 'GET', url: '/?lang=en', auth: false })).statusCode).toBe(200);
  });
});

describe('the console page itself', () => {
  it('has one inline script and one inline style, and loads nothing from anywhere', () => {
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/\s(src|href)="(?!data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('uses nothing a strict CSP or Trusted Types would block: no inline handlers, style attributes, HTML sinks or eval', () => {
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|setTimeout\(['"`]|setAttribute\(['"]on/);
    expect(script).not.toMatch(/new EventSource/);
  });

  it('is valid JavaScript, and every element it looks up is on the page', () => {
    expect(() => new Script(script)).not.toThrow();
    const looked = [...script.matchAll(/\$\('([a-z-]+)'\)/g)].map((m) => m[1]!);
    expect(looked.length).toBeGreaterThan(10);
    for (const id of new Set(looked)) expect(html, id).toContain(`id="${id}"`);
  });

  it('labels in zh-CN with English in smaller text', () => {
    for (const heading of html.match(/<h2>[\s\S]*?<\/h2>/g)!) expect(heading).toMatch(/^<h2>[\u4e00-\u9fff][^<]* <small>[A-Za-z]/);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('/var/lib/fiscal-gateway/token');
    expect(html).toContain('~/.local/share/fiscal-gateway/token');
  });
});
