import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { CMD } from '../../../protocols/gb-link/index.js';
import { COMMAND_HEADER, CRC_SIZE } from '../../../protocols/gb-link/frame.js';
import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, registerInstant } from '../../../protocols/gb-link/registerTimeZone.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import type { CardChannel } from '../../../contracts/CardChannel.js';
import type { CardFacts, DiagnosticsPort, LinkBurst } from './DiagnosticsPort.js';

/** Reads a card without spending a PIN try (the wiring gives services/cards readCard). */
export type CardReader = (channel: CardChannel) => Promise<CardFacts>;

function rejectIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof GatewayError ? signal.reason : new GatewayError('CANCELLED');
}

/** Short enough that a register that does not answer at all is reported within a few seconds (each 00 is tried up to 4 times). */
const BURST_REPLY_TIMEOUT_MS = 400;

/** A 00 command frame: header and CRC, no parameters. */
const CONNECT_FRAME_BYTES = COMMAND_HEADER + CRC_SIZE;

const absentCard = new Set(['CARD_ABSENT', 'LINK_FISCAL_CARD_ABSENT', 'LINK_USER_CARD_ABSENT']);

/**
 * The diagnostics view of a lent register over its current session: 00 burst, 37, 38, 41, 3A, 5C–61, 64/03
 * when 70 lists 64, and, given `readCard`, the cards in its slots through 59/5B with reads only.
 * The clock carries no zone on the wire; it is read in the register time zone setting (SPEC.md §4.1, UTC+8 by
 * default), so a register keeping the configured zone shows its true skew, not the zones' difference.
 */
export function deviceDiagnostics(device: BorrowedDevice, utcOffsetMinutes = DEFAULT_REGISTER_UTC_OFFSET_MINUTES, readCard?: CardReader): DiagnosticsPort {
  const session = () => device.session;
  const card: DiagnosticsPort['card'] = readCard === undefined ? undefined : async (slot, signal) => {
    rejectIfAborted(signal);
    try {
      return await readCard(device.slot(slot));
    } catch (error) {
      if (isGatewayError(error) && absentCard.has(error.code)) return null;
      throw error;
    }
  };
  return {
    card,
    get machineNumber() { return device.identity.machineNumber; },
    get mode() { return device.identity.mode ?? 'application'; },
    async linkBurst(count, signal): Promise<LinkBurst> {
      const roundTripsMs: number[] = [];
      const outBefore = session().traffic.bytesOut;
      let failure: LinkBurst['failure'];
      let sent = 0;
      while (sent < count && failure === undefined) {
        rejectIfAborted(signal);
        sent += 1;
        const started = performance.now();
        try {
          await session().connect({ replyTimeoutMs: BURST_REPLY_TIMEOUT_MS });
          roundTripsMs.push(Math.round((performance.now() - started) * 10) / 10);
        } catch (error) {
          if (isGatewayError(error, 'CANCELLED')) throw error;
          const gateway = isGatewayError(error) ? error : new GatewayError('INTERNAL', { params: { detail: String(error) } });
          failure = { code: gateway.code, message: { zh: gateway.localized('zh-CN'), en: gateway.localized('en') } };
        }
      }
      // Every byte beyond one 00 frame per connect was a re-send (the session's retry after a bad or missing reply).
      const resentBytes = Math.max(0, session().traffic.bytesOut - outBefore - sent * CONNECT_FRAME_BYTES);
      return { sent, answered: roundTripsMs.length, roundTripsMs, resentBytes, failure };
    },
    async factoryData(signal) {
      rejectIfAborted(signal);
      return session().factoryData();
    },
    async userInfo(signal) {
      rejectIfAborted(signal);
      try {
        return await session().userInfo();
      } catch (error) {
        if (isGatewayError(error, 'LINK_NOT_INITIALIZED')) return null;
        throw error;
      }
    },
    async firmwareTransfer(signal) {
      rejectIfAborted(signal);
      const offered = await session().extensions();
      return offered.offers(CMD.FIRMWARE) ? session().firmwareQuery() : null;
    },
    async selfCheck(name, signal) {
      rejectIfAborted(signal);
      const result = await session().selfCheck(name);
      return result.result === 0
        ? { passed: true }
        : { passed: false, code: `0x${result.result.toString(16).padStart(2, '0')}`, detail: result.detail };
    },
    async status(signal) {
      rejectIfAborted(signal);
      const status = await session().status();
      return {
        initialized: status.initialized,
        fiscalCardPresent: status.fiscalSlot !== 'empty',
        userCardPresent: status.userSlot !== 'empty',
        locks: status.locks,
        awaitingControlUpdate: status.awaitingControlUpdate,
        detail: status,
        raw: status as unknown as Record<string, unknown>,
      };
    },
    async clock(signal) {
      rejectIfAborted(signal);
      const text = await session().dateTime();
      return registerInstant(text, utcOffsetMinutes);
    },
  };
}
