import type { Metadata } from 'next';
import { Breadcrumb, Panel } from '@/components/admin/page-parts';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { DeleteGoodForm, EditGoodForm, StockForm } from '@/components/admin/good-forms';
import { goodDeletionImpact } from '@/lib/admin/goods';
import { requireAdminObjectPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Good' };
export const dynamic = 'force-dynamic';

export default async function AdminGoodPage({ params }: { params: Promise<{ goodId: string }> }) {
  const { goodId } = await params;
  await requireAdminObjectPage('/admin/goods', goodId);
  const [good] = await listCatalog(db, { goodId });
  if (!good) notFound();
  const impact = await goodDeletionImpact(db, goodId);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/goods', label: 'Goods' }} current={good.name} />
      <h1 className="text-3xl font-bold tracking-tight">{good.name}</h1>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Panel id="edit-h" title="Details">
          <EditGoodForm id={good.id} values={good} />
        </Panel>
        <div className="space-y-6">
          <Panel id="stock-h" title="Stock">
            <StockForm id={good.id} stock={good.quantityAvailable} />
          </Panel>
          <Panel id="del-h" title="Delete" danger>
            <DeleteGoodForm id={good.id} orders={impact.orders} openOrders={impact.openOrders} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
