import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Schemas take `z` from lib/validation/zod.ts, which turns off zod's eval probe in the
    // browser before any schema is built (the CSP forbids eval). Types may come from zod itself.
    files: ['app/**', 'components/**', 'lib/**'],
    ignores: ['lib/validation/zod.ts', 'lib/validation/jitless.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'zod', message: "Import { z } from '@/lib/validation/zod' (it keeps zod from probing for eval in the browser).", allowTypeImports: true }] },
      ],
    },
  },
  {
    // Playwright fixtures call `use()`, which is not React's hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  globalIgnores(['.next/**', 'node_modules/**', '.data/**', '.test-results/**', 'test-results/**', 'playwright-report/**', 'drizzle/**', 'next-env.d.ts']),
]);
