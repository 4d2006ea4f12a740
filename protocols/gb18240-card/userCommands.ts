import {
  declarationBlockLayout, declarationResultLayout, invoiceRollLayout, NUMBER_BYTES, registerChallengeLayout,
  type DeclarationBlock, type DeclarationResult, type InvoiceRoll, type RegisterChallenge,
} from './blocks.js';
import { defineCommand, noData } from './CardCommand.js';
import { mac2Layout, type Mac2 } from './fiscalCommands.js';
import type { Layout } from './Layout.js';

/** The user card (用户卡) commands of GB18240.2 a gateway sends, CLA C0. */

export const registerSign = defineCommand<RegisterChallenge, Mac2>({
  name: 'REGISTER_SIGN', card: 'user', ins: 0xe4, request: registerChallengeLayout, response: mac2Layout,
});

export interface DataCollectRequest {
  readonly fiscalCardNumber: string;
  readonly declaration: DeclarationBlock;
  readonly result: DeclarationResult;
}

const dataCollectRequestLayout: Layout<DataCollectRequest> = {
  name: 'DataCollectRequest',
  size: NUMBER_BYTES + declarationBlockLayout.size + declarationResultLayout.size,
  write(w, v) {
    w.bcd(v.fiscalCardNumber, NUMBER_BYTES, 'fiscalCardNumber');
    declarationBlockLayout.write(w, v.declaration);
    declarationResultLayout.write(w, v.result);
  },
  read(r) {
    return {
      fiscalCardNumber: r.bcd(NUMBER_BYTES, 'fiscalCardNumber'),
      declaration: declarationBlockLayout.read(r),
      result: declarationResultLayout.read(r),
    };
  },
};

export const dataCollect = defineCommand<DataCollectRequest, void>({
  name: 'DATA_COLLECT', card: 'user', ins: 0xe6, request: dataCollectRequestLayout, requestXor: true, response: noData,
});

export const distributeInvoiceNb = defineCommand<void, InvoiceRoll>({
  name: 'DISTRIBUTE_INVOICE_NB', card: 'user', ins: 0xe9, request: noData, response: invoiceRollLayout,
});

export const userCommands = { registerSign, dataCollect, distributeInvoiceNb } as const;
