import type { Metadata } from 'next';
import { DataTable, Panel } from '@/components/admin/page-parts';
import Link from 'next/link';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { CreateGoodForm } from '@/components/admin/good-forms';
import { requireAdminPage } from '@/lib/auth/session';
import { formatDimensions, formatWeight, stockLabel } from '@/lib/catalog';
import { Badge } from '@/components/ui/badge';

export const metadata: Metadata = { title: 'Goods' };
export const dynamic = 'force-dynamic';

export default async function AdminGoodsPage() {
  await requireAdminPage('/admin/goods');
  const goods = await listCatalog(db, {});
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Goods</h1>
      <Panel id="new-h" title="New good">
        <CreateGoodForm />
      </Panel>
      <DataTable label="Goods" columns={['Name', 'Size', 'Weight', 'Stock', 'Lockers it fits (free now)']} empty="No goods yet: create the first one above." count={goods.length}>
            {goods.map((g) => {
              const stock = stockLabel(g.quantityAvailable);
              return (
                <tr key={g.id}>
                  <td className="px-3 py-2">
                    <Link href={`/admin/goods/${g.id}`} className="font-medium text-brand-700 underline">
                      {g.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{formatDimensions(g)}</td>
                  <td className="px-3 py-2">{formatWeight(g.weight)}</td>
                  <td className="px-3 py-2">
                    {g.quantityAvailable} <Badge tone={stock.tone}>{stock.text}</Badge>
                  </td>
                  <td className="px-3 py-2">
                    {g.fitsAt} ({g.orderableAt})
                  </td>
                </tr>
              );
            })}
      </DataTable>
    </div>
  );
}
