import { z } from 'zod';

/**
 * The checks of the dry run, in the order of GB18240.md "Flows" (initialization step 1: fiscal card EF02
 * type and registration, then user card EF02 type; steps 2–5), then the register's own.
 */
export const checkIds = [
  'fiscal-card-type',
  'fiscal-card-not-registered',
  'user-card-type',
  'machine-number',
  'taxpayer',
  'user-card-lists-machine',
  'fiscal-card-validity',
  'user-card-validity',
  'issue-deadline',
  'tax-items',
  'limits',
  'register-not-initialized',
  'fiscal-slot',
  'register-clock',
  'pin-tries',
] as const;
export type CheckId = (typeof checkIds)[number];

const texts = z.object({ 'zh-CN': z.string(), en: z.string() });

export const initializationCheckSchema = z.object({
  id: z.enum(checkIds),
  /** What is checked, in both languages. */
  title: texts,
  passed: z.boolean(),
  /** Not evaluated because what it needs could not be read (a failed check names why). */
  skipped: z.boolean(),
  /** The stable error code of this check when it failed, else null. */
  code: z.string().nullable(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  /** The outcome for people: the error's text when failed, a note when passed or skipped. */
  message: texts,
  remedy: texts.optional(),
});
export type InitializationCheck = z.infer<typeof initializationCheckSchema>;

export const checkTitles: Readonly<Record<CheckId, { 'zh-CN': string; en: string }>> = {
  'fiscal-card-type': { 'zh-CN': '税控卡类型', en: 'Fiscal card type' },
  'fiscal-card-not-registered': { 'zh-CN': '税控卡尚未注册', en: 'Fiscal card not yet registered' },
  'user-card-type': { 'zh-CN': '用户卡类型', en: 'User card type' },
  'machine-number': { 'zh-CN': '机器编号一致（税控卡 EF02 与收款机 37）', en: 'Machine number matches (fiscal card EF02 vs register 37)' },
  taxpayer: { 'zh-CN': '纳税人一致（用户卡与税控卡）', en: 'Same taxpayer on user card and fiscal card' },
  'user-card-lists-machine': { 'zh-CN': '用户卡登记了本机和本税控卡（EF06）', en: 'User card lists this machine and fiscal card (EF06)' },
  'fiscal-card-validity': { 'zh-CN': '税控卡在有效期内', en: 'Fiscal card within its validity' },
  'user-card-validity': { 'zh-CN': '用户卡在有效期内', en: 'User card within its validity' },
  'issue-deadline': { 'zh-CN': '今天 ≤ 开票截止日期 ≤ 有效期', en: 'Today ≤ issue deadline ≤ valid-until' },
  'tax-items': { 'zh-CN': '税种税目齐全（用户卡 EF03）', en: 'Tax items present (user card EF03)' },
  limits: { 'zh-CN': '本税控卡的监控数据（用户卡 EF01）', en: 'Limits for this fiscal card (user card EF01)' },
  'register-not-initialized': { 'zh-CN': '收款机尚未初始化（41）', en: 'Register not yet initialized (41)' },
  'fiscal-slot': { 'zh-CN': '收款机税控卡槽有卡（41）', en: 'Card in the register\'s fiscal slot (41)' },
  'register-clock': { 'zh-CN': '收款机时钟准确（3A）', en: 'Register clock within tolerance (3A)' },
  'pin-tries': { 'zh-CN': '税控卡口令次数', en: 'Fiscal card PIN tries' },
};
