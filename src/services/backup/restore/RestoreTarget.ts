import { isGatewayError } from '../../../../contracts/errors/index.js';
import type { TaxItem, TaxpayerUpdate, UserInfo } from '../../../../protocols/gb-link/index.js';
import type { RegisterSession } from '../../../devices/RegisterSession.js';

/** The replacement register, as a restore sees it: who it is, what it holds, and the one write GB link allows. */
export interface RestoreTarget {
  readonly machineNumber: string;
  /** 38; undefined while the register is not initialized. */
  userInfo(): Promise<UserInfo | undefined>;
  /** 39. */
  taxItems(): Promise<TaxItem[]>;
  /** 62, with the session's in-doubt recovery. */
  updateTaxpayer(update: TaxpayerUpdate): Promise<void>;
}

/** A RestoreTarget over a RegisterSession: 37 for the machine number, then 38, 39 and 62 as asked. */
export async function sessionRestoreTarget(session: RegisterSession): Promise<RestoreTarget> {
  const factory = await session.factoryData();
  return {
    machineNumber: factory.machineNumber,
    async userInfo() {
      try {
        return await session.userInfo();
      } catch (error) {
        if (isGatewayError(error, 'LINK_NOT_INITIALIZED')) return undefined;
        throw error;
      }
    },
    taxItems: () => session.taxItems(),
    updateTaxpayer: (update) => session.updateTaxpayer(update),
  };
}
