'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { config as zodConfig } from 'zod/v4/core';

// Zod probes for eval support (`Function("")`) before its first object parse to pick a
// compiled fast path. The page's CSP forbids eval, so in the browser the probe only produced a
// violation report: skip it and use the interpreted parser. Set through zod's core `config`
// (the setting every zod entry point reads), so pages that parse nothing in the browser do not
// download zod itself for it.
if (typeof window !== 'undefined') zodConfig({ jitless: true });

// No next-auth SessionProvider: no client component reads the session (useSession); signOut
// and getCsrfToken work without it, and the provider cost every page a /api/auth/session fetch.
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: 2 } } }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
