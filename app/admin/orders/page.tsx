import type { Metadata } from 'next';
import { readFilters } from '@/lib/validation/form';
import { DataTable, FILTER_FIELD, paramValue } from '@/components/admin/page-parts';
import Link from 'next/link';
import { Pager } from '@/components/admin/pager';
import { db } from '@/db';
import { listAutomatOptions, listOrdersAdmin } from '@/db/queries/admin-orders';
import { ORDER_STATUSES } from '@/db/schema';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { requireAdminPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';
import { adminOrderFilterSchema } from '@/lib/validation/admin-orders';

export const metadata: Metadata = { title: 'Orders' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function AdminOrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/orders');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(adminOrderFilterSchema, raw);
  const [{ rows, total }, automats] = await Promise.all([
    listOrdersAdmin(db, {
      status: f.status,
      automatId: f.automat,
      from: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
      to: f.to ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) : undefined,
      q: f.q,
      page: f.page,
      pageSize: PAGE_SIZE,
    }),
    listAutomatOptions(db),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const value = (k: string) => paramValue(raw, k);

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Orders</h1>
      <form action="/admin/orders" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <label className="text-sm font-medium lg:col-span-2">
          Search: order id, customer email or phone
          <input name="q" defaultValue={value('q')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          Status
          <select name="status" defaultValue={value('status')} className={FILTER_FIELD}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ORDER_STATUS[s].label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Locker
          <select name="automat" defaultValue={value('automat')} className={FILTER_FIELD}>
            <option value="">Any</option>
            {automats.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={value('from')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={value('to')} className={FILTER_FIELD} />
        </label>
        <Button type="submit">Filter</Button>
      </form>
      {!valid ? <Alert>Some filters were not valid and were ignored.</Alert> : null}
      <p className="text-sm text-slate-600">
        {total} {total === 1 ? 'order' : 'orders'} · page {f.page} of {pages}
      </p>
      <DataTable label="Orders" columns={['Order', 'Placed (UTC)', 'Customer', 'Good', 'Locker', 'Status']} empty="No orders match." count={rows.length}>
            {rows.map((o) => (
              <tr key={o.id}>
                <td className="px-3 py-2">
                  <Link href={`/admin/orders/${o.id}`} className="font-mono text-xs text-brand-700 underline">
                    {o.id.slice(0, 8)}
                  </Link>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{o.createdAt.toISOString().replace('T', ' ').slice(0, 16)}</td>
                <td className="px-3 py-2">{o.customer}</td>
                <td className="px-3 py-2">{o.good}</td>
                <td className="px-3 py-2">
                  {o.automat}
                  {o.cellNumber && (o.status === 'delivered' || o.status === 'completed') ? `, cell ${o.cellNumber}` : ''}
                </td>
                <td className="px-3 py-2">
                  <Badge tone={ORDER_STATUS[o.status].tone}>{ORDER_STATUS[o.status].label}</Badge>
                </td>
              </tr>
            ))}
      </DataTable>
      <Pager base="/admin/orders" params={raw} keys={['status', 'automat', 'from', 'to', 'q']} page={f.page} pages={pages} />
    </div>
  );
}
