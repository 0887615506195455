'use client';

import dynamic from 'next/dynamic';
import type { SignedInProvidersProps } from './signed-in-providers';

// A separate chunk, fetched only on a page that renders it (next/dynamic from a client
// component; from the server layout it would stay in the layout's chunks and so on every page).
const SignedInProviders = dynamic(() => import('./signed-in-providers'));

/** The signed-in customer's providers (./signed-in-providers.tsx), loaded only for them. */
export function SignedInShell(props: SignedInProvidersProps) {
  return <SignedInProviders {...props} />;
}
