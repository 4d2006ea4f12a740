import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
/** A name the register stores in 40 GBK bytes: at most 20 Chinese characters. */
const taxpayerName = text(20);
const taxpayerId = z.string().regex(/^[0-9A-Z]{15,20}$/, '15 to 20 digits or capital letters');
const fen = z.number().int().min(0).max(0xffffffff);
const note = text(500).optional();

/** 基本信息变更: what the register keeps (name, declaration mode via GB link 62) and what only the record keeps. */
export const basicInfoChange = z.strictObject({
  kind: z.literal('basic-info'),
  taxpayerName: taxpayerName.optional(),
  /** Given only to confirm it: a different one is refused (deregister and initialize again). */
  taxpayerId: taxpayerId.optional(),
  declarationMode: z.number().int().min(0).max(255).optional(),
  address: text(100).optional(),
  phone: text(30).optional(),
  contact: text(40).optional(),
  legalRepresentative: text(40).optional(),
  note,
}).refine((v) => Object.keys(v).some((key) => key !== 'kind' && key !== 'taxpayerId' && key !== 'note'), 'name at least one field to change');

/** 安装信息变更: where the register stands and who installed it; kept in the service record only. */
export const installationInfoChange = z.strictObject({
  kind: z.literal('installation-info'),
  location: text(100),
  installer: text(60),
  installedOn: z.iso.date().optional(),
  note,
});

/** 发票审批信息变更: invoice types and limits the tax office approved; limits reach the fiscal card by a control update. */
export const invoiceApprovalChange = z.strictObject({
  kind: z.literal('invoice-approval'),
  approvalNumber: text(40),
  invoiceTypes: z.array(text(40)).min(1).max(10),
  singleInvoiceLimit: fen.optional(),
  cumulativeLimit: fen.optional(),
  returnLimit: fen.optional(),
  note,
});

/** 监控信息变更: the control update after declaration and tax payment (GB link 40). */
export const monitoringDataChange = z.strictObject({
  kind: z.literal('monitoring-data'),
  /** Let the register's PIN check run on the fiscal card's last try. */
  allowLastPinTry: z.boolean().default(false),
  note,
});

/** 税务登记号变更: a new registration certificate and, with it, possibly a new competent tax office (GB link 62). */
export const taxRegistrationChange = z.strictObject({
  kind: z.literal('tax-registration'),
  taxRegistrationNumber: text(40),
  officeCode: z.number().int().min(0).max(0xffffffff).optional(),
  /** Given only to confirm it: a different one is refused (deregister and initialize again). */
  taxpayerId: taxpayerId.optional(),
  note,
});

/** `POST /v1/devices/{id}/changes`: one registration change (税控装置变更), by kind. */
export const changeRequestSchema = z.discriminatedUnion('kind', [
  basicInfoChange, installationInfoChange, invoiceApprovalChange, monitoringDataChange, taxRegistrationChange,
]);
export type ChangeRequest = z.output<typeof changeRequestSchema>;
export type ChangeKind = ChangeRequest['kind'];
export const changeKinds = ['basic-info', 'installation-info', 'invoice-approval', 'monitoring-data', 'tax-registration'] as const;
