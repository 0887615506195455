import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { findAutomatPublic } from '@/db/queries/automats';
import { Kiosk } from '@/components/kiosk/kiosk';
import { QueryProvider } from '@/components/query-provider';
import { clientMessages } from '@/i18n/client-messages';
import { uuidSchema } from '@/lib/http';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('kiosk'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

// The locker's own screen. It holds no session: it is paired once with the locker's device
// key (kept in this browser), and every call it makes is authorised by that key.
export default async function KioskPage({ params }: { params: Promise<{ automatId: string }> }) {
  const { automatId } = await params;
  if (!uuidSchema.safeParse(automatId).success) notFound();
  const automat = await findAutomatPublic(db, { id: automatId });
  if (!automat) notFound();
  // The kiosk's texts reach the browser only here (i18n/client-messages.ts).
  return (
    <NextIntlClientProvider messages={clientMessages(await getMessages(), 'kiosk')}>
      <QueryProvider>
        <Kiosk automatId={automat.id} address={automat.address} city={automat.city} />
      </QueryProvider>
    </NextIntlClientProvider>
  );
}
