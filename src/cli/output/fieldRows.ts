import { fieldLabel, fieldValue } from './fieldLabels.js';

/** A leaf value as one line of text. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) return value.map(String).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Every leaf of a nested value as `path: value` (`register.taxpayerName`), so people read fields, not JSON. */
export function fieldRows(value: unknown, prefix = ''): [string, string][] {
  const isBranch = value !== null && typeof value === 'object' && !(Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object'));
  if (!isBranch) return prefix === '' ? [['', text(value)]] : [[prefix, text(value)]];
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [[prefix, '-']];
  return entries.flatMap(([name, inner]) => fieldRows(inner, prefix === '' ? name : `${prefix}.${name}`));
}

/** Before/after of a change side by side, one row per field that either side has, named and valued for people. */
export function changeRows(before: unknown, after: unknown, language: 'zh-CN' | 'en' = 'en'): [string, string, string][] {
  const was = new Map(fieldRows(before));
  const now = new Map(fieldRows(after));
  const fields = [...new Set([...was.keys(), ...now.keys()])];
  const value = (field: string, text: string | undefined) => (text === undefined ? '-' : fieldValue(field, text, language));
  return fields.map((field) => [fieldLabel(field, language) || '-', value(field, was.get(field)), value(field, now.get(field))]);
}
