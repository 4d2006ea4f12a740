import type { Logger } from 'pino';
import { isGatewayError } from '../../contracts/errors/index.js';
import { CMD } from '../../protocols/gb-link/index.js';
import type { RegisterSession } from './RegisterSession.js';
import { silentLogger } from '../log.js';

/** The fastest rate the register offers up to `ceiling`, when faster than `current`. */
export function bulkRate(offered: readonly number[], current: number, ceiling = 921_600): number | undefined {
  const best = Math.max(0, ...offered.filter((rate) => rate <= ceiling));
  return best > current ? best : undefined;
}

/**
 * Runs `work` with a serial line at the fastest rate both ends support (GB link 70 capabilities, 71 switch
 * baud; SPEC.md §5.9), then brings the line back to the rate it had, so the register is found where the
 * registry expects it. A register without 70/71 (public firmware), or a line that is not serial, runs
 * `work` at the rate it has. A failed switch is logged and the work goes on at whatever rate answers.
 * Only a transport with the line-rate capability (ByteTransport.lineRate) is switched.
 */
export async function withBulkBaud<T>(session: RegisterSession, work: () => Promise<T>, log: Logger = silentLogger): Promise<T> {
  const line = session.transport.lineRate;
  if (line === undefined) return work();
  const current = line.baudRate;
  let target: number | undefined;
  try {
    const capabilities = await session.capabilities();
    if (capabilities.commands.includes(CMD.SWITCH_BAUD)) target = bulkRate(capabilities.baudRates, current);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
  }
  if (target === undefined) return work();
  const apply = (baud: number) => line.setBaudRate(baud);
  let reached = current;
  try {
    reached = await session.switchBaud(target, current, apply);
    log.info({ from: current, to: reached }, 'bulk transfer rate');
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    log.warn({ err: error, from: current, to: target }, 'could not switch to the bulk rate; going on at the current one');
    reached = line.baudRate;
  }
  try {
    return await work();
  } finally {
    if (reached !== current) {
      await session.switchBaud(current, reached, apply).then(
        (rate) => log.info({ rate }, 'line back at its rate'),
        (error: unknown) => log.warn({ err: error, wanted: current }, 'could not bring the line back to its rate'),
      );
    }
  }
}
