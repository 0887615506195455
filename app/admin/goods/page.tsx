import type { Metadata } from 'next';
import { DataTable, Panel } from '@/components/admin/page-parts';
import Link from 'next/link';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { ArchiveViewNav } from '@/components/admin/archive-view-nav';
import { CreateGoodForm } from '@/components/admin/good-forms';
import { Alert } from '@/components/ui/alert';
import { requireAdminPage } from '@/lib/auth/session';
import { formatDimensions, formatWeight, stockLabel } from '@/lib/catalog';
import { archiveViewSchema } from '@/lib/validation/fleet';
import { readFilters } from '@/lib/validation/form';
import { Badge } from '@/components/ui/badge';

export const metadata: Metadata = { title: 'Goods' };
export const dynamic = 'force-dynamic';

const VIEW = { active: 'exclude', archived: 'only', all: 'include' } as const;

export default async function AdminGoodsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/goods');
  const { filters, valid } = readFilters(archiveViewSchema, await searchParams);
  const goods = await listCatalog(db, { archived: VIEW[filters.show] });
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Goods</h1>
      <Panel id="new-h" title="New good">
        <CreateGoodForm />
      </Panel>
      <ArchiveViewNav base="/admin/goods" current={filters.show} label="Show goods" />
      {valid ? null : <Alert tone="info">That filter is not known; showing the goods in the catalog.</Alert>}
      <DataTable
        label="Goods"
        columns={['Name', 'Size', 'Weight', 'Stock', 'Lockers it fits (free now)']}
        empty={filters.show === 'archived' ? 'No archived goods.' : 'No goods yet: create the first one above.'}
        count={goods.length}
      >
        {goods.map((g) => {
          const stock = stockLabel(g.quantityAvailable);
          return (
            <tr key={g.id}>
              <td className="px-3 py-2">
                <Link href={`/admin/goods/${g.id}`} className="font-medium text-brand-700 underline">
                  {g.name}
                </Link>
                {g.archivedAt ? (
                  <span className="ml-2">
                    <Badge tone="neutral">Archived</Badge>
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2">{formatDimensions(g)}</td>
              <td className="px-3 py-2">{formatWeight(g.weight)}</td>
              <td className="px-3 py-2">
                {g.quantityAvailable} {g.archivedAt ? null : <Badge tone={stock.tone}>{stock.text}</Badge>}
              </td>
              <td className="px-3 py-2">{g.archivedAt ? '—' : `${g.fitsAt} (${g.orderableAt})`}</td>
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}
