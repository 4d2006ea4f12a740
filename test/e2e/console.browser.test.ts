import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { englishWords } from '../unit/cli/englishWords.js';

/**
 * The web console in a real browser: Debian's chromium driven by playwright-core (never a downloaded browser)
 * against `fiscald --simulate=3`. Screenshots go to test-artifacts/console (gitignored). The simulated registers take
 * 1.5 s to restart (the page follows the job's events, so its waiting state shows well within that), so the upgrade's
 * wait for the register after its new image boots can be seen.
 */
const artifacts = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'console');
const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
let daemon: RunningDaemon;
let context: BrowserContext;
let page: Page;
let foreign: Server | undefined;
let newDevice = '';
let newDeviceFirmware = '';
let initializedDevice = '';
const work = mkdtempSync(join(tmpdir(), 'console-upgrade-'));
const packageFile = join(work, 'fw.fwpkg');

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/**
 * English words in what the page shows (issue 14: no English in zh): the allow-list of the fiscalctl walk, plus what
 * the page shows as names — model names, the simulated transport paths and reader names, the switch's own label —
 * and the unit KiB.
 */
async function englishOnPage(): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return englishWords(text.replace(/\bSIM-[A-Z]+-\d+\b/g, ' ').replace(/\bmemory:sim-\d+/g, ' ').replace(/Simulated Reader \d+/g, ' ').replace(/\b(English|KiB)\b/g, ' '));
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${daemon.url}${path}`, { headers: { authorization: `Bearer ${daemon.token}` } });
  return (await response.json()) as T;
}

/** Clicks an operation and waits until the job it started is shown succeeded (its short id is in the status line). */
async function startedJob(click: () => Promise<void>): Promise<string> {
  const status = page.locator('#status');
  const shortOf = async () => /([0-9a-f]{8})/.exec((await status.textContent()) ?? '')?.[1];
  const before = await shortOf();
  await click();
  await expect.poll(async () => { const now = await shortOf(); return now !== undefined && now !== before; }, { timeout: 20_000 }).toBe(true);
  return (await shortOf())!;
}

async function runJob(action: string): Promise<string> {
  const short = await startedJob(() => page.locator(`button[data-action="${action}"]`).click());
  await page.locator(`tr[data-job^="${short}"] td.state-succeeded`).first().waitFor({ timeout: 40_000 });
  return short;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  const trusted = join(work, 'trusted');
  mkdirSync(trusted);
  daemon = await startDaemon({ simulate: 3, args: ['--trusted-keys', trusted, '--simulator-timing', '{"rebootMs":1500}'] });
  const { devices } = await api<{ devices: { id: string; transport: { path: string }; identity: { model: string; firmwareVersion: string } }[] }>('/v1/devices');
  const sim1 = devices.find((d) => d.transport.path === 'memory:sim-1')!;
  newDevice = sim1.id;
  newDeviceFirmware = sim1.identity.firmwareVersion;
  // A vendor key the daemon trusts and a package for the simulated model, uploaded later through the page.
  const keygen = await runFiscalctl(daemon, ['package', 'keygen', '--out', join(work, 'vendor')]);
  expect(keygen.code, keygen.stderr).toBe(0);
  copyFileSync(join(work, 'vendor.pub'), join(trusted, 'vendor.pub'));
  writeFileSync(join(work, 'fw.bin'), Buffer.alloc(16 * 1024, 0x5a));
  const built = await runFiscalctl(daemon, ['package', 'build', '--image', join(work, 'fw.bin'), '--version', '9.1.0', '--model', sim1.identity.model,
    '--lowest', '0.0.1', '--key', join(work, 'vendor.key'), '-o', packageFile]);
  expect(built.code, built.stderr).toBe(0);
  initializedDevice = devices.find((d) => d.transport.path === 'memory:sim-2')!.id;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
}, 90_000);

afterAll(async () => {
  await context?.close();
  await new Promise((done) => (foreign ? foreign.close(done) : done(undefined)));
  await daemon?.stop();
  rmSync(profile, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  rmSync(daemon.dataDir, { recursive: true, force: true });
});

describe('web console in chromium', { timeout: 120_000 }, () => {
  it('logs in through the one-time link of fiscalctl console and shows the registers in Chinese', async () => {
    const made = await runFiscalctl(daemon, ['console', '--no-open', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { url } = JSON.parse(made.stdout) as { url: string };
    const path = new URL(url).pathname + new URL(url).search;
    expect(url).not.toContain(daemon.token);
    await page.goto(url);
    await page.locator('#devices tbody tr').nth(2).waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('h1').textContent()).toBe('税控网关控制台');
    expect(await page.locator('#devices tbody tr').count()).toBe(3);
    await shot('01-devices-zh');
    expect(await englishOnPage()).toEqual([]);
    // A card in a reader, decoded for people.
    await page.locator('#readers tr', { hasText: 'Simulated Reader 1' }).locator('button').click();
    await page.locator('#card-view dl').waitFor();
    expect(await page.locator('#card-view').textContent()).toContain('稽查卡');
    expect(await page.locator('#card-view').textContent()).toContain('稽查员');
    // The link is spent: a second visit is refused.
    const again = await fetch(`${daemon.url}${path}`, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/#login-expired');
    await page.locator('#operator').fill('王工');
  });

  it('initializes the new register through the dry run and its confirmation', async () => {
    await page.goto(`${daemon.url}/#device/${encodeURIComponent(newDevice)}`);
    await page.locator('button[data-action="initialize"]').click();
    await page.locator('#dry-run tbody tr').first().waitFor();
    expect(await page.locator('#dry-run tr.bad').count()).toBe(0);
    await shot('02-initialize-dry-run');
    await runJob('confirm-initialize');
    await shot('03-initialized');
  });

  it('runs diagnostics and shows the report', async () => {
    await runJob('diagnose');
    await page.locator('#report').first().waitFor();
    expect(await page.locator('#report').first().textContent()).toContain('诊断报告');
    // The stored diagnosis offers its certificates; the browser's session may open them (GET, same origin).
    const certificate = page.locator('a[data-certificate="not-initialized"]');
    await certificate.waitFor();
    const opened = await context.request.get(`${daemon.url}${await certificate.getAttribute('href')}`);
    // This register was just initialized, so fiscald answers that the certificate does not apply (not 401/403).
    expect(opened.status()).toBe(409);
    expect(await opened.json()).toMatchObject({ code: 'CERTIFICATE_NOT_APPLICABLE' });
    await shot('04-diagnostics');
  });

  it('upgrades from a package uploaded on the page: verification and version rule first, the restart wait shown, then the new version', async () => {
    await page.locator('button[data-action="upgrade"]').click();
    await page.locator('#upgrade-file').setInputFiles(packageFile);
    await page.locator('#upgrade-upload').click();
    const rule = page.locator('#upgrade-rule');
    await rule.waitFor();
    expect(await page.locator('#upgrade-package option:checked').textContent()).toMatch(/^9\.1\.0（/);
    expect(await rule.textContent()).toBe(`版本规则：允许升级：${newDeviceFirmware} → 9.1.0`);
    expect(await page.locator('#upgrade-gate').textContent()).toContain('上传时已按可信密钥');
    expect(await page.locator('#upgrade-gate').textContent()).toContain(`固件 ${newDeviceFirmware}`);
    expect(await page.locator('#upgrade-steps li').count()).toBe(3);
    // Each path says what the technician will do: the stick is carried to the register, cards are written one by one.
    await page.locator('#upgrade-path').selectOption('usb-stick');
    await expect.poll(async () => page.locator('#upgrade-steps li').count()).toBe(4);
    expect(await page.locator('#upgrade-steps').textContent()).toContain('取下U盘插到收款机上');
    await page.locator('#upgrade-path').selectOption('ic-card');
    await expect.poll(async () => page.locator('#upgrade-steps').textContent()).toContain('空白升级卡');
    await page.locator('#upgrade-path').selectOption('serial');
    await expect.poll(async () => page.locator('#upgrade-steps li').count()).toBe(3);
    await shot('05-upgrade-plan');
    const short = await startedJob(() => page.locator('button[data-action="start-upgrade"]').click());
    const row = `tr[data-job^="${short}"]`;
    // The register restarts into its new image: the job waits for it, and says so in Chinese.
    const waiting = page.locator(`${row} .warn`);
    await waiting.waitFor({ timeout: 90_000 });
    expect(await waiting.textContent()).toBe('等待中：收款机正在重启，等待其重新连接');
    expect(await page.locator(`${row} td.state-waiting`).textContent()).toBe('等待中');
    await shot('06-upgrade-waiting');
    await page.locator(`${row} td.state-succeeded`).waitFor({ timeout: 90_000 });
    expect(await page.locator(`${row} .result`).textContent()).toContain(`升级完成：${newDeviceFirmware} → 9.1.0`);
    await expect.poll(async () => page.locator('.device-page dl').first().textContent(), { timeout: 20_000 }).toContain('9.1.0');
    expect(await englishOnPage()).toEqual([]);
    // Now the same package is a reinstall: refused until asked for.
    await page.locator('button[data-action="upgrade"]').click();
    await rule.waitFor();
    expect(await rule.textContent()).toMatch(/^版本规则：不允许：收款机已运行版本 9\.1\.0/);
    expect(await page.locator('button[data-action="start-upgrade"]').isDisabled()).toBe(true);
    await shot('07-upgraded');
  }, 240_000);

  it('backs up with the bar reaching 100 %, distributes a roll, deregisters and shows the printable record', async () => {
    const short = await runJob('backup');
    expect(await page.locator(`tr[data-job^="${short}"] progress`).getAttribute('value')).toBe('100');
    await page.locator('#backups tbody tr').first().waitFor();
    await shot('08-backup');
    const roll = await runJob('roll');
    expect(await page.locator(`tr[data-job^="${roll}"] .result`).textContent()).toContain('发票卷已分发');
    await shot('09-roll');
    // A registration change: chosen field and new value, confirmed, and its result said as before and after.
    await page.locator('button[data-action="change"]').click();
    await page.locator('#change-field').selectOption('address');
    await page.locator('#change-value').fill('深圳市南山区科技园一路一号');
    const change = await startedJob(() => page.locator('#change-form button[type="submit"]').click());
    const changed = page.locator(`tr[data-job^="${change}"] .result`);
    await changed.waitFor({ timeout: 30_000 });
    expect(await changed.textContent()).toContain('地址登记为“深圳市南山区科技园一路一号”');
    await runJob('deregister');
    const record = page.locator('#printable pre').first();
    await record.waitFor();
    expect(await record.textContent()).toContain('注销');
    // The record's times are the register's local time, not the gateway's UTC instants.
    expect(await record.textContent()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(await englishOnPage()).toEqual([]);
    // What cannot act now says why instead of failing.
    expect(await page.locator('button[data-action="roll"]').isDisabled()).toBe(true);
    expect(await page.locator('button[data-action="roll"] + .why').textContent()).toBe('设备已注销');
    await shot('10-deregistered');
  }, 120_000);

  it('a busy register says why on its buttons, and its job is cancelled from the console', async () => {
    await page.goto(`${daemon.url}/#device/${encodeURIComponent(initializedDevice)}`);
    await page.locator('h2', { hasText: initializedDevice }).waitFor();
    // This register holds a year of history: its backup runs long enough to be seen busy and cancelled.
    await page.locator('button[data-action="backup"]').click();
    const why = page.locator('#why-all');
    await why.waitFor({ timeout: 20_000 });
    expect(await why.textContent()).toMatch(/^设备正忙：正在执行任务 [0-9a-f]{8}（备份）$/);
    expect(await page.locator('button[data-action="diagnose"]').isDisabled()).toBe(true);
    await shot('11-busy');
    const running = page.locator('tr[data-job]', { has: page.locator('td.state-running') }).first();
    await running.waitFor();
    await running.locator('button').click();
    await page.locator('tr[data-job] td.state-cancelled').first().waitFor({ timeout: 30_000 });
  });

  it('refuses an uploaded file that is no firmware package, saying why in Chinese', async () => {
    await page.goto(`${daemon.url}/#`);
    await page.locator('#package-file').setInputFiles({ name: 'junk.fwpkg', mimeType: 'application/octet-stream', buffer: Buffer.from('not a package') });
    const before = await page.locator('#status').textContent();
    await page.locator('#package-upload').click();
    await expect.poll(async () => page.locator('#status').textContent()).not.toBe(before);
    expect(await page.locator('#status').getAttribute('class')).toBe('bad');
    expect(await page.locator('#status').textContent()).toMatch(/[\u4e00-\u9fff]/);
    // Only the package uploaded for the upgrade is kept; the junk is not.
    expect(await page.locator('#packages tbody tr').count()).toBe(1);
    await shot('12-package-refused');
  });

  it('switches to English', async () => {
    await page.locator('#language').click();
    expect(await page.locator('h1').textContent()).toBe('Fiscal gateway console');
    await page.goto(`${daemon.url}/#`);
    await page.locator('#devices tbody tr').first().waitFor();
    expect(await page.locator('#devices thead').textContent()).toContain('Machine no.');
    await shot('13-english');
  });

  it('a page of another loopback origin can neither read /v1/devices nor start a job, though the browser holds the session', async () => {
    const port = await freePort();
    const target = `${daemon.url}/v1/devices/${encodeURIComponent(initializedDevice)}/diagnostics`;
    const html = `<!doctype html><script>
      const results = {};
      const attempt = async (name, run) => { try { const r = await run(); results[name] = 'status ' + r.status + ' ' + (r.type === 'opaque' ? 'opaque' : await r.text()); } catch (e) { results[name] = 'blocked'; } };
      (async () => {
        await attempt('read', () => fetch(${JSON.stringify(`${daemon.url}/v1/devices`)}, { credentials: 'include' }));
        await attempt('post', () => fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-operator': 'evil' }, body: '{}' }));
        await attempt('simplePost', () => fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' }));
        window.done = results;
      })();
    </script>`;
    foreign = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
    await new Promise<void>((done) => foreign!.listen(port, '127.0.0.1', done));
    const before = (await api<{ jobs: unknown[] }>('/v1/jobs?limit=100')).jobs.length;
    await page.goto(`http://127.0.0.1:${port}/`);
    // Runs in the page: globalThis is its window.
    const handle = await page.waitForFunction(() => (globalThis as unknown as { done?: Record<string, string> }).done);
    const results = (await handle.jsonValue())!;
    expect(results.read).toBe('blocked');
    expect(results.post).toBe('blocked');
    expect(results.simplePost).toBe('status 0 opaque');
    expect((await api<{ jobs: unknown[] }>('/v1/jobs?limit=100')).jobs.length).toBe(before);
    // The same session still works from the console's own origin: the cookie was there, the origin was refused.
    expect((await context.request.get(`${daemon.url}/v1/devices`)).status()).toBe(200);
  });
});
