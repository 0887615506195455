import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { PageLink } from '@/components/ui/page-link';
import { notFound } from 'next/navigation';
import { CancelOrderForm } from '@/components/admin/cancel-order-form';
import { ForcePickupForm, RetryDeliveryForm } from '@/components/admin/order-actions';
import { Breadcrumb } from '@/components/admin/page-parts';
import { AutoRefresh } from '@/components/auto-refresh';
import { Badge, type Tone } from '@/components/ui/badge';
import { db } from '@/db';
import { getOrderAdmin } from '@/db/queries/admin-orders';
import type { DeliveryStatus } from '@/db/schema';
import { planDeliveryRetry } from '@/lib/admin/orders';
import { requireAdminObjectPage } from '@/lib/auth/session';
import { ORDER_STATUS } from '@/lib/orders/labels';
import { canCancelAsAdmin, canForcePickup, revealedCellNumber } from '@/lib/lifecycle/guards';

const FAILED_REASON = 'font-medium text-red-800';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminOps.order'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

const DELIVERY_TONE: Record<DeliveryStatus, Tone> = {
  pending: 'warning',
  assigned: 'info',
  in_progress: 'info',
  delivered: 'success',
  completed: 'success',
  failed: 'danger',
};

export default async function AdminOrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  await requireAdminObjectPage('/admin/orders', orderId);
  const order = await getOrderAdmin(db, { id: orderId });
  if (!order) notFound();
  const [t, format] = await Promise.all([getTranslations('adminOps'), getFormatter()]);
  const retry = planDeliveryRetry({
    status: order.status,
    lastDelivery: order.lastDelivery?.status ?? null,
    cancelledBy: order.cancelledBy,
  });
  const retryMode = retry.kind === 'refused' ? null : retry.kind;
  const cancellable = canCancelAsAdmin(order);
  const failed = order.attempts.filter((a) => a.status === 'failed');
  const inCell = revealedCellNumber(order);
  // Events of a delivery name its drone, linked to the drone's page.
  const droneOf = new Map(
    order.attempts
      .filter((a) => a.droneId && a.droneCallSign)
      .map((a) => [a.id, { id: a.droneId as string, callSign: a.droneCallSign as string }]),
  );
  const droneLink = (d: { id: string; callSign: string }) => (
    <PageLink href={`/admin/drones/${d.id}`} className="font-semibold whitespace-nowrap text-brand-700 underline">
      {d.callSign}
    </PageLink>
  );
  const known = (key: string, fallback: string) => (t.has(key) ? t(key) : fallback);
  const eventText = (event: string, details: Record<string, unknown>) => {
    if (event === 'in_locker' && typeof details.cell_number === 'number')
      return t('event.in_locker_cell', { cell: details.cell_number });
    if (event === 'collected' && details.forced) return t('event.collected_forced');
    return known(`event.${event}`, event.replaceAll('_', ' '));
  };
  const statusText = (entity: string, status: string) =>
    known(entity === 'order' ? `orderStatus.${status}` : `deliveryStatus.${status}`, status);
  const stamp = (d: Date) => `${format.dateTime(d, 'date')}, ${format.dateTime(d, 'clock')}`;

  return (
    <div className="space-y-6">
      <Breadcrumb
        parent={{ href: '/admin/orders', label: t('order.breadcrumb') }}
        current={<span className="font-mono break-all">{order.id}</span>}
      />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-3xl font-bold tracking-tight break-words">{order.good}</h1>
          <p className="text-slate-700">
            {inCell
              ? t('order.toCell', { locker: order.automat, city: order.city, cell: inCell })
              : t('order.to', { locker: order.automat, city: order.city })}
          </p>
          <p className="text-sm break-words text-slate-700">
            {order.customerName} · {order.customerEmail ?? order.customerPhone}
          </p>
        </div>
        <div className="sm:text-right">
          <span data-testid="admin-order-status">
            <Badge tone={ORDER_STATUS[order.status].tone}>{t(`orderStatus.${order.status}`)}</Badge>
          </span>
          <AutoRefresh intervalMs={5000} />
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="tl" className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="tl" className="font-semibold">
            {t('order.timeline')}
          </h2>
          <ol className="mt-3 space-y-3" aria-label={t('order.timelineLabel')}>
            {order.timeline.map((e) => {
              const drone = e.deliveryId ? droneOf.get(e.deliveryId) : undefined;
              const change = {
                entity: known(`entity.${e.entity}`, e.entity),
                from: e.fromStatus ? statusText(e.entity, e.fromStatus) : '',
                to: e.toStatus ? statusText(e.entity, e.toStatus) : '—',
                actor: known(`actor.${e.actorType}`, e.actorType),
              };
              return (
                <li key={e.id} className="border-l-2 border-brand-200 pl-3">
                  <p className="font-medium">
                    {eventText(e.event, e.details)}
                    {drone ? <> · {droneLink(drone)}</> : null}
                  </p>
                  <p className="text-xs text-slate-600">
                    {e.fromStatus ? t('order.change', change) : t('order.created', change)}
                  </p>
                  <p className="text-xs text-slate-600">
                    <time dateTime={e.createdAt.toISOString()}>{stamp(e.createdAt)}</time>
                    {typeof e.details.reason === 'string' ? ` · ${e.details.reason}` : ''}
                  </p>
                </li>
              );
            })}
          </ol>
          <h3 className="mt-6 font-semibold">{t('order.attempts')}</h3>
          {order.attempts.length === 0 ? <p className="text-sm text-slate-600">{t('order.noAttempts')}</p> : null}
          {failed.length ? (
            <p className="mt-1 text-sm text-slate-700">
              {t('order.failedOf', { failed: failed.length, total: order.attempts.length })}
            </p>
          ) : null}
          <ul className="mt-2 space-y-2 text-sm" aria-label={t('order.attemptsLabel')}>
            {order.attempts.map((a) => (
              <li key={a.id} className="break-words">
                <span className="font-mono text-xs">{a.id.slice(0, 8)}</span> ·{' '}
                <time dateTime={a.createdAt.toISOString()}>{format.dateTime(a.createdAt, 'dateTime')}</time> ·{' '}
                <Badge tone={DELIVERY_TONE[a.status]}>{t(`deliveryStatus.${a.status}`)}</Badge> ·{' '}
                {a.droneId && a.droneCallSign ? (
                  <>
                    {droneLink({ id: a.droneId, callSign: a.droneCallSign })}{' '}
                    <span className="text-xs text-slate-600">({a.drone})</span>
                  </>
                ) : (
                  t('order.noDrone')
                )}
                {a.failureReason ? (
                  <>
                    {' '}
                    · <span className={a.status === 'failed' ? FAILED_REASON : ''}>{a.failureReason}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="act" className="h-fit rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="act" className="font-semibold">
            {t('order.actions')}
          </h2>
          <div className="mt-3 space-y-6">
            <RetryDeliveryForm orderId={order.id} mode={retryMode} />
            <ForcePickupForm orderId={order.id} cellNumber={order.cellNumber} available={canForcePickup(order)} />
            {cancellable ? <CancelOrderForm orderId={order.id} processing={order.status === 'processing'} /> : null}
          </div>
          {!cancellable && !retryMode && !canForcePickup(order) ? (
            <p className="mt-2 text-sm text-slate-600">{t('order.noActions', { status: order.status })}</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
