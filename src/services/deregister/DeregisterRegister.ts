import type { RegisterSession } from '../../devices/RegisterSession.js';

/**
 * The GB-link commands a deregistration uses: reads (72 only when 70 lists it), and 5A to power the fiscal card off
 * (a RegisterSession is one).
 */
export type DeregisterRegister = Pick<
  RegisterSession, 'factoryData' | 'status' | 'userInfo' | 'extensions' | 'recordCounts' | 'declarations' | 'invoicesByIndex' | 'cardChannel' | 'cardPowerOff'
>;
