import type { RegisterSession } from '../../devices/RegisterSession.js';

/** The GB-link commands a roll distribution uses (a RegisterSession is one); 31 goes through `execute` (distributeRoll.ts says why). */
export type RollRegister = Pick<
  RegisterSession, 'factoryData' | 'status' | 'userInfo' | 'distributedRolls' | 'execute' | 'inputInvoiceNumbers' | 'cardChannel'
>;
