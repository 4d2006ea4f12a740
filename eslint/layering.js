// The dependency direction of ../shared/DESIGN.md as one ESLint rule, `layering/dependency-direction`.
// Each relative import (static, re-export or dynamic with a literal path) is resolved against the
// importing file, both ends are placed in a layer, and the import is reported unless the importing
// layer may use the imported one. Bare package names are not layers (no-restricted-imports covers them).
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Layers, most specific first; `*` in `src/services/*` stands for any one feature area, and a
 * target written `src/services/*` in `may` means that same area (a service uses its own room only).
 * Every file outside these folders (test/, bench/, config files) is unrestricted.
 */
export const layers = [
  { layer: 'contracts', may: ['contracts'] },
  { layer: 'protocols', may: ['protocols', 'contracts'] },
  { layer: 'platform', may: ['platform', 'contracts'] },
  { layer: 'drivers', may: ['drivers', 'platform', 'contracts'] },
  { layer: 'src/log', may: ['contracts'] },
  { layer: 'src/store', may: ['src/store', 'src/log', 'platform', 'contracts'] },
  { layer: 'src/devices', may: ['src/devices', 'protocols', 'drivers', 'platform', 'contracts', 'src/log'] },
  { layer: 'src/services/common', may: ['src/services/common', 'src/devices', 'src/store', 'protocols', 'platform', 'contracts', 'src/log'] },
  { layer: 'src/services/*', may: ['src/services/*', 'src/services/common', 'src/devices', 'src/store', 'protocols', 'platform', 'contracts', 'src/log'] },
  { layer: 'src/services', may: ['src/services/common', 'src/devices', 'src/store', 'protocols', 'platform', 'contracts', 'src/log'] },
  { layer: 'src/jobs', may: ['src/jobs', 'src/services', 'src/devices', 'src/store', 'protocols', 'platform', 'contracts', 'src/log'] },
  { layer: 'src/api', may: ['src/api', 'src/jobs', 'src/services', 'src/devices', 'src/store', 'protocols', 'platform', 'contracts', 'src/log'] },
  // The composition root wires every layer together; it still never loads the simulator or fakes.
  { layer: 'src/daemon', may: ['src/daemon', 'src/api', 'src/jobs', 'src/services', 'src/devices', 'src/store', 'protocols', 'drivers', 'platform', 'contracts', 'src/log'] },
  // The CLI talks to the daemon over HTTP; it may share its types and pure helpers, never open a device.
  { layer: 'src/cli', may: ['src/cli', 'src/api', 'src/daemon', 'src/services', 'src/devices', 'protocols', 'platform', 'contracts', 'src/log'] },
  // The entry point may load the --simulate wiring lazily, with import(), only when asked; never statically.
  { layer: 'bin', may: ['bin', 'src', 'platform', 'contracts'], mayLoad: ['fixtures/simulate'] },
  // Fixtures (simulator, virtual cards, --simulate wiring) may use the production code they stand in for, never the tests.
  { layer: 'fixtures', may: ['fixtures', 'src', 'protocols', 'drivers', 'platform', 'contracts'] },
];

const toPosix = (path) => path.split(sep).join('/');

/** The entry of `layers` a repository-relative path belongs to, and the area `*` matched. */
export function layerOf(path) {
  const file = path.replace(/\.(ts|js|mjs|cjs)$/, '');
  for (const entry of layers) {
    const parts = entry.layer.split('/');
    const fileParts = file.split('/');
    if (fileParts.length < parts.length) continue;
    let area;
    const matches = parts.every((part, i) => {
      if (part === '*') {
        area = fileParts[i];
        return i < fileParts.length - 1;
      }
      return part === fileParts[i];
    });
    if (matches) return { entry, area };
  }
  return undefined;
}

function allowed(from, target, dynamic) {
  const to = target.replace(/\.(ts|js|mjs|cjs)$/, '');
  return [...from.entry.may, ...(dynamic ? (from.entry.mayLoad ?? []) : [])].some((may) => {
    const wanted = may.replace('*', from.area ?? '*');
    return to === wanted || to.startsWith(`${wanted}/`);
  });
}

export const dependencyDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the dependency direction of DESIGN.md' },
    schema: [{
      type: 'object',
      properties: {
        root: { type: 'string' },
        // Violations being removed by another change right now: exact files, the targets they may still use, and why.
        temporary: { type: 'array', items: { type: 'object', properties: { files: { type: 'array' }, may: { type: 'array' }, reason: { type: 'string' } }, required: ['files', 'may', 'reason'] } },
      },
      additionalProperties: false,
    }],
    messages: {
      forbidden: '{{from}} may not import {{target}} (DESIGN.md dependency direction: {{from}} may use {{may}})',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = toPosix(relative(root, context.filename));
    const from = layerOf(file);
    if (from === undefined) return {};
    const pending = (context.options[0]?.temporary ?? []).filter((t) => t.files.includes(file)).flatMap((t) => t.may);
    const check = (node, source, dynamic = false) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = toPosix(relative(root, resolve(root, dirname(file), source)));
      if (allowed(from, target, dynamic)) return;
      const bare = target.replace(/\.(ts|js|mjs|cjs)$/, '');
      if (pending.some((may) => bare === may || bare.startsWith(`${may}/`))) return;
      context.report({ node, messageId: 'forbidden', data: { from: from.entry.layer.replace('*', from.area), target, may: from.entry.may.map((may) => may.replace('*', from.area)).join(', ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, true),
    };
  },
};

export default { rules: { 'dependency-direction': dependencyDirection } };
