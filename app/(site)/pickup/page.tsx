import type { Metadata } from 'next';
import { PageLink } from '@/components/ui/page-link';
import { getTranslations } from 'next-intl/server';
import { db } from '@/db';
import { listWaitingParcels } from '@/db/queries/orders';
import { AutoRefresh } from '@/components/auto-refresh';
import { PickupCode } from '@/components/pickup/pickup-code';
import { requireUserPage } from '@/lib/auth/session';
import { pickupQrSvg } from '@/lib/pickup/qr';
import { currentPickupCode } from '@/lib/pickup/token';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('pickup'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function PickupPage() {
  const user = await requireUserPage('/pickup');
  const [code, parcels, t] = await Promise.all([
    currentPickupCode(db, user.id),
    listWaitingParcels(db, { userId: user.id }),
    getTranslations('pickup'),
  ]);
  const svg = await pickupQrSvg(code.token);
  return (
    <div className="mx-auto grid max-w-5xl gap-8 px-4 py-8 md:grid-cols-[1fr_1fr] md:items-start">
      <section aria-labelledby="code-h" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-8">
        <h1 id="code-h" className="text-center text-2xl font-bold tracking-tight">
          {t('title')}
        </h1>
        <p className="mt-1 mb-5 text-center text-slate-700">{t('intro')}</p>
        {/* Keyed by the token: when a pickup spends the code, the page's refresh shows the new one. */}
        <PickupCode key={code.token} initial={{ token: code.token, expiresAt: code.expiresAt.toISOString(), svg }} />
      </section>
      <section aria-labelledby="parcels-h">
        <div className="flex items-end justify-between gap-3">
          <h2 id="parcels-h" className="text-xl font-semibold">
            {t('waiting')}
          </h2>
          <AutoRefresh intervalMs={10_000} />
        </div>
        {parcels.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-700">
            {t('none')}{' '}
            <PageLink href="/orders" className="font-semibold text-brand-700 underline">
              {t('seeOrders')}
            </PageLink>
          </p>
        ) : (
          <ul className="mt-3 space-y-3" aria-label={t('listLabel')}>
            {parcels.map((p) => (
              <li key={p.id} className="rounded-xl border border-emerald-300 bg-emerald-50 p-4">
                <p className="font-semibold text-slate-900">{p.good.name}</p>
                <p className="text-slate-800">
                  {p.automat.address}, {p.automat.city}
                </p>
                <p className="mt-1 text-2xl font-bold text-emerald-900">{t('cell', { cell: String(p.cellNumber) })}</p>
                {p.pickupPin ? (
                  <dl className="mt-3 border-t border-emerald-200 pt-3">
                    <dt className="text-sm font-medium text-slate-700">{t('pinLabel')}</dt>
                    <dd
                      className="font-mono text-3xl font-bold tracking-[0.3em] text-slate-900"
                      data-testid="pickup-pin"
                    >
                      {p.pickupPin}
                    </dd>
                    <dd className="mt-1 text-sm text-slate-700">{t('pinHint')}</dd>
                  </dl>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
