import { execFile } from 'node:child_process';
import type { Logger } from 'pino';

export type NotifyRunner = (file: string, args: readonly string[]) => Promise<void>;

/** Longer than systemd-notify's own wait for PID 1 to have processed the message (its barrier times out after 5 s). */
const NOTIFY_TIMEOUT_MS = 10_000;

const runNotify: NotifyRunner = (file, args) => new Promise((resolve, reject) => {
  execFile(file, [...args], { timeout: NOTIFY_TIMEOUT_MS }, (error) => (error ? reject(error) : resolve()));
});

/**
 * Tells systemd (Type=notify) that fiscald is ready: the API answers. Node has no unix datagram socket to write
 * NOTIFY_SOCKET itself, so `systemd-notify --ready` does it as a child process; the unit's NotifyAccess=all lets systemd
 * take the message from that child (it carries MAINPID so systemd knows whose readiness it is). Without
 * NOTIFY_SOCKET (not started by systemd, or Type=simple) nothing is run. A failure is logged, never fatal: systemd's
 * TimeoutStartSec then says what went wrong.
 *
 * The race of NotifyAccess=all (systemd-notify(1)): PID 1 attributes a message to a unit by its sender's cgroup, so a
 * helper that sends and exits at once may be gone before PID 1 reads the message, which is then dropped, and the
 * start times out. systemd-notify (systemd 246 and later; Debian 12 has 252) closes it by waiting, after sending, until
 * PID 1 has processed the message (a notification barrier) before it exits, unless told --no-block. So fiscald never
 * passes --no-block, and waits longer than that barrier does. On an older systemd the race remains: there, use
 * Type=simple (README).
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
