import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { getOrderAdmin } from '@/db/queries/admin-orders';
import { CancelOrderForm } from '@/components/admin/cancel-order-form';
import { ForcePickupForm, RetryDeliveryForm } from '@/components/admin/order-actions';
import { DELIVERY_STATUS } from '@/components/admin/status-labels';
import { AutoRefresh } from '@/components/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { planDeliveryRetry } from '@/lib/admin/orders';
import { requireAdminObjectPage } from '@/lib/auth/session';
import { eventLabel, ORDER_STATUS } from '@/lib/orders/labels';

export const metadata: Metadata = { title: 'Order' };
export const dynamic = 'force-dynamic';

export default async function AdminOrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  await requireAdminObjectPage('/admin/orders', orderId);
  const order = await getOrderAdmin(db, orderId);
  if (!order) notFound();
  const s = ORDER_STATUS[order.status];
  const retry = planDeliveryRetry({ status: order.status, lastDelivery: order.lastDelivery?.status ?? null, cancelledBy: order.cancelledBy });
  const retryMode = retry.kind === 'refused' ? null : retry.kind;
  const cancellable = order.status === 'pending' || order.status === 'processing';
  const failed = order.attempts.filter((a) => a.status === 'failed');
  // Events of a delivery name its drone, linked to the drone's page.
  const droneOf = new Map(order.attempts.filter((a) => a.droneId && a.droneCallSign).map((a) => [a.id, { id: a.droneId as string, callSign: a.droneCallSign as string }]));
  const droneLink = (d: { id: string; callSign: string }) => (
    <Link href={`/admin/drones/${d.id}`} className="font-semibold text-brand-700 underline">
      {d.callSign}
    </Link>
  );
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/admin/orders" className="hover:underline">
          Orders
        </Link>{' '}
        / <span className="font-mono">{order.id}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{order.good}</h1>
          <p className="text-slate-700">
            to {order.automat}, {order.city}
            {order.cellNumber && (order.status === 'delivered' || order.status === 'completed') ? `, cell ${order.cellNumber}` : ''}
          </p>
          <p className="text-sm text-slate-700">
            {order.customerName} · {order.customerEmail ?? order.customerPhone}
          </p>
        </div>
        <div className="text-right">
          <span data-testid="admin-order-status">
            <Badge tone={s.tone}>{s.label}</Badge>
          </span>
          <AutoRefresh intervalMs={5000} />
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="tl" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="tl" className="font-semibold">
            Timeline
          </h2>
          <ol className="mt-3 space-y-3" aria-label="Order timeline">
            {order.timeline.map((e) => (
              <li key={e.id} className="border-l-2 border-brand-200 pl-3">
                <p className="font-medium">
                  {eventLabel(e.event, e.details)}
                  {e.deliveryId && droneOf.get(e.deliveryId) ? <> · {droneLink(droneOf.get(e.deliveryId)!)}</> : null}{' '}
                  <span className="text-xs font-normal text-slate-600">
                    ({e.entity} {e.fromStatus ? `${e.fromStatus} → ` : ''}
                    {e.toStatus}, by {e.actorType})
                  </span>
                </p>
                <p className="text-xs text-slate-600">
                  {e.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC
                  {typeof e.details.reason === 'string' ? ` · ${e.details.reason}` : ''}
                </p>
              </li>
            ))}
          </ol>
          <h3 className="mt-6 font-semibold">Delivery attempts</h3>
          {order.attempts.length === 0 ? <p className="text-sm text-slate-600">None yet.</p> : null}
          {failed.length ? (
            <p className="mt-1 text-sm text-slate-700">
              {failed.length} of {order.attempts.length} failed.
            </p>
          ) : null}
          <ul className="mt-2 space-y-1 text-sm" aria-label="Delivery attempts">
            {order.attempts.map((a) => (
              <li key={a.id}>
                <span className="font-mono text-xs">{a.id.slice(0, 8)}</span> · {a.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC ·{' '}
                <Badge tone={DELIVERY_STATUS[a.status].tone}>{DELIVERY_STATUS[a.status].label}</Badge> ·{' '}
                {a.droneId && a.droneCallSign ? (
                  <>
                    {droneLink({ id: a.droneId, callSign: a.droneCallSign })} <span className="text-xs text-slate-600">({a.drone})</span>
                  </>
                ) : (
                  'no drone'
                )}
                {a.failureReason ? (
                  <>
                    {' '}
                    · <span className={a.status === 'failed' ? 'font-medium text-red-800' : ''}>{a.failureReason}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="act" className="h-fit rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="act" className="font-semibold">
            Actions
          </h2>
          <div className="mt-3 space-y-6">
            <RetryDeliveryForm orderId={order.id} mode={retryMode} />
            <ForcePickupForm orderId={order.id} cellNumber={order.cellNumber} available={order.status === 'delivered'} />
            {cancellable ? <CancelOrderForm orderId={order.id} processing={order.status === 'processing'} /> : null}
          </div>
          {!cancellable && !retryMode && order.status !== 'delivered' ? (
            <p className="mt-2 text-sm text-slate-600">No actions for an order that is {s.label.toLowerCase()}.</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
