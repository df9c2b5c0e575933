// Flat config. The override for workflows/ follows Temporal's samples: workflow code runs in a
// deterministic sandbox, so Node built-ins, I/O and wall-clock/random APIs from outside the SDK are banned.
// The `boundaries/*` rules (eslint-boundaries.mjs) keep each folder's dependencies as README "How it works"
// describes them; test/unit/import-boundaries.test.ts proves each one fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import boundaries from './eslint-boundaries.mjs';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test/histories/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts', 'test/support/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins.' })),
            { name: '@temporalio/client', message: 'Workflows may not use the client.' },
            { name: '@temporalio/worker', message: 'Workflows may not use the worker.' },
            { name: '@temporalio/activity', message: 'Workflows call activities through proxyActivities.' },
            { name: 'axios', message: 'No I/O in workflow code.' },
          ],
          patterns: [
            {
              group: ['../activities/*', '../activities', '../integrations/*', '../emulators/*'],
              allowTypeImports: true,
              message: 'Import activities type-only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
        { name: 'process', message: 'No process access in workflow code.' },
        { name: 'fetch', message: 'No I/O in workflow code.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > VariableDeclaration[kind="let"]',
          message: 'No module-level mutable state in workflow files.',
        },
        {
          selector: 'Program > VariableDeclaration[kind="var"]',
          message: 'No module-level mutable state in workflow files.',
        },
      ],
    },
  },
  // Dependencies between the project's folders. Each folder may always import its own files.
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { boundaries },
    rules: { 'boundaries/no-sdk-internals': 'error' },
  },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    ignores: ['test/**', 'scripts/**'],
    rules: {
      'boundaries/no-import-of': [
        'error',
        {
          folders: ['client', 'scripts', 'emulators'],
          why: 'the CLI, the scripts and the emulators are imported only by tests and scripts/ (shared code lives in operations/, domain/ or platform/)',
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'boundaries/only-imports': [
        'error',
        {
          why: 'domain/ is pure logic and imports no other project folder (config/ produces the season shape it needs)',
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'boundaries/only-imports': [
        'error',
        {
          folders: ['domain'],
          typeOnlyFolders: ['activities'],
          why: 'workflow code imports domain/ and, type-only, the activity interfaces',
        },
      ],
    },
  },
  {
    files: ['emulators/**/*.ts'],
    rules: {
      'boundaries/only-imports': [
        'error',
        {
          files: ['platform/errors.ts', 'platform/shutdown.ts'],
          why: "the emulators share no code with the product (the platform's process helpers aside)",
        },
      ],
    },
  },
);
