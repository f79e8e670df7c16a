// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The library's layers, bottom up (CONTRIBUTING.md, "Layers"): a file imports only from its own
 * layer or those below it; the module root (src/*.ts) and the test harness (src/testing) from any.
 * `multi-token-auth.layers.spec.ts` holds the same order, and no circle, on the whole graph.
 */
const LAYERS = ['contracts', 'pure', 'infrastructure', 'services', 'adapters'];
const layerZones = LAYERS.map((layer, rank) => {
  const above = [
    ...LAYERS.slice(rank + 1),
    'testing',
    'index',
    'multi-token-auth\\.(module|module-definition|providers)',
  ];
  return {
    files: [`libs/multi-token-auth/src/${layer}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
              message: `${layer}/ may import only ${LAYERS.slice(0, rank + 1).join(', ')}: see CONTRIBUTING.md, "Layers".`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '**/dist/',
      'node_modules/',
      'coverage/',
      'data/',
      '.tmp/',
      '*.js',
      '*.mjs',
      'bench/*.mjs',
      // Compiled by the consumer check with its own, stricter tsconfig files (npm run test:consumer).
      'test/consumer/app/',
      'test/consumer/fixtures/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Specs pass jest matchers (expect.any, …) that the type-aware rules read as `any`.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...layerZones,
);
