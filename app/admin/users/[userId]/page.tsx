import type { Metadata } from 'next';
import { Breadcrumb, DataTable, Panel } from '@/components/admin/page-parts';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RoleForm } from '@/components/admin/user-forms';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listOrdersForUser } from '@/db/queries/orders';
import { getUserAdmin } from '@/db/queries/users';
import { requireAdminObjectPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';

export const metadata: Metadata = { title: 'User' };
export const dynamic = 'force-dynamic';

export default async function AdminUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  const admin = await requireAdminObjectPage('/admin/users', userId);
  const user = await getUserAdmin(db, { id: userId });
  if (!user) notFound();
  const orders = await listOrdersForUser(db, { userId, limit: 200 });

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/users', label: 'Users' }} current={user.fullName} />
      <h1 className="text-3xl font-bold tracking-tight">{user.fullName}</h1>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Panel id="orders-h" title={`Orders (${orders.length === 200 ? 'latest 200' : orders.length})`}>
          <DataTable label="Orders of this user" columns={['Order', 'Placed (UTC)', 'Good', 'Locker', 'Status']} empty="No orders yet." count={orders.length} bare>
                {orders.map((o) => (
                  <tr key={o.id}>
                    <td className="px-3 py-2">
                      <Link href={`/admin/orders/${o.id}`} className="font-mono text-xs text-brand-700 underline">
                        {o.id.slice(0, 8)}
                      </Link>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">{o.createdAt.toISOString().replace('T', ' ').slice(0, 16)}</td>
                    <td className="px-3 py-2">{o.good.name}</td>
                    <td className="px-3 py-2">{o.automat.address}</td>
                    <td className="px-3 py-2">
                      <Badge tone={ORDER_STATUS[o.status].tone}>{ORDER_STATUS[o.status].label}</Badge>
                    </td>
                  </tr>
                ))}
          </DataTable>
        </Panel>
        <div className="space-y-6">
          <Panel id="contact-h" title="Account">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600">Email</dt>
              <dd>{user.email ?? '—'}</dd>
              <dt className="text-slate-600">Phone</dt>
              <dd>
                {user.phoneNumber ?? '—'} {user.phoneNumber ? (user.phoneVerified ? '(verified)' : '(not verified)') : null}
              </dd>
              <dt className="text-slate-600">Joined</dt>
              <dd>{user.createdAt.toISOString().slice(0, 10)}</dd>
              <dt className="text-slate-600">Push devices</dt>
              <dd>{user.devices}</dd>
              <dt className="text-slate-600">Id</dt>
              <dd className="font-mono text-xs break-all">{user.id}</dd>
            </dl>
          </Panel>
          <Panel id="role-h" title="Role">
            <RoleForm userId={user.id} role={user.role} self={user.id === admin.id} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
