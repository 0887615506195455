'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

/**
 * react-query's cache, only where something polls: the signed-in site (the bell, the order
 * page, the inbox), the kiosk and the admin portal. Pages an anonymous visitor opens (the home
 * page, the catalog, sign-in) do not load react-query at all (issue 13, "Load").
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: 2 } } }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
