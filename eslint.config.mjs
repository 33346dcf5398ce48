// ESLint flat config. src/core/ stays pure: no VS Code API, no SSH library.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'test/vscode/workspace/**', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // small functions: none over 80 lines of code (house rule), in the sources, the scripts and the tests (a suite's
    // grouping callback too: a long scenario's steps go into named functions beside it)
    files: ['src/**/*.ts', 'scripts/**/*.mjs', 'test/**/*.ts', 'test/**/*.mjs'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipComments: true, skipBlankLines: true }] },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core is pure TypeScript: no VS Code API here.' },
          { name: 'ssh2', message: 'src/core is pure TypeScript: SSH lives in src/transport.' },
          { name: 'child_process', message: 'src/core runs no process: go through a CommandRunner.' },
        ],
        patterns: [
          { group: ['vscode-*', '**/transport/**', '**/ui/**', '**/server/**'], message: 'src/core imports only src/core.' },
        ],
      }],
    },
  },
  {
    files: ['src/transport/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Transport runs under plain node: inject prompts and logging.' }] }] },
  },
  {
    // the UI's pure parts, unit-tested under plain node
    files: ['src/ui/inputRules.ts', 'src/ui/sshHosts.ts', 'src/ui/terminalCommand.ts', 'src/ui/tree/nodes.ts', 'src/ui/tree/ids.ts', 'src/ui/tree/lineText.ts', 'src/ui/timeline/model.ts', 'src/ui/timeline/render.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Pure UI logic: keep the VS Code API in the modules that render it.' }] }] },
  },
);
