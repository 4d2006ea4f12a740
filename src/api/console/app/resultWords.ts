import { currentLanguage, named, t, type TextKey } from './catalogue.js';

const fieldKeys: Record<string, TextKey> = {
  taxpayerName: 'taxpayerName', address: 'address', phone: 'phone', contact: 'contact', taxpayerId: 'taxpayerIdField',
  legalRepresentative: 'legalRepresentative', location: 'location', installer: 'installer', declarationMode: 'declarationMode',
};

function fieldName(key: string): string {
  return fieldKeys[key] ? t(fieldKeys[key]) : currentLanguage() === 'zh-CN' ? t('otherField') : key;
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return t('none');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The fields of a change's before/after, one level down where the API groups them (register, recorded, fiscalCard). */
function flatten(side: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(side)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(fields, value);
    else fields[key] = value;
  }
  return fields;
}

/** Before and after in words: one line per field that differs; a field only recorded (no before) says what it was set to. */
export function differences(beforeSide: Record<string, unknown>, afterSide: Record<string, unknown>): string[] {
  const before = flatten(beforeSide);
  const after = flatten(afterSide);
  return Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => (key in before
      ? t('changeDiff', { field: fieldName(key), before: shown(before[key]), after: shown(after[key]) })
      : t('changeSet', { field: fieldName(key), after: shown(after[key]) })));
}

/** A finished job's result for people, by kind (raw JSON never shows). */
export function resultInWords(kind: string, result: Record<string, unknown>): string[] {
  if (kind === 'backup' && typeof result.backupId === 'string') {
    return [t('backupDone', { id: result.backupId.slice(0, 12) }), t('problemCount', { n: Number(result.problemCount ?? 0) })];
  }
  if (kind === 'upgrade' && typeof result.after === 'string' && typeof result.before === 'string') {
    const lines = [t('upgradeDone', { kind: named('install', String(result.kind ?? 'upgrade')), from: result.before, to: result.after })];
    if (typeof result.backupId === 'string') lines.push(t('upgradeBackup', { id: result.backupId.slice(0, 12) }));
    return lines;
  }
  if (kind === 'roll' && result.roll && typeof result.roll === 'object') {
    const roll = result.roll as { invoiceCode: string; start: number; end: number; numbers: number };
    const lines = [t('rollDone'), t('rollRange', { code: roll.invoiceCode, start: roll.start, end: roll.end, n: roll.numbers })];
    if (typeof result.rollsLeftOnUserCard === 'number') lines.push(t('rollsLeft', { n: result.rollsLeftOnUserCard }));
    return lines;
  }
  if (kind === 'registration-change' && result.before && result.after) {
    const lines = differences(result.before as Record<string, unknown>, result.after as Record<string, unknown>);
    return lines.length ? lines : [t('nothingChanged')];
  }
  if (kind === 'restore' && Array.isArray(result.steps)) {
    const lines = [t(result.dryRun ? 'restorePlanned' : 'restoreApplied', { from: String(result.fromMachine), to: String(result.toMachine), n: result.steps.length })];
    for (const step of result.steps as { from: Record<string, unknown>; to: Record<string, unknown> }[]) lines.push(...differences(step.from ?? {}, step.to ?? {}));
    const notRestored = (result.notRestored ?? []) as { what: string; reason: string }[];
    if (notRestored.length) lines.push(t('notRestored', { n: notRestored.length }));
    if (currentLanguage() === 'en') for (const item of notRestored) lines.push(`${item.what}: ${item.reason}`);
    return lines;
  }
  return [];
}
