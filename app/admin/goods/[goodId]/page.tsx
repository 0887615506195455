import type { Metadata } from 'next';
import { Breadcrumb } from '@/components/admin/page-parts';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { DeleteGoodForm, EditGoodForm, StockForm } from '@/components/admin/good-forms';
import { goodDeletionImpact } from '@/lib/admin/goods';
import { requireAdminPage } from '@/lib/auth/session';
import { uuidSchema } from '@/lib/http';

export const metadata: Metadata = { title: 'Good' };
export const dynamic = 'force-dynamic';

export default async function AdminGoodPage({ params }: { params: Promise<{ goodId: string }> }) {
  const { goodId } = await params;
  await requireAdminPage(`/admin/goods/${goodId}`);
  if (!uuidSchema.safeParse(goodId).success) notFound();
  const [good] = await listCatalog(db, { goodId });
  if (!good) notFound();
  const impact = await goodDeletionImpact(db, goodId);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/goods', label: 'Goods' }} current={good.name} />
      <h1 className="text-3xl font-bold tracking-tight">{good.name}</h1>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="edit-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="edit-h" className="font-semibold">
            Details
          </h2>
          <div className="mt-3">
            <EditGoodForm id={good.id} values={good} />
          </div>
        </section>
        <div className="space-y-6">
          <section aria-labelledby="stock-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="stock-h" className="font-semibold">
              Stock
            </h2>
            <div className="mt-3">
              <StockForm id={good.id} stock={good.quantityAvailable} />
            </div>
          </section>
          <section aria-labelledby="del-h" className="rounded-xl border border-red-200 bg-white p-4 shadow-sm">
            <h2 id="del-h" className="font-semibold text-red-800">
              Delete
            </h2>
            <div className="mt-3">
              <DeleteGoodForm id={good.id} orders={impact.orders} openOrders={impact.openOrders} />
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}
