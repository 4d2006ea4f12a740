import tseslint from 'typescript-eslint';
import layering from './eslint/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', '.tmp/**', 'dist/**', 'src/api/console/dist/**', 'test-artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Every rule of DESIGN.md's dependency direction (table and reasons in eslint/layering.js).
    files: ['**/*.ts', '**/*.js'],
    plugins: { layering },
    rules: {
      'layering/dependency-direction': ['error', {
        root: import.meta.dirname,
      }],
    },
  },
  {
    // Protocols are pure: no I/O, no timers (the layer rule above keeps them off every other folder).
    files: ['protocols/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/drivers/**', '**/src/**', 'node:fs*', 'node:net', 'node:child_process', 'fs', 'net'] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval'],
    },
  },
  {
    files: ['drivers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/protocols/**', '**/src/**'] }] },
  },
);
