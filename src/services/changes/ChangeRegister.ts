import type { RegisterSession } from '../../devices/RegisterSession.js';

/** The GB-link commands a registration change uses (a RegisterSession is one). */
export type ChangeRegister = Pick<
  RegisterSession, 'factoryData' | 'status' | 'userInfo' | 'updateTaxpayer' | 'controlWriteBack' | 'execute' | 'cardChannel'
>;
