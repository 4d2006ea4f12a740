import type { RegisterSession } from '../../devices/RegisterSession.js';

/** The GB-link commands a deregistration uses: reads, and 5A to power the fiscal card off (a RegisterSession is one). */
export type DeregisterRegister = Pick<
  RegisterSession, 'factoryData' | 'status' | 'userInfo' | 'recordCounts' | 'declarations' | 'invoicesByIndex' | 'cardChannel' | 'cardPowerOff'
>;
