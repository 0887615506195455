import { getLocale, getMessages, getNow, getTimeZone } from 'next-intl/server';
import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/site/site-footer';
import { SiteHeader } from '@/components/site/site-header';
import { SignedInShell } from '@/components/site/signed-in-shell';
import { clientMessages } from '@/i18n/client-messages';
import { getCurrentUser } from '@/lib/auth/session';

export default async function SiteLayout({ children }: { children: ReactNode }) {
  const page = (
    <div className="flex min-h-dvh flex-col">
      <SiteHeader />
      <main id="main" className="flex-1">
        {children}
      </main>
      <SiteFooter />
    </div>
  );
  // What translates or polls in the browser on the site (the bell, an order page, the inbox,
  // the account forms) is for signed-in customers, and their providers are a chunk of their own
  // (components/site/signed-in-shell.tsx): an anonymous visitor's pages (the home page, the
  // catalog) carry neither next-intl's nor react-query's client code (issue 13, "Load").
  // Sign-in and registration bring their own provider (components/intl/site-intl-provider.tsx).
  if (!(await getCurrentUser())) return page;
  const [locale, timeZone, now, messages] = await Promise.all([getLocale(), getTimeZone(), getNow(), getMessages()]);
  return (
    <SignedInShell locale={locale} timeZone={timeZone} now={now} messages={clientMessages(messages)}>
      {page}
    </SignedInShell>
  );
}
