// Lints code snippets as if they were files at the given paths, with the project's real ESLint config
// (eslint.config.mjs), and prints the messages as JSON. A separate process because the config is an ES module,
// which jest's module runtime cannot import. Type-aware rules are off: the snippets are in no TypeScript project.
// Input on stdin: [{ "filePath": "domain/x.ts", "code": "..." }, ...]; output: [[{ ruleId, message }], ...].
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(import.meta.dirname, '../..');
const snippets = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });
const out = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  out.push((result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message })));
}
process.stdout.write(JSON.stringify(out));
