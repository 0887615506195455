import type { Metadata } from 'next';
import { PageLink } from '@/components/ui/page-link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { db } from '@/db';
import { listOrdersForUser } from '@/db/queries/orders';
import { AutoRefresh } from '@/components/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { requireUserPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('orders'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function OrdersPage() {
  const user = await requireUserPage('/orders');
  const [orders, format, t] = await Promise.all([
    listOrdersForUser(db, { userId: user.id }),
    getFormatter(),
    getTranslations('orders'),
  ]);
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
        <AutoRefresh intervalMs={5000} />
      </div>
      {orders.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-semibold">{t('empty')}</p>
          <p className="mt-1 text-slate-700">{t('emptyHint')}</p>
          <ButtonLink href="/catalog" className="mt-4">
            {t('browse')}
          </ButtonLink>
        </div>
      ) : (
        <ul className="mt-6 space-y-3" aria-label={t('listLabel')}>
          {orders.map((o) => {
            const s = ORDER_STATUS[o.status];
            return (
              <li key={o.id}>
                <PageLink
                  href={`/orders/${o.id}`}
                  className={cx(
                    'flex flex-col gap-2 rounded-xl border border-slate-200 bg-white p-4 shadow-sm',
                    'hover:border-brand-500 sm:flex-row sm:items-center sm:justify-between',
                  )}
                >
                  <span>
                    <span className="block font-semibold text-slate-900">{o.good.name}</span>
                    <span className="block text-sm text-slate-600">
                      {o.cellNumber
                        ? t('toCell', { address: o.automat.address, cell: String(o.cellNumber) })
                        : t('to', { address: o.automat.address })}{' '}
                      · <time dateTime={o.createdAt.toISOString()}>{format.dateTime(o.createdAt, 'dateTime')}</time>
                    </span>
                  </span>
                  <Badge tone={s.tone}>{t(`status.${o.status}`)}</Badge>
                </PageLink>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
