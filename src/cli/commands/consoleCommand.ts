import { spawn } from 'node:child_process';
import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';

/**
 * `fiscalctl console`: asks fiscald (with the token this user can read) for a one-time login link to the web
 * console, valid two minutes, and opens it in the desktop's browser (xdg-open) unless --no-open. The link holds
 * no token: spending it sets the console's HttpOnly session cookie, and a second visit is refused.
 */
export const consoleCommand: Command = {
  name: 'console', summary: 'Open the web console in the browser (one-time login link)', usage: 'console [--no-open]',
  summaryZh: '在浏览器中打开网页控制台（一次性登录链接）',
  help: 'The link works once, for two minutes, and only on this PC. --no-open prints it without opening a browser.',
  helpZh: '该链接只能使用一次，两分钟内有效，且只能在本机打开。--no-open 只显示链接，不打开浏览器。',
  positionals: [],
  options: { 'no-open': { type: 'boolean' } },
  async run(ctx) {
    const { path, expiresAt } = await ctx.client.post<{ path: string; expiresAt: string }>('/console/login-links');
    const url = new URL(path, ctx.client.url).toString();
    const open = ctx.options['no-open'] !== true && Boolean(ctx.io.env.DISPLAY || ctx.io.env.WAYLAND_DISPLAY);
    if (open) {
      const child = spawn('xdg-open', [url], { detached: true, stdio: 'ignore' });
      child.on('error', () => undefined);
      child.unref();
    }
    if (ctx.json) {
      ctx.printJson({ url, expiresAt, opened: open });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    ctx.print(zh
      ? `${open ? '已在浏览器中打开控制台。' : '请在本机浏览器中打开：'}\n${url}\n（只能使用一次，两分钟内有效）\n`
      : `${open ? 'Opened the console in the browser.' : 'Open this in a browser on this PC:'}\n${url}\n(works once, for two minutes)\n`);
    return ExitCode.ok;
  },
};
