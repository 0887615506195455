import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { PageLink } from '@/components/ui/page-link';
import { notFound } from 'next/navigation';
import { Breadcrumb, DataTable, Panel } from '@/components/admin/page-parts';
import { RoleForm } from '@/components/admin/user-forms';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listOrdersForUser } from '@/db/queries/orders';
import { getUserAdmin } from '@/db/queries/users';
import { requireAdminObjectPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminOps.users'))('userMetaTitle') };
}
export const dynamic = 'force-dynamic';

const LATEST = 200;

export default async function AdminUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const { userId } = await params;
  const admin = await requireAdminObjectPage('/admin/users', userId);
  const user = await getUserAdmin(db, { id: userId });
  if (!user) notFound();
  const [orders, t, format] = await Promise.all([
    listOrdersForUser(db, { userId, limit: LATEST }),
    getTranslations('adminOps'),
    getFormatter(),
  ]);

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/users', label: t('users.title') }} current={user.fullName} />
      <h1 className="text-3xl font-bold tracking-tight break-words">{user.fullName}</h1>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Panel
          id="orders-h"
          title={
            orders.length === LATEST
              ? t('user.latestOrders', { count: LATEST })
              : t('user.orders', { count: orders.length })
          }
          className="min-w-0"
        >
          <DataTable
            label={t('user.ordersTable')}
            columns={[
              t('orders.columns.order'),
              t('orders.columns.placed'),
              t('orders.columns.good'),
              t('orders.columns.locker'),
              t('orders.columns.status'),
            ]}
            empty={t('user.noOrders')}
            count={orders.length}
            bare
          >
            {orders.map((o) => (
              <tr key={o.id}>
                <td className="px-3 py-2">
                  <PageLink href={`/admin/orders/${o.id}`} className="font-mono text-xs text-brand-700 underline">
                    {o.id.slice(0, 8)}
                  </PageLink>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{format.dateTime(o.createdAt, 'dateTime')}</td>
                <td className="px-3 py-2">{o.good.name}</td>
                <td className="px-3 py-2">{o.automat.address}</td>
                <td className="px-3 py-2">
                  <Badge tone={ORDER_STATUS[o.status].tone}>{t(`orderStatus.${o.status}`)}</Badge>
                </td>
              </tr>
            ))}
          </DataTable>
        </Panel>
        <div className="space-y-6">
          <Panel id="contact-h" title={t('user.account')}>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600">{t('user.email')}</dt>
              <dd className="break-all">{user.email ?? '—'}</dd>
              <dt className="text-slate-600">{t('user.phone')}</dt>
              <dd>
                {user.phoneNumber ?? '—'}{' '}
                {user.phoneNumber ? (user.phoneVerified ? t('user.verified') : t('user.notVerified')) : null}
              </dd>
              <dt className="text-slate-600">{t('user.joined')}</dt>
              <dd>{format.dateTime(user.createdAt, 'date')}</dd>
              <dt className="text-slate-600">{t('user.devices')}</dt>
              <dd>{user.devices}</dd>
              <dt className="text-slate-600">{t('user.id')}</dt>
              <dd className="font-mono text-xs break-all">{user.id}</dd>
            </dl>
          </Panel>
          <Panel id="role-h" title={t('user.roleTitle')}>
            <RoleForm userId={user.id} role={user.role} self={user.id === admin.id} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
