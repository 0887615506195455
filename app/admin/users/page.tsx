import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { PageLink } from '@/components/ui/page-link';
import { DataTable, FILTER_FIELD, ListCount, paramValue } from '@/components/admin/page-parts';
import { Pager } from '@/components/admin/pager';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { db } from '@/db';
import { listUsersAdmin } from '@/db/queries/users';
import { requireAdminPage } from '@/lib/auth/session';
import { userFilterSchema } from '@/lib/validation/fleet';
import { readFilters } from '@/lib/validation/form';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminOps.users'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/users');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(userFilterSchema, raw);
  const [{ rows, total }, t, tc, format] = await Promise.all([
    listUsersAdmin(db, { ...f, pageSize: PAGE_SIZE }),
    getTranslations('adminOps'),
    getTranslations('adminCommon'),
    getFormatter(),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const value = (k: string) => paramValue(raw, k);

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">{t('users.title')}</h1>
      <form
        action="/admin/users"
        className={cx(
          'grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[2fr_1fr_auto]',
          'sm:items-end',
        )}
      >
        <label className="text-sm font-medium">
          {t('users.search')}
          <input name="q" defaultValue={value('q')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          {t('users.role')}
          <select name="role" defaultValue={value('role')} className={FILTER_FIELD}>
            <option value="">{tc('any')}</option>
            <option value="client">{t('role.client')}</option>
            <option value="admin">{t('role.admin')}</option>
          </select>
        </label>
        <Button type="submit">{tc('search')}</Button>
      </form>
      {!valid ? <Alert>{tc('invalidFilters')}</Alert> : null}
      <ListCount total={total} count={t('users.count', { count: total })} page={f.page} pages={pages} />
      <DataTable
        label={t('users.table')}
        columns={[
          t('users.columns.name'),
          t('users.columns.email'),
          t('users.columns.phone'),
          t('users.columns.role'),
          t('users.columns.orders'),
          t('users.columns.joined'),
        ]}
        empty={t('users.empty')}
        count={rows.length}
      >
        {rows.map((u) => (
          <tr key={u.id}>
            <td className="px-3 py-2">
              <PageLink href={`/admin/users/${u.id}`} className="font-medium text-brand-700 underline">
                {u.fullName}
              </PageLink>
            </td>
            <td className="px-3 py-2 whitespace-nowrap">{u.email ?? '—'}</td>
            <td className="px-3 py-2 whitespace-nowrap">{u.phoneNumber ?? '—'}</td>
            <td className="px-3 py-2">
              {u.role === 'admin' ? <Badge tone="info">{t('role.admin')}</Badge> : t('role.client')}
            </td>
            <td className="px-3 py-2 whitespace-nowrap" data-testid="order-counts">
              {t.rich('users.orderCounts', {
                orders: u.orders,
                open: u.openOrders,
                muted: (chunks) => <span className="text-slate-600">{chunks}</span>,
              })}
            </td>
            <td className="px-3 py-2 whitespace-nowrap">{format.dateTime(u.createdAt, 'date')}</td>
          </tr>
        ))}
      </DataTable>
      <Pager base="/admin/users" params={raw} keys={['q', 'role']} page={f.page} pages={pages} />
    </div>
  );
}
