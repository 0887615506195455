import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * A link to another page of the app, without Next.js's viewport prefetch. Every page renders
 * per request (proxy.ts gives each response its own CSP nonce), so a prefetch can fetch little
 * more than the shared layout, and the links in view on load (header, footer, catalog cards)
 * cost a phone main-thread time while the page is still loading: on `/` about 150 ms of
 * Lighthouse's blocking time (docs/benchmarks.md, "Page load"). Navigation is still client-side.
 * `prefetch` can be passed to turn it back on where a page is cheap to prefetch.
 */
export function PageLink({ prefetch = false, ...props }: ComponentProps<typeof Link>) {
  return <Link prefetch={prefetch} {...props} />;
}
