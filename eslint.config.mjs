import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const ZOD_IMPORT = {
  name: 'zod',
  message: "Import { z } from '@/lib/validation/zod' (it keeps zod from probing for eval in the browser).",
  allowTypeImports: true,
};
const NEXT_LINK_IMPORT = {
  name: 'next/link',
  message:
    "Use PageLink from '@/components/ui/page-link' (links do not prefetch on load; " +
    'pass prefetch where a page is cheap to prefetch).',
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 120 columns; this catches what it cannot wrap (strings, comments).
      'max-len': ['error', { code: 120, tabWidth: 2 }],
    },
  },
  // Schemas take `z` from lib/validation/zod.ts, which turns off zod's eval probe in the
  // browser before any schema is built (the CSP forbids eval). Types may come from zod itself.
  // Links between pages are components/ui/page-link.tsx (no viewport prefetch: see there).
  {
    files: ['app/**', 'components/**', 'lib/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ZOD_IMPORT, NEXT_LINK_IMPORT] }] },
  },
  {
    files: ['lib/validation/zod.ts', 'lib/validation/jitless.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [NEXT_LINK_IMPORT] }] },
  },
  {
    files: ['components/ui/page-link.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [ZOD_IMPORT] }] },
  },
  {
    // Playwright fixtures call `use()`, which is not React's hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  globalIgnores([
    '.next/**',
    'node_modules/**',
    '.data/**',
    '.test-results/**',
    'test-results/**',
    'playwright-report/**',
    'drizzle/**',
    'next-env.d.ts',
  ]),
]);
