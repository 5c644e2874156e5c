// ESLint flat config: typescript-eslint's type-checked recommended rules for the TypeScript sources
// (runtime, editors' adapters, tests and benchmarks), ESLint's recommended rules for the plain scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'resources/', 'firmware/', '.node-red/', '.bench/', 'test-results/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      // Methods that implement a promise-returning interface (serialport's binding, the test fakes) stay
      // `async` without an await, so that a throw in them is a rejection, as their callers expect.
      '@typescript-eslint/require-await': 'off',
      // Node-RED's own idiom in a node's constructor: `const node = this;` for the callbacks.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }],
      // As tsc's noUnusedParameters: a leading underscore marks a parameter a signature needs.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests drive surfaces that have no types: the editor's globals inside Playwright's page.evaluate
    // (`declare const RED: any`) and the nodes, spies and messages of node-red-node-test-helper. The
    // rules about `any` would only ask for casts there; every other rule applies to tests as well.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['scripts/**/*.js', 'eslint.config.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
