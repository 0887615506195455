'use client';

import { createContext, useContext, type ReactNode } from 'react';

/** The error page's texts, in the page's language; `reference` holds a `{digest}` slot. */
export type ErrorTexts = { title: string; text: string; reference: string; retry: string; home: string };

const ErrorTextsContext = createContext<ErrorTexts | null>(null);

/**
 * Hands app/error.tsx its texts. The root layout translates them on the server, because the
 * error page is the one client component on every page and it should not bring next-intl's
 * client code (and the site's messages) to pages that have no other translated client part.
 */
export function ErrorTextsProvider({ texts, children }: { texts: ErrorTexts; children: ReactNode }) {
  return <ErrorTextsContext.Provider value={texts}>{children}</ErrorTextsContext.Provider>;
}

export function useErrorTexts(): ErrorTexts {
  const texts = useContext(ErrorTextsContext);
  if (!texts) throw new Error('useErrorTexts outside ErrorTextsProvider (app/layout.tsx renders it)');
  return texts;
}
