import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import type { RegisterIdentity } from '../Device.js';

/** What the registry needs of a session over one transport: nothing but to end it. */
export interface ClosableSession {
  close(): Promise<void>;
}

/**
 * How the registry talks to a register without knowing the protocol: build a session over an open
 * transport, and ask it who it is (GB link 00 connect, then 37 factory data).
 */
export interface RegisterLink<S extends ClosableSession> {
  createSession(transport: ByteTransport): S;
  /**
   * Who answers: at connection, and as the heartbeat of an idle register (a serial line whose far end
   * went quiet, or got another register, never closes by itself).
   */
  identify(session: S): Promise<RegisterIdentity>;
}
