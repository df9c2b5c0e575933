// The folder dependency rules of eslint.config.mjs (eslint-boundaries.mjs) fire: one violating import per rule
// fails the lint, and an allowed import of the same kind passes. Linted with the real config, in a child
// process (test/support/lint-snippets.mjs says why).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface Snippet {
  filePath: string;
  code: string;
}
interface LintMessage {
  ruleId: string | null;
  message: string;
}

const ROOT = path.resolve(__dirname, '../..');

/** `import { x } from spec` (or `import type`), used so no unused-import rule speaks up. */
function importing(spec: string, typeOnly = false): string {
  return typeOnly
    ? `import type { X } from '${spec}';\nexport type Y = X;\n`
    : `import { x } from '${spec}';\nexport const y = x;\n`;
}

const violations: Array<{ rule: string; filePath: string; code: string }> = [
  // domain/ imports no other project folder.
  { rule: 'boundaries/only-imports', filePath: 'domain/example.ts', code: importing('../config/types', true) },
  { rule: 'boundaries/only-imports', filePath: 'domain/example.ts', code: importing('../workflows/messages', true) },
  // workflows/: domain/ only, and the activity interfaces type-only.
  { rule: 'boundaries/only-imports', filePath: 'workflows/example.ts', code: importing('../config/types', true) },
  { rule: 'boundaries/only-imports', filePath: 'workflows/agent/example.ts', code: importing('../../platform/errors') },
  { rule: 'boundaries/only-imports', filePath: 'workflows/example.ts', code: importing('../activities/types') },
  // client/, scripts/ and emulators/ are imported by tests and scripts/ only.
  {
    rule: 'boundaries/no-import-of',
    filePath: 'activities/example.ts',
    code: importing('../client/commands/support/agent-records'),
  },
  { rule: 'boundaries/no-import-of', filePath: 'operations/example.ts', code: importing('../client/cli') },
  { rule: 'boundaries/no-import-of', filePath: 'worker/example.ts', code: importing('../scripts/demo/stack') },
  {
    rule: 'boundaries/no-import-of',
    filePath: 'receiver/example.ts',
    code: `export const load = () => import('../emulators/okta');\n`,
  },
  // emulators/ import nothing of the product but the platform's process helpers.
  {
    rule: 'boundaries/only-imports',
    filePath: 'emulators/okta/example.ts',
    code: importing('../../integrations/okta'),
  },
  {
    rule: 'boundaries/only-imports',
    filePath: 'emulators/genesys/example.ts',
    code: importing('../../domain/mapping', true),
  },
  // The Temporal SDK's internals, anywhere (tests included).
  {
    rule: 'boundaries/no-sdk-internals',
    filePath: 'operations/example.ts',
    code: importing('@temporalio/common/lib/time'),
  },
  {
    rule: 'boundaries/no-sdk-internals',
    filePath: 'test/unit/example.ts',
    code: importing('@temporalio/worker/lib/workflow/bundler'),
  },
];

const allowed: Snippet[] = [
  { filePath: 'domain/example.ts', code: importing('./mapping', true) },
  { filePath: 'workflows/example.ts', code: importing('../domain/entitlements') },
  { filePath: 'workflows/agent/example.ts', code: importing('../../activities/types', true) },
  { filePath: 'activities/example.ts', code: importing('../operations/seasonal-agent') },
  { filePath: 'client/commands/example.ts', code: importing('./support/table') },
  { filePath: 'test/integration/example.ts', code: importing('../../client/commands/offboard') },
  { filePath: 'scripts/example.ts', code: importing('../emulators/okta') },
  { filePath: 'emulators/okta/example.ts', code: importing('../../platform/errors') },
  { filePath: 'emulators/okta/example.ts', code: importing('./store') },
  { filePath: 'operations/example.ts', code: importing('@temporalio/common') },
];

function lint(snippets: Snippet[]): LintMessage[][] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'test/support/lint-snippets.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  });
  return JSON.parse(out) as LintMessage[][];
}

describe('import boundaries (eslint.config.mjs)', () => {
  let results: LintMessage[][];
  beforeAll(() => {
    results = lint([...violations, ...allowed]);
  });

  it.each(violations.map((v, i) => [v.filePath, v.code.split('\n')[0], v.rule, i] as const))(
    '%s: `%s` fails %s',
    (_file, _line, rule, i) => {
      expect(results[i]!.map((m) => m.ruleId)).toContain(rule);
    },
  );

  it.each(allowed.map((a, i) => [a.filePath, a.code.split('\n')[0], i] as const))(
    '%s: `%s` passes',
    (_file, _line, i) => {
      expect(results[violations.length + i]).toEqual([]);
    },
  );
});
