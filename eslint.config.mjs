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

// The layers (docs/architecture.md): app/ (pages, route handlers, server actions) calls lib/
// (rules and transactions) and db/queries/ (SQL statements); components/ render what app/ hands
// them; db/ is the bottom and imports no layer above it. Each zone below lists what a folder
// may not import, so a violation fails `npm run lint`.
const DRIZZLE = [
  { name: 'drizzle-orm', message: 'SQL lives in db/queries/ or in a lib/ transaction (docs/architecture.md).' },
  { name: 'postgres', message: 'SQL lives in db/queries/ or in a lib/ transaction (docs/architecture.md).' },
];
const DB_INTERNALS = {
  regex: '^(@/db/(schema|sql|embedded|migrate|seed)|drizzle-orm/.*)$',
  allowTypeImports: true,
  message: 'Pages and components do not build SQL: call a db/queries/ function or a lib/ domain function.',
};
const CLIENT_DB = {
  regex: '^@/db(/index|/queries/.*)?$',
  message:
    'Components get their data as props from a page (or from an API through react-query), not from the database.',
};
const APP_FROM_COMPONENTS = {
  regex: '^@/app/(?!(.*/)?actions$)',
  message: "Components import only app/'s server actions; everything else comes as props.",
};
const UPWARD_FROM_LIB = {
  regex: '^@/(app|components)/',
  message: 'lib/ is below app/ and components/: pass what it needs as arguments (docs/architecture.md).',
};
const UPWARD_FROM_DB = {
  regex: '^@/(lib|app|components)/',
  allowTypeImports: true,
  message: 'db/ is the bottom layer: it imports only types from above (docs/architecture.md).',
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
      // More than three parameters take one object (named at every call site, in any order).
      'max-params': ['error', 3],
    },
  },
  // Schemas take `z` from lib/validation/zod.ts, which turns off zod's eval probe in the
  // browser before any schema is built (the CSP forbids eval). Types may come from zod itself.
  // Links between pages are components/ui/page-link.tsx (no viewport prefetch: see there).
  // One rule object per folder: a later match replaces an earlier one's list, it does not add to it.
  {
    files: ['app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [ZOD_IMPORT, NEXT_LINK_IMPORT, ...DRIZZLE], patterns: [DB_INTERNALS] },
      ],
    },
  },
  {
    files: ['components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [ZOD_IMPORT, NEXT_LINK_IMPORT, ...DRIZZLE],
          patterns: [DB_INTERNALS, CLIENT_DB, APP_FROM_COMPONENTS],
        },
      ],
    },
  },
  {
    files: ['lib/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ZOD_IMPORT, NEXT_LINK_IMPORT], patterns: [UPWARD_FROM_LIB] }],
    },
  },
  {
    files: ['db/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [UPWARD_FROM_DB] }] },
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
