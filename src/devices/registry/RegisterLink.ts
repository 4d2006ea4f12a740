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
  identify(session: S): Promise<RegisterIdentity>;
  /**
   * A cheap question that proves the register still answers (00 connect). A serial line whose far end
   * went quiet never closes by itself: without it a dead register would look online until a job failed.
   */
  probe?(session: S): Promise<void>;
}
