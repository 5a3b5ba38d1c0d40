// ESLint rule: imports flow one way (DEVELOPERS.md, "Layout and style").
//   renderer → common;  preload → common (+ electron);  main/electron → main/* → common;
//   main/kmip depends on nothing of the app; 'electron' only in main/electron and preload.
// Relative specifiers are resolved against the importing file, so the check needs no resolver.
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Layer of a project file, from the most specific folder prefix. */
function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('main/kmip/')) return 'main/kmip';
  if (rel.startsWith('main/electron/')) return 'main/electron';
  if (rel.startsWith('main/')) return 'main';
  for (const top of ['common', 'preload', 'renderer']) if (rel.startsWith(`${top}/`)) return top;
  return null; // tests, scripts, bench, fuzz, build: free to import anything but 'electron'
}

// For each layer: project layers it may import, and whether Node built-ins / npm packages are allowed.
const policy = {
  common: { layers: ['common'], builtins: false, packages: ['zod'] },
  preload: { layers: ['preload', 'common'], builtins: false, packages: ['electron'] },
  renderer: { layers: ['renderer', 'common'], builtins: false, packages: '*' },
  'main/kmip': { layers: ['main/kmip'], builtins: true, packages: [] },
  main: { layers: ['main', 'main/kmip', 'common'], builtins: true, packages: '*' },
  'main/electron': { layers: ['main/electron', 'main', 'main/kmip', 'common'], builtins: true, packages: '*' },
};

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const layerBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the one-way import flow between project layers' },
    schema: [],
    messages: {
      layer: "'{{from}}' may not import from '{{to}}' ({{spec}}): imports flow renderer/preload → common, main/electron → main → common, and main/kmip stands alone.",
      builtin: "'{{from}}' may not import the Node built-in '{{spec}}': this layer must run without Node.",
      pkg: "'{{from}}' may not import the package '{{spec}}'.",
      electron: "Only main/electron and preload may import 'electron' ({{spec}}).",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const isRelative = spec.startsWith('.') || spec.startsWith('/');
      if (!isRelative) {
        const name = packageName(spec);
        if (name === 'electron' && from !== 'main/electron' && from !== 'preload') {
          context.report({ node, messageId: 'electron', data: { spec } });
          return;
        }
        if (!from) return;
        const rules = policy[from];
        if (builtins.has(spec) || builtins.has(name)) {
          if (!rules.builtins) context.report({ node, messageId: 'builtin', data: { from, spec } });
          return;
        }
        if (rules.packages !== '*' && !rules.packages.includes(name)) {
          context.report({ node, messageId: 'pkg', data: { from, spec } });
        }
        return;
      }
      if (!from) return;
      const resolved = path.resolve(path.dirname(file), spec);
      const target = layerOf(resolved) ?? path.relative(root, resolved).split(path.sep)[0];
      if (!policy[from].layers.includes(target)) {
        context.report({ node, messageId: 'layer', data: { from, to: target, spec } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
