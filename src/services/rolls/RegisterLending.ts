import type { RegisterSession } from '../../devices/RegisterSession.js';

/**
 * Lends a register's session for the length of one operation (the device registry's `withSession`
 * satisfies it as is; tests lend a session over a simulator).
 */
export interface RegisterLending {
  withSession<T>(deviceId: string, work: (session: RegisterSession) => Promise<T>): Promise<T>;
}
