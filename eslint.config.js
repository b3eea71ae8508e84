import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (docs/architecture.md explains each boundary). An import goes to the same
 * folder or to a strictly lower rank. Rank 0's root files (errors.ts, paths.ts) import nothing
 * from src, so util/ may use them. Folders that do not exist yet are listed already, so a new
 * folder gets its rank by being written here once.
 */
export const LAYERS = [
  /* 0 */ ['util'],
  /* 1 */ ['config', 'host', 'initrd', 'events', 'tunnel'],
  /* 2 */ ['boots', 'image'],
  /* 3 */ ['ipxe', 'mirror', 'vm'],
  /* 4 */ ['installer', 'devicedata', 'push', 'dhcp'],
  /* 5 */ ['server', 'providers'],
  /* 6 */ ['sim', 'reimage', 'boot-test'],
  /* 7 */ ['dashboard'],
  /* 8 */ ['demo'],
  /* 9 */ ['cli'],
];

/**
 * Imports the ranks would allow but the design forbids: the simulator stands in for the provider's
 * API, so it owns the facts it serves instead of sharing the provider's types.
 */
export const FORBIDDEN = [['sim', 'providers']];

/** One policy per folder: itself, the root files and every folder of a lower rank. */
function layerPolicies() {
  return LAYERS.flatMap((folders, rank) =>
    folders.map((folder) => ({
      from: { element: { type: 'folder', captured: { folder } } },
      allow: {
        to: [
          { file: { categories: 'root' } },
          { element: { type: 'folder', captured: { folder: [folder, ...LAYERS.slice(0, rank).flat()] } } },
        ],
      },
    })),
  );
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/golden/**', '.metalboot/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The layer rule and the cycle check, on src/ only (tests may reach into any layer).
    files: ['src/**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': [
        { type: 'folder', pattern: 'src/*', capture: ['folder'] },
      ],
      'boundaries/files': [{ category: 'root', pattern: 'src/*.ts' }],
      'boundaries/include': ['src/**/*.ts'],
      // `.js` specifiers resolve to the `.ts` files (NodeNext), for both plugins.
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'disallow',
        checkAllOrigins: false,
        policies: [
          ...layerPolicies(),
          ...FORBIDDEN.map(([from, to]) => ({
            from: { element: { type: 'folder', captured: { folder: from } } },
            disallow: { to: { element: { type: 'folder', captured: { folder: to } } } },
          })),
          { from: { file: { categories: 'root' } }, allow: { to: { file: { categories: 'root' } } } },
        ],
      }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
