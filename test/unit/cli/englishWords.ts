import { commandTable } from '../../../src/cli/commandTable.js';

/**
 * What may stay in ASCII letters in zh output: error codes and placeholders in capitals (DEVICE_NOT_FOUND, ID),
 * options (--yes), $VARIABLES, command and sub-command words, paths and URLs, ids and numbers with letters
 * (hex, machine numbers, job ids), the model names of the simulated registers, and this short list of names and units.
 */
const allowedWords = new Set([
  'fiscalctl', 'fiscald', 'JSON', 'json', 'csv', 'table', 'text', 'html', 'zh', 'en', 'zh_', 'PC', 'SC', 'USB', 'GB', 'SM2', 'sm2', 'ed25519',
  'fwpkg', 'tar', 'pub', 'key', 'bin', 'sig', 'manifest', 'firmware', 'pdf', 'serial', 'usb-stick', 'ic-card', 'xdg-open', 'fiscal', 'user',
  'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'basic-info', 'installation-info', 'invoice-approval', 'monitoring-data',
  'tax-registration', 'keygen', 'build', 'verify', 'inspect', 'upload', 'list', 'delete', 'fault', 'not-initialized', 'repair',
  'fetch', 'add', 'publish', 'rotate-root', 'status', 'timestamp', 'snapshot', 'targets', 'x.y.z', 'SIM-1', 'memory', 'trusted-keys', 'data-dir', 'FISCAL', 'BACKUP', 'sha256', 'Ctrl', 'y', 'c',
]);
const commandWords = new Set(commandTable.map((c) => c.name));

export function englishWords(text: string): string[] {
  const stripped = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|[^\w-])--?[a-z][a-z-]*(=\S*)?/g, '$1 ')
    .replace(/\$[A-Z_]+/g, ' ')
    .replace(/[\w\u4e00-\u9fff-]*\.(json|bin|sig|tar|key|pub|fwpkg|pdf|html|csv|sha256|md)\b/g, ' ')
    .replace(/<[^>\s]+>/g, ' ')
    .replace(/[\w.-]*\/[\w./-]*/g, ' ')
    .replace(/\b[A-Z][A-Z0-9_]*\b/g, ' ')
    .replace(/\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/gi, ' ')
    .replace(/\b(?=[a-z0-9]*\d)[a-z0-9]+\b/gi, ' ');
  return (stripped.match(/[A-Za-z][A-Za-z0-9_.-]*/g) ?? []).map((w) => w.replace(/[.-]+$/, ''))
    .filter((w) => !allowedWords.has(w) && !commandWords.has(w));
}
