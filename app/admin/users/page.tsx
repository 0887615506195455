import type { Metadata } from 'next';
import { readFilters } from '@/lib/validation/form';
import { DataTable, FILTER_FIELD, ListCount, paramValue } from '@/components/admin/page-parts';
import Link from 'next/link';
import { Pager } from '@/components/admin/pager';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { db } from '@/db';
import { listUsersAdmin } from '@/db/queries/users';
import { requireAdminPage } from '@/lib/auth/session';
import { userFilterSchema } from '@/lib/validation/fleet';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/users');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(userFilterSchema, raw);
  const { rows, total } = await listUsersAdmin(db, { ...f, pageSize: PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const value = (k: string) => paramValue(raw, k);

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Users</h1>
      <form action="/admin/users" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[2fr_1fr_auto] sm:items-end">
        <label className="text-sm font-medium">
          Search: name, email or phone
          <input name="q" defaultValue={value('q')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          Role
          <select name="role" defaultValue={value('role')} className={FILTER_FIELD}>
            <option value="">Any</option>
            <option value="client">Customer</option>
            <option value="admin">Administrator</option>
          </select>
        </label>
        <Button type="submit">Search</Button>
      </form>
      {!valid ? <Alert>Some filters were not valid and were ignored.</Alert> : null}
      <ListCount total={total} noun={['user', 'users']} page={f.page} pages={pages} />
      <DataTable label="Users" columns={['Name', 'Email', 'Phone', 'Role', 'Orders', 'Joined (UTC)']} empty="No users match." count={rows.length}>
            {rows.map((u) => (
              <tr key={u.id}>
                <td className="px-3 py-2">
                  <Link href={`/admin/users/${u.id}`} className="font-medium text-brand-700 underline">
                    {u.fullName}
                  </Link>
                </td>
                <td className="px-3 py-2">{u.email ?? '—'}</td>
                <td className="px-3 py-2 whitespace-nowrap">{u.phoneNumber ?? '—'}</td>
                <td className="px-3 py-2">{u.role === 'admin' ? <Badge tone="info">Administrator</Badge> : 'Customer'}</td>
                <td className="px-3 py-2 whitespace-nowrap" data-testid="order-counts">
                  {u.orders}
                  {u.openOrders > 0 ? <span className="text-slate-600"> · {u.openOrders} open</span> : null}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{u.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
      </DataTable>
      <Pager base="/admin/users" params={raw} keys={['q', 'role']} page={f.page} pages={pages} />
    </div>
  );
}
