import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { orderability } from '@/lib/orders/availability';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { measure, stockLevel, weightText } from '@/lib/catalog';
import { catalogSearchSchema } from '@/lib/validation/catalog';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('catalog'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function CatalogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = catalogSearchSchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data.q : undefined;
  const [goods, t, format] = await Promise.all([
    listCatalog(db, { query }),
    getTranslations('catalog'),
    getFormatter(),
  ]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-10">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
          <p className="mt-1 text-slate-700">{t('intro')}</p>
        </div>
        <form role="search" action="/catalog" className="flex w-full gap-2 sm:w-auto">
          <label htmlFor="q" className="sr-only">
            {t('searchLabel')}
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={query ?? ''}
            maxLength={100}
            placeholder={t('searchPlaceholder')}
            className={cx(
              'min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-base shadow-sm',
              'focus:border-brand-600 focus:ring-2 focus:ring-brand-200 focus:outline-none sm:w-72',
            )}
          />
          <Button type="submit">{t('search')}</Button>
        </form>
      </div>
      {!parsed.success ? (
        <p role="alert" className="mt-4 text-sm font-medium text-red-700">
          {t('tooLong')}
        </p>
      ) : null}

      {goods.length === 0 ? (
        <div className="mt-10 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-semibold">{query ? t('noMatch', { query }) : t('empty')}</p>
          <p className="mt-1 text-slate-700">{query ? t('noMatchHint') : t('emptyHint')}</p>
        </div>
      ) : (
        <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label={t('listLabel')}>
          {goods.map((g) => {
            const stock = stockLevel(g.quantityAvailable);
            const status = orderability(g);
            return (
              <li key={g.id} className="flex flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div className="flex items-start justify-between gap-3">
                  <h2 className="text-lg font-semibold">{g.name}</h2>
                  <Badge tone={stock.tone}>{t(`stock.${stock.level}`, { count: g.quantityAvailable })}</Badge>
                </div>
                <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
                  <dt className="text-slate-600">{t('size')}</dt>
                  <dd className="text-slate-900">
                    {t('dimensions', { length: measure(g.length), width: measure(g.width), height: measure(g.height) })}
                  </dd>
                  <dt className="text-slate-600">{t('weight')}</dt>
                  <dd className="text-slate-900">{weightText(format, g.weight)}</dd>
                </dl>
                <div className="mt-auto pt-4">
                  {status.orderable ? (
                    <ButtonLink
                      href={`/order/${g.id}`}
                      className="w-full"
                      aria-label={t('orderItem', { name: g.name })}
                    >
                      {t('order')}
                    </ButtonLink>
                  ) : (
                    <p className="rounded-lg bg-slate-100 px-3 py-2 text-sm text-slate-700">
                      <span className="font-semibold">{t('notAvailable')}</span> {t(`unavailable.${status.code}`)}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
