import type { Metadata } from 'next';
import Link from 'next/link';
import { db } from '@/db';
import { listOrdersForUser } from '@/db/queries/orders';
import { AutoRefresh } from '@/components/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { requireUserPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';
import { formatDateTime } from '@/lib/orders/format-date';

export const metadata: Metadata = { title: 'My orders' };
export const dynamic = 'force-dynamic';

export default async function OrdersPage() {
  const user = await requireUserPage('/orders');
  const orders = await listOrdersForUser(db, { userId: user.id });
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">My orders</h1>
        <AutoRefresh intervalMs={5000} />
      </div>
      {orders.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-semibold">You have no orders yet.</p>
          <p className="mt-1 text-slate-700">Pick something from the catalog and choose a locker near you.</p>
          <ButtonLink href="/catalog" className="mt-4">
            Browse the catalog
          </ButtonLink>
        </div>
      ) : (
        <ul className="mt-6 space-y-3" aria-label="Orders">
          {orders.map((o) => {
            const s = ORDER_STATUS[o.status];
            return (
              <li key={o.id}>
                <Link href={`/orders/${o.id}`} className="flex flex-col gap-2 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 sm:flex-row sm:items-center sm:justify-between">
                  <span>
                    <span className="block font-semibold text-slate-900">{o.good.name}</span>
                    <span className="block text-sm text-slate-600">
                      to {o.automat.address}
                      {o.cellNumber ? `, cell ${o.cellNumber}` : ''} · {formatDateTime(o.createdAt)}
                    </span>
                  </span>
                  <Badge tone={s.tone}>{s.label}</Badge>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
