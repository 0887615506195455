import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { Breadcrumb, Panel } from '@/components/admin/page-parts';
import { ArchiveGoodForm, DeleteGoodForm, EditGoodForm, StockForm } from '@/components/admin/good-forms';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { countGoodOrders } from '@/db/queries/goods';
import { requireAdminObjectPage } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminCatalog'))('goodMetaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function AdminGoodPage({ params }: { params: Promise<{ goodId: string }> }) {
  const { goodId } = await params;
  await requireAdminObjectPage('/admin/goods', goodId);
  const [good] = await listCatalog(db, { goodId, archived: 'include' });
  if (!good) notFound();
  const [history, t] = await Promise.all([countGoodOrders(db, { goodId }), getTranslations('adminCatalog')]);
  const archived = good.archivedAt !== null;
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/goods', label: t('title') }} current={good.name} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{good.name}</h1>
        {archived ? <Badge tone="neutral">{t('archivedBadge')}</Badge> : null}
      </div>
      <p className="text-sm text-slate-700">{t('history', { orders: history.orders, open: history.openOrders })}</p>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Panel id="edit-h" title={t('panels.details')}>
          <EditGoodForm id={good.id} values={good} />
        </Panel>
        <div className="space-y-6">
          <Panel id="stock-h" title={t('panels.stock')}>
            <StockForm id={good.id} stock={good.quantityAvailable} />
          </Panel>
          <Panel id="archive-h" title={archived ? t('panels.archived') : t('panels.archive')}>
            <ArchiveGoodForm
              id={good.id}
              archivedAt={good.archivedAt?.toISOString() ?? null}
              orders={history.orders}
              openOrders={history.openOrders}
            />
          </Panel>
          <Panel id="del-h" title={t('panels.delete')}>
            <DeleteGoodForm id={good.id} orders={history.orders} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
