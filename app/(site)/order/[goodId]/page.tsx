import type { Metadata } from 'next';
import { PageLink } from '@/components/ui/page-link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { listAutomatChoices, listCatalog } from '@/db/queries/availability';
import { choiceState, orderability } from '@/lib/orders/availability';
import { env } from '@/env';
import { AutomatPicker } from '@/components/orders/automat-picker';
import { Alert } from '@/components/ui/alert';
import { requireUserPage } from '@/lib/auth/session';
import { measure, stockLevel, weightText } from '@/lib/catalog';
import { uuidSchema } from '@/lib/http';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('order'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function OrderPage({ params }: { params: Promise<{ goodId: string }> }) {
  const { goodId } = await params;
  await requireUserPage(`/order/${goodId}`);
  if (!uuidSchema.safeParse(goodId).success) notFound();
  const [good] = await listCatalog(db, { goodId });
  if (!good) notFound();
  const status = orderability(good);
  const choices = await listAutomatChoices(db, good);
  const stock = stockLevel(good.quantityAvailable);
  const [t, tc, format] = await Promise.all([getTranslations('order'), getTranslations('catalog'), getFormatter()]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <nav aria-label={t('breadcrumb')} className="text-sm text-slate-600">
        <PageLink href="/catalog" className="hover:underline">
          {t('catalog')}
        </PageLink>{' '}
        / {t('here')}
      </nav>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{good.name}</h1>
      <p className="mt-1 text-slate-700">
        {tc('dimensions', {
          length: measure(good.length),
          width: measure(good.width),
          height: measure(good.height),
        })}{' '}
        · {weightText(format, good.weight)} · {tc(`stock.${stock.level}`, { count: good.quantityAvailable })}
      </p>
      {!status.orderable ? (
        <div className="mt-6">
          <Alert title={t('cannotOrder')}>
            {tc(`unavailable.${status.code}`)}.{' '}
            <PageLink href="/catalog" className="font-semibold underline">
              {t('backToCatalog')}
            </PageLink>
          </Alert>
        </div>
      ) : (
        <div className="mt-6">
          <AutomatPicker
            goodId={good.id}
            goodName={good.name}
            tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
            automats={choices.map((c) => {
              const state = choiceState(c);
              return {
                id: c.id,
                city: c.city,
                address: c.address,
                lat: c.lat,
                lon: c.lon,
                selectable: state.selectable,
                reason: state.selectable ? undefined : t(`choice.${state.code}`),
                freeFittingCells: c.freeFittingCells,
              };
            })}
          />
        </div>
      )}
    </div>
  );
}
