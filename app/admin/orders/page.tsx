import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { PageLink } from '@/components/ui/page-link';
import { DataTable, FILTER_FIELD, ListCount, paramValue } from '@/components/admin/page-parts';
import { Pager } from '@/components/admin/pager';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { db } from '@/db';
import { listAutomatOptions, listOrdersAdmin } from '@/db/queries/admin-orders';
import { ORDER_STATUSES } from '@/db/statuses';
import { env } from '@/env';
import { zonedDayEnd, zonedDayStart } from '@/lib/admin/zoned-day';
import { requireAdminPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';
import { adminOrderFilterSchema } from '@/lib/validation/admin-orders';
import { readFilters } from '@/lib/validation/form';
import { cx } from '@/lib/cx';
import { revealedCellNumber } from '@/lib/lifecycle/guards';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminOps.orders'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function AdminOrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/orders');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(adminOrderFilterSchema, raw);
  const zone = env().APP_TIME_ZONE;
  const [{ rows, total }, automats, t, tc, format] = await Promise.all([
    listOrdersAdmin(db, {
      status: f.status,
      automatId: f.automat,
      // Days as the portal shows them: in the deployment's zone.
      from: f.from ? zonedDayStart(f.from, zone) : undefined,
      to: f.to ? zonedDayEnd(f.to, zone) : undefined,
      q: f.q,
      page: f.page,
      pageSize: PAGE_SIZE,
    }),
    listAutomatOptions(db),
    getTranslations('adminOps'),
    getTranslations('adminCommon'),
    getFormatter(),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const value = (k: string) => paramValue(raw, k);
  // "Locker, cell 4" once the parcel is (or was) in the cell; before that the number means nothing.
  const cellLabel = (o: (typeof rows)[number]) => {
    const cell = revealedCellNumber(o);
    return cell === null ? null : t('orders.lockerCell', { locker: o.automat, cell });
  };

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">{t('orders.title')}</h1>
      <form
        action="/admin/orders"
        className={cx(
          'grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6',
          'lg:items-end',
        )}
      >
        <label className="text-sm font-medium sm:col-span-2">
          {t('orders.search')}
          <input name="q" defaultValue={value('q')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          {t('orders.status')}
          <select name="status" defaultValue={value('status')} className={FILTER_FIELD}>
            <option value="">{tc('any')}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orderStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          {t('orders.locker')}
          <select name="automat" defaultValue={value('automat')} className={FILTER_FIELD}>
            <option value="">{tc('any')}</option>
            {automats.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          {tc('from')}
          <input type="date" name="from" defaultValue={value('from')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          {tc('to')}
          <input type="date" name="to" defaultValue={value('to')} className={FILTER_FIELD} />
        </label>
        <Button type="submit" className="sm:col-span-2 lg:col-span-1">
          {tc('filter')}
        </Button>
      </form>
      {!valid ? <Alert>{tc('invalidFilters')}</Alert> : null}
      <ListCount total={total} count={t('orders.count', { count: total })} page={f.page} pages={pages} />
      <DataTable
        label={t('orders.table')}
        columns={[
          t('orders.columns.order'),
          t('orders.columns.placed'),
          t('orders.columns.customer'),
          t('orders.columns.good'),
          t('orders.columns.locker'),
          t('orders.columns.status'),
        ]}
        empty={t('orders.empty')}
        count={rows.length}
      >
        {rows.map((o) => (
          <tr key={o.id}>
            <td className="px-3 py-2">
              <PageLink href={`/admin/orders/${o.id}`} className="font-mono text-xs text-brand-700 underline">
                {o.id.slice(0, 8)}
              </PageLink>
            </td>
            <td className="px-3 py-2 whitespace-nowrap">{format.dateTime(o.createdAt, 'dateTime')}</td>
            <td className="px-3 py-2">{o.customer}</td>
            <td className="px-3 py-2">{o.good}</td>
            <td className="px-3 py-2">{cellLabel(o) ?? o.automat}</td>
            <td className="px-3 py-2">
              <Badge tone={ORDER_STATUS[o.status].tone}>{t(`orderStatus.${o.status}`)}</Badge>
            </td>
          </tr>
        ))}
      </DataTable>
      <Pager
        base="/admin/orders"
        params={raw}
        keys={['status', 'automat', 'from', 'to', 'q']}
        page={f.page}
        pages={pages}
      />
    </div>
  );
}
