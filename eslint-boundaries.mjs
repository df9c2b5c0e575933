// ESLint rules that keep the project's folders in their lanes (configured per folder in eslint.config.mjs).
// Import paths are resolved against the importing file, so `../client/x` from activities/ and `../../client/x`
// from test/integration/ both name the top-level folder client/. Package imports are not project folders.
import path from 'node:path';

const ROOT = import.meta.dirname;

/** `folder/rest/of/path.ts` of a project file, or undefined when it lies outside the project. */
function projectPath(absolute) {
  const rel = path.relative(ROOT, absolute);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function folderOf(rel) {
  const slash = rel.indexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** Every module a file imports: static imports, re-exports, dynamic import() and require() of a string. */
function onImports(context, check) {
  const from = projectPath(context.filename);
  if (from === undefined) return {};
  const visit = (node, sourceNode, typeOnly) => {
    if (!sourceNode || sourceNode.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
    const spec = sourceNode.value;
    let target;
    if (spec.startsWith('.')) target = projectPath(path.resolve(path.dirname(context.filename), spec));
    check({
      node: sourceNode,
      spec,
      from,
      fromFolder: folderOf(from),
      target,
      toFolder: target === undefined ? undefined : folderOf(target),
      typeOnly,
    });
  };
  return {
    ImportDeclaration(node) {
      const typeOnly =
        node.importKind === 'type' ||
        (node.specifiers.length > 0 &&
          node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type'));
      visit(node, node.source, typeOnly);
    },
    ExportNamedDeclaration(node) {
      if (node.source)
        visit(
          node,
          node.source,
          node.exportKind === 'type' ||
            (node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type')),
        );
    },
    ExportAllDeclaration(node) {
      visit(node, node.source, node.exportKind === 'type');
    },
    ImportExpression(node) {
      visit(node, node.source, false);
    },
    TSImportType(node) {
      // `import('../x').Y` in a type position.
      const arg = node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument;
      visit(node, arg, true);
    },
    CallExpression(node) {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1)
        visit(node, node.arguments[0], false);
    },
  };
}

/** Files of the folder may import only themselves and the folders / files listed (some type-only). */
const onlyImports = {
  meta: {
    type: 'problem',
    docs: { description: 'A folder imports only its own files and the project folders or files its rule allows.' },
    schema: [
      {
        type: 'object',
        properties: {
          folders: { type: 'array', items: { type: 'string' } },
          files: { type: 'array', items: { type: 'string' } },
          typeOnlyFolders: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    messages: { forbidden: '{{from}}/ may not import {{target}}: {{why}}' },
  },
  create(context) {
    const {
      folders = [],
      files = [],
      typeOnlyFolders = [],
      why = 'not an allowed dependency',
    } = context.options[0] ?? {};
    return onImports(context, ({ node, fromFolder, target, toFolder, typeOnly }) => {
      if (target === undefined || toFolder === fromFolder) return;
      if (folders.includes(toFolder)) return;
      if (files.some((f) => target === f || target === f.replace(/\.ts$/, ''))) return;
      if (typeOnly && typeOnlyFolders.includes(toFolder)) return;
      context.report({ node, messageId: 'forbidden', data: { from: fromFolder || '(root)', target, why } });
    });
  },
};

/** No file outside the listed folders imports them (a folder's own files aside). */
const noImportOf = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'The listed project folders are imported by nothing but themselves (and the files exempted in the config).',
    },
    schema: [
      {
        type: 'object',
        properties: { folders: { type: 'array', items: { type: 'string' } }, why: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: { forbidden: '{{target}} may not be imported from {{from}}/: {{why}}' },
  },
  create(context) {
    const { folders = [], why = 'a private folder' } = context.options[0] ?? {};
    return onImports(context, ({ node, fromFolder, target, toFolder }) => {
      if (target === undefined || toFolder === fromFolder || !folders.includes(toFolder)) return;
      context.report({ node, messageId: 'forbidden', data: { from: fromFolder || '(root)', target, why } });
    });
  },
};

/** `@temporalio/<package>/lib/...` is the SDK's implementation, not its API: it changes without notice. */
const noSdkInternals = {
  meta: {
    type: 'problem',
    docs: { description: 'No imports from @temporalio/*/lib (SDK internals).' },
    schema: [],
    messages: { internal: '{{spec}} is an internal module of the Temporal SDK: import from the package itself' },
  },
  create(context) {
    return onImports(context, ({ node, spec }) => {
      if (/^@temporalio\/[^/]+\/lib(\/|$)/.test(spec)) context.report({ node, messageId: 'internal', data: { spec } });
    });
  },
};

export default {
  meta: { name: 'seasonal-agent-boundaries' },
  rules: { 'only-imports': onlyImports, 'no-import-of': noImportOf, 'no-sdk-internals': noSdkInternals },
};
