// Lint: a few type-aware rules that catch the bugs tests miss, and the layer rule of
// ARCHITECTURE.md (app → views → store → src; packages/cloud-sim imports nothing of the product).
// Formatting is Prettier's job (eslint-config-prettier turns off the rules that would fight it).
// https://typescript-eslint.io/getting-started/typed-linting
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Relative imports that climb into a layer, e.g. '../../store/store.js'. */
const into = (...layers) => ({
  regex: `^(\\.\\./)+(${layers.join('|')})/`,
  message: `the layers run app → views → store → src (ARCHITECTURE.md): this file may not import ${layers.join(' or ')}/`,
});
const SIM = {
  group: ['@firebreak/cloud-sim', '@firebreak/cloud-sim/*'],
  message: 'only the app layer loads the simulated cloud (app/commands/sim-env.ts)',
};
const IO = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:https',
].map((name) => ({
  name,
  message: 'views do no I/O: read and write through the store (store/), which calls src/',
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'packages/*/dist/**',
      'packages/*/node_modules/**',
      'bench/**',
      'scripts/**',
      'bin/**',
      'test/**',
      'packages/*/test/**',
      'eslint.config.js',
      'vitest.config.ts',
    ],
  },
  {
    files: [
      'app/**/*.{ts,tsx}',
      'src/**/*.{ts,tsx}',
      'store/**/*.{ts,tsx}',
      'views/**/*.{ts,tsx}',
      'packages/*/src/**/*.ts',
    ],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A new record type, phase or target kind must be handled wherever the union is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // An unawaited journal write or cloud call loses its failure: the state would lie.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [into('store', 'views', 'app'), SIM] }] },
  },
  {
    files: ['store/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [into('views', 'app'), SIM] }] },
  },
  {
    files: ['views/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: IO, patterns: [into('app'), SIM] }] },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [into('src', 'store', 'views', 'app')] }] },
  },
  prettier,
);
