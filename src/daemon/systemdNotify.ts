import { execFile } from 'node:child_process';
import type { Logger } from 'pino';

export type NotifyRunner = (file: string, args: readonly string[]) => Promise<void>;

const runNotify: NotifyRunner = (file, args) => new Promise((resolve, reject) => {
  execFile(file, [...args], { timeout: 5000 }, (error) => (error ? reject(error) : resolve()));
});

/**
 * Tells systemd (Type=notify) that fiscald is ready: the API answers. Node has no unix datagram socket to write
 * NOTIFY_SOCKET itself, so `systemd-notify --ready` does it as a child process; the unit's NotifyAccess=all lets systemd
 * take the message from that child (it carries MAINPID so systemd knows whose readiness it is). Without
 * NOTIFY_SOCKET (not started by systemd, or Type=simple) nothing is run. A failure is logged, never fatal: systemd's
 * TimeoutStartSec then says what went wrong.
 */
export async function notifySystemdReady(env: NodeJS.ProcessEnv, log: Pick<Logger, 'info' | 'warn'>, run: NotifyRunner = runNotify): Promise<boolean> {
  if (!env.NOTIFY_SOCKET) return false;
  const args = ['--ready', `--pid=${process.pid}`, '--status=API listening'];
  try {
    await run('systemd-notify', args);
    log.info({ notifySocket: env.NOTIFY_SOCKET }, 'told systemd fiscald is ready');
    return true;
  } catch (error) {
    log.warn({ err: error }, 'could not tell systemd fiscald is ready (systemd-notify)');
    return false;
  }
}
