import { decodeLayout } from '../../../protocols/gb18240-card/Layout.js';
import { fiscalEf01Layout } from '../../../protocols/gb18240-card/fiscalFiles.js';
import { DECLARATION_FLAG_PENDING, userEf01RecordLayout, userEf04RecordLayout } from '../../../protocols/gb18240-card/userFiles.js';
import { handlerFor } from '../../../fixtures/simulator/CommandHandler.js';
import { RegisterCardReader } from '../../../fixtures/simulator/RegisterCardReader.js';
import { ErCode, RegisterRefusal } from '../../../fixtures/simulator/RegisterRefusal.js';
import { controlWriteBack } from '../../../src/services/changes/controlWriteBack.js';

function readRecords(reader: RegisterCardReader, ef: number, size: number): Uint8Array[] {
  const select = reader.exchange('user', Uint8Array.of(0x00, 0xa4, 0x00, 0x00, 0x02, 0xef, ef));
  if (select.sw !== 0x9000) throw new RegisterRefusal(ErCode.userCardRead, `EF${ef} not found`);
  const records: Uint8Array[] = [];
  for (let record = 1; record <= 16; record += 1) {
    const answer = reader.exchange('user', Uint8Array.of(0x00, 0xb2, record, 0x04, size));
    if (answer.sw === 0x6a83) break;
    if (answer.sw !== 0x9000) throw reader.refusalFor('user', answer.sw, `READ RECORD EF${ef}`);
    records.push(answer.data);
  }
  return records;
}

const compact = (date: string) => date.replaceAll('-', '');

/**
 * GB link 40 as a register does it (src/services/changes/controlWriteBack.ts): user EF04 and EF01 checked,
 * VERIFY_FISCAL_PIN with the PIN it holds (the next one stored), UPDATE_CONTROLS with the EF01 record,
 * fiscal EF01 re-read, new limits kept and the declared flag cleared in fiscal memory.
 */
export const controlWriteBackHandler = handlerFor(controlWriteBack, async (context) => {
  const { memory, state } = context;
  const fiscalCardNumber = memory.requireInitialized().fiscalCardNumber;
  if (!state.fiscal.declaredFlag) throw new RegisterRefusal(ErCode.declarationFailed, 'no declaration awaits a control update');
  const reader = new RegisterCardReader(context.slots);
  reader.selectApplication('user', 'TID01');
  const declarations = readRecords(reader, 0x04, userEf04RecordLayout.size).map((bytes) => decodeLayout(userEf04RecordLayout, bytes));
  if (declarations.some((d) => d.flag === DECLARATION_FLAG_PENDING && d.fiscalCardNumber === fiscalCardNumber)) {
    throw new RegisterRefusal(ErCode.unfinishedDeclaration, 'the user card still holds the declaration');
  }
  const record = readRecords(reader, 0x01, userEf01RecordLayout.size).find((bytes) => decodeLayout(userEf01RecordLayout, bytes).fiscalCardNumber === fiscalCardNumber);
  if (record === undefined) throw new RegisterRefusal(ErCode.userCardLacksFiscalCard, 'no control record for this fiscal card');
  reader.selectApplication('fiscal', 'TSAM01');
  const pin = Buffer.from(state.fiscal.pin!.current, 'hex');
  const next = reader.expectOk('fiscal', Uint8Array.from([0xc0, 0xf9, 0x00, 0x00, 0x08, ...pin, 0x08]), 'VERIFY_FISCAL_PIN');
  memory.setPin(Buffer.from(next).toString('hex'));
  const body = record.subarray(8, 37);
  reader.expectOk('fiscal', Uint8Array.from([0xc0, 0xf6, 0x00, 0x00, body.length, ...body]), 'UPDATE_CONTROLS');
  const monitoring = decodeLayout(fiscalEf01Layout, reader.readFile('fiscal', 0x01, fiscalEf01Layout.size));
  const limits = {
    issueDeadline: monitoring.issueDeadline, singleInvoiceLimit: monitoring.singleInvoiceLimit,
    cumulativeLimit: monitoring.cumulativeLimit, returnLimit: monitoring.returnLimit,
  };
  await context.flashWrite('fiscal-write', (cut) => {
    if (cut === undefined) memory.updateControls({ ...limits, issueDeadline: compact(limits.issueDeadline) });
  });
  return { ...limits, taxIndex: [...monitoring.taxIndex] };
});
