import type { Metadata } from 'next';
import { Breadcrumb, Panel } from '@/components/admin/page-parts';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { ArchiveGoodForm, DeleteGoodForm, EditGoodForm, StockForm } from '@/components/admin/good-forms';
import { Badge } from '@/components/ui/badge';
import { goodOrderHistory } from '@/lib/admin/goods';
import { plural } from '@/lib/admin/plural';
import { requireAdminObjectPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Good' };
export const dynamic = 'force-dynamic';

export default async function AdminGoodPage({ params }: { params: Promise<{ goodId: string }> }) {
  const { goodId } = await params;
  await requireAdminObjectPage('/admin/goods', goodId);
  const [good] = await listCatalog(db, { goodId, archived: 'include' });
  if (!good) notFound();
  const history = await goodOrderHistory(db, goodId);
  const archived = good.archivedAt !== null;
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/goods', label: 'Goods' }} current={good.name} />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{good.name}</h1>
        {archived ? <Badge tone="neutral">Archived</Badge> : null}
      </div>
      <p className="text-sm text-slate-700">
        {plural(history.orders, 'order', 'orders')}
        {history.openOrders > 0 ? `, ${history.openOrders} still open` : ''}.
      </p>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Panel id="edit-h" title="Details">
          <EditGoodForm id={good.id} values={good} />
        </Panel>
        <div className="space-y-6">
          <Panel id="stock-h" title="Stock">
            <StockForm id={good.id} stock={good.quantityAvailable} />
          </Panel>
          <Panel id="archive-h" title={archived ? 'Archived' : 'Archive'}>
            <ArchiveGoodForm id={good.id} archivedAt={good.archivedAt?.toISOString() ?? null} orders={history.orders} openOrders={history.openOrders} />
          </Panel>
          <Panel id="del-h" title="Delete">
            <DeleteGoodForm id={good.id} orders={history.orders} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
