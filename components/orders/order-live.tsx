'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PageLink } from '@/components/ui/page-link';
import { useFormatter, useNow, useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { cancelOrderAction } from '@/app/(site)/order/actions';
import { TrackingMap } from '@/components/map/tracking-map';
import type { TileConfig } from '@/components/map/map-config';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { distanceText } from '@/lib/geo';
import { ORDER_STATUS } from '@/lib/orders/labels';
import type { OrderDetailJson } from '@/lib/orders/present';
import { DateTime } from './date-time';
import { cx } from '@/lib/cx';
import { canCancelAsCustomer } from '@/lib/lifecycle/guards';
import { CELL_HOLDING_ORDER_STATUSES } from '@/db/statuses';

// Open orders (they hold their pickup cell) are the ones still changing: they poll.
const LIVE_STATUSES = new Set<string>(CELL_HOLDING_ORDER_STATUSES);

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function fetchOrder(id: string): Promise<OrderDetailJson> {
  const res = await fetch(`/api/me/orders/${id}`, { cache: 'no-store' });
  if (!res.ok) throw new HttpError(res.status);
  return ((await res.json()) as { order: OrderDetailJson }).order;
}

type MilestoneJson = OrderDetailJson['milestones'][number];

/** The customer's milestones: done ones with their time, the next ones greyed. */
function Milestones({ milestones, callSign }: { milestones: MilestoneJson[]; callSign: string | null }) {
  const t = useTranslations('tracking.timeline');
  const format = useFormatter();
  const current = milestones.findLastIndex((m) => m.at !== null);
  function label(m: MilestoneJson) {
    switch (m.key) {
      case 'placed':
        return t('placed');
      case 'on_the_way': {
        // The milestone's drone (it stays named after the delivery); the live one while flying.
        const name = m.call_sign ?? callSign;
        return name ? t('onTheWayDrone', { callSign: name }) : t('onTheWay');
      }
      case 'in_locker': {
        const until = m.until;
        return until
          ? t.rich('inLockerUntil', {
              date: format.dateTime(new Date(until), 'dateTime'),
              time: (chunks) => <time dateTime={until}>{chunks}</time>,
            })
          : t('inLocker');
      }
      case 'collected':
        return t('collected');
      case 'cancelled':
        return t('cancelled');
    }
  }
  return (
    <ol className="mt-4 space-y-4 border-l-2 border-slate-200 pl-5" aria-label={t('label')}>
      {milestones.map((m, i) => {
        const done = m.at !== null;
        return (
          <li key={m.key} className="relative" aria-current={i === current ? 'step' : undefined} data-milestone={m.key}>
            <span
              aria-hidden="true"
              className={cx(
                'absolute top-1.5 -left-[27px] h-3 w-3 rounded-full border-2',
                done ? 'border-white bg-brand-600' : 'border-slate-300 bg-white',
              )}
            />
            <p className={done ? 'font-medium text-slate-900' : 'text-slate-500'}>
              {label(m)}
              {done ? null : <span className="sr-only"> {t('notYet')}</span>}
            </p>
            {done && m.at ? (
              <p className="text-sm text-slate-600">
                <DateTime value={m.at} />
                {m.key === 'in_locker' && m.cell_number ? ` · ${t('cell', { cell: String(m.cell_number) })}` : ''}
              </p>
            ) : null}
            {m.key === 'cancelled' ? (
              <p className="text-sm text-slate-700">{m.by_customer ? t('youCancelled') : m.reason}</p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

export function OrderLive({ initial, tiles }: { initial: OrderDetailJson; tiles: TileConfig }) {
  const queryClient = useQueryClient();
  const format = useFormatter();
  const t = useTranslations('tracking');
  const tStatus = useTranslations('orders.status');
  // The request's time: the server and the browser's first render show the same "updated" stamp.
  const renderedAt = useNow();
  const {
    data: order,
    error,
    dataUpdatedAt,
    isFetching,
  } = useQuery({
    queryKey: ['order', initial.id],
    queryFn: () => fetchOrder(initial.id),
    initialData: initial,
    initialDataUpdatedAt: renderedAt.getTime(),
    // The server just rendered this data: no fetch at mount, so the first render ("Live ·
    // <time>", not "updating") matches the server's; the 2 s polling starts after it.
    refetchOnMount: false,
    // Live orders poll every 2 s, so the page is never more than ~3 s stale.
    refetchInterval: (q) => (LIVE_STATUSES.has(q.state.data?.status ?? '') ? 2000 : false),
    refetchIntervalInBackground: false,
  });
  const [confirming, setConfirming] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const tone = ORDER_STATUS[order.status].tone;
  const tr = order.tracking;
  const drone =
    tr?.drone && tr.drone.lat !== null && tr.drone.lon !== null ? { lat: tr.drone.lat, lon: tr.drone.lon } : null;
  // The drone of the current attempt, by the call sign operators and the map use too.
  const callSign = tr?.drone?.call_sign ?? null;

  function cancel() {
    setCancelError(null);
    startTransition(async () => {
      const result = await cancelOrderAction({ order_id: order.id });
      if (!result.ok) setCancelError(result.error);
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['order', order.id] });
    });
  }

  const clock = format.dateTime(dataUpdatedAt, 'clock');
  const eta =
    tr?.eta_seconds != null
      ? tr.eta_seconds < 60
        ? t('delivery.lessThanMinute')
        : t('delivery.minutes', { count: Math.round(tr.eta_seconds / 60) })
      : tr?.delivery_status === 'assigned'
        ? t('delivery.gettingReady')
        : t('delivery.waitingPosition');

  return (
    <div className="mt-2 space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{order.good.name}</h1>
          <p className="mt-1 text-slate-700">
            {t.rich('to', {
              address: order.automat.address,
              city: order.automat.city,
              b: (chunks) => <span className="font-medium">{chunks}</span>,
            })}
          </p>
        </div>
        <div className="text-right">
          <span data-testid="order-status" data-status={order.status}>
            <Badge tone={tone}>{tStatus(order.status)}</Badge>
          </span>
          <p className="mt-1 text-xs text-slate-600" aria-live="off" data-testid="live-line">
            {error instanceof HttpError && error.status === 401
              ? t('live.signedOut')
              : error
                ? t('live.lost')
                : LIVE_STATUSES.has(order.status)
                  ? isFetching
                    ? t('live.updating', { time: clock })
                    : t('live.live', { time: clock })
                  : ''}
          </p>
        </div>
      </div>

      <div role="status" aria-live="polite">
        {order.status === 'delivered' && order.cell_number ? (
          <Alert tone="success" title={t('ready.title', { cell: String(order.cell_number) })}>
            {order.pickup_pin
              ? t.rich('ready.qrOrPin', {
                  address: order.automat.address,
                  pin: order.pickup_pin,
                  // A PIN is read digit by digit: spaced and monospaced.
                  code: (chunks) => <strong className="font-mono tracking-widest">{chunks}</strong>,
                })
              : t('ready.qr', { address: order.automat.address })}{' '}
            <PageLink href="/pickup" className="font-semibold underline">
              {t('ready.showCode')}
            </PageLink>
          </Alert>
        ) : (
          <p className="text-slate-800" data-testid="status-hint">
            {order.status === 'processing' && callSign
              ? t('hint.processingDrone', { callSign })
              : t(`hint.${order.status}`)}
          </p>
        )}
      </div>

      {order.status === 'processing' ? (
        <section aria-labelledby="track-h" className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          {/* The ETA first: on a phone it sits above the map; on wide screens the map takes the left. */}
          <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="track-h" className="font-semibold">
              {t('delivery.title')}
            </h2>
            <dl className="mt-2 space-y-2 text-sm">
              {callSign ? (
                <div>
                  <dt className="text-slate-600">{t('delivery.drone')}</dt>
                  <dd className="font-mono font-semibold" data-testid="drone-call-sign">
                    {callSign}
                  </dd>
                </div>
              ) : null}
              <div>
                <dt className="text-slate-600">{t('delivery.arrivesIn')}</dt>
                <dd className="text-lg font-semibold" data-testid="eta">
                  {eta}
                </dd>
              </div>
              {tr?.distance_m != null ? (
                <div>
                  <dt className="text-slate-600">{t('delivery.distance')}</dt>
                  <dd>{distanceText(format, tr.distance_m)}</dd>
                </div>
              ) : null}
              {tr?.drone?.last_seen_seconds_ago != null ? (
                <div>
                  <dt className="text-slate-600">{t('delivery.lastPosition')}</dt>
                  <dd>
                    {tr.drone.last_seen_seconds_ago < 5
                      ? t('delivery.justNow')
                      : t('delivery.secondsAgo', { count: tr.drone.last_seen_seconds_ago })}
                  </dd>
                </div>
              ) : null}
            </dl>
          </div>
          <div
            className={cx(
              'h-72 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm',
              'sm:h-96 lg:order-first',
            )}
          >
            <TrackingMap
              drone={drone}
              automat={order.automat}
              automatLabel={order.automat.address}
              droneLabel={callSign ?? undefined}
              tiles={tiles}
            />
          </div>
        </section>
      ) : null}

      <section
        aria-labelledby="timeline-h"
        className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
      >
        <h2 id="timeline-h" className="font-semibold">
          {t('timeline.title')}
        </h2>
        <Milestones milestones={order.milestones} callSign={callSign} />
      </section>

      {canCancelAsCustomer(order) ? (
        <section aria-label={t('cancel.label')} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          {cancelError ? <Alert title={t('cancel.notCancelled')}>{cancelError}</Alert> : null}
          {confirming ? (
            <div className="flex flex-wrap items-center gap-3">
              <p className="font-medium">{t('cancel.confirm')}</p>
              <Button variant="danger" onClick={cancel} disabled={pending} aria-busy={pending}>
                {pending ? t('cancel.cancelling') : t('cancel.yes')}
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
                {t('cancel.keep')}
              </Button>
            </div>
          ) : (
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm text-slate-700">{t('cancel.until')}</p>
              <Button variant="secondary" onClick={() => setConfirming(true)}>
                {t('cancel.button')}
              </Button>
            </div>
          )}
        </section>
      ) : null}

      {order.status === 'cancelled' || order.status === 'completed' ? (
        <ButtonLink href="/catalog" variant="secondary">
          {t('orderAgain')}
        </ButtonLink>
      ) : null}
    </div>
  );
}
