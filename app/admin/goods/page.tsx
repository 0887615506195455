import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { PageLink } from '@/components/ui/page-link';
import { DataTable, Panel } from '@/components/admin/page-parts';
import { ArchiveViewNav } from '@/components/admin/archive-view-nav';
import { CreateGoodForm } from '@/components/admin/good-forms';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listCatalog } from '@/db/queries/availability';
import { requireAdminPage } from '@/lib/auth/session';
import { measure, stockLevel, weightText } from '@/lib/catalog';
import { archiveViewSchema } from '@/lib/validation/fleet';
import { readFilters } from '@/lib/validation/form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminCatalog'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

const VIEW = { active: 'exclude', archived: 'only', all: 'include' } as const;

export default async function AdminGoodsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/goods');
  const { filters, valid } = readFilters(archiveViewSchema, await searchParams);
  const [goods, t, format] = await Promise.all([
    listCatalog(db, { archived: VIEW[filters.show] }),
    getTranslations('adminCatalog'),
    getFormatter(),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
      <Panel id="new-h" title={t('newGood')}>
        <CreateGoodForm />
      </Panel>
      <ArchiveViewNav base="/admin/goods" current={filters.show} label={t('showGoods')} />
      {valid ? null : <Alert tone="info">{t('unknownView')}</Alert>}
      <DataTable
        label={t('table')}
        columns={[t('columns.name'), t('columns.size'), t('columns.weight'), t('columns.stock'), t('columns.fits')]}
        empty={filters.show === 'archived' ? t('emptyArchived') : t('empty')}
        count={goods.length}
      >
        {goods.map((g) => {
          const stock = stockLevel(g.quantityAvailable);
          return (
            <tr key={g.id}>
              <td className="px-3 py-2">
                <PageLink href={`/admin/goods/${g.id}`} className="font-medium text-brand-700 underline">
                  {g.name}
                </PageLink>
                {g.archivedAt ? (
                  <span className="ml-2">
                    <Badge tone="neutral">{t('archivedBadge')}</Badge>
                  </span>
                ) : null}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">
                {t('dimensions', { length: measure(g.length), width: measure(g.width), height: measure(g.height) })}
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{weightText(format, g.weight)}</td>
              <td className="px-3 py-2">
                {format.number(g.quantityAvailable)}{' '}
                {g.archivedAt ? null : (
                  <Badge tone={stock.tone}>{t(`stockLevel.${stock.level}`, { count: g.quantityAvailable })}</Badge>
                )}
              </td>
              <td className="px-3 py-2">{g.archivedAt ? '—' : t('fits', { fits: g.fitsAt, free: g.orderableAt })}</td>
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}
