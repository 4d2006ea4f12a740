import type { RegisterSession } from '../../devices/RegisterSession.js';

/** The GB-link commands a roll distribution uses (a RegisterSession is one). */
export type RollRegister = Pick<
  RegisterSession, 'factoryData' | 'status' | 'userInfo' | 'distributedRolls' | 'distributeInvoiceNumbers' | 'inputInvoiceNumbers' | 'cardChannel'
>;
