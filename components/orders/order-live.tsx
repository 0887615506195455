'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useNow } from 'next-intl';
import { useState, useTransition } from 'react';
import { cancelOrderAction } from '@/app/(site)/order/actions';
import { TrackingMap } from '@/components/map/tracking-map';
import type { TileConfig } from '@/components/map/map-config';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { formatDistance } from '@/lib/geo';
import { ORDER_STATUS } from '@/lib/orders/labels';
import type { OrderDetailJson } from '@/lib/orders/present';
import { DateTime } from './date-time';

const LIVE_STATUSES = new Set(['pending', 'processing', 'delivered']);

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

function formatEta(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const m = Math.round(seconds / 60);
  return m === 1 ? 'about 1 minute' : `about ${m} minutes`;
}

type MilestoneJson = OrderDetailJson['milestones'][number];

const MILESTONE_LABEL: Record<MilestoneJson['key'], string> = {
  placed: 'Order placed',
  on_the_way: 'Drone on its way',
  in_locker: 'In the locker',
  collected: 'Collected',
  cancelled: 'Cancelled',
};

function MilestoneText({ m }: { m: MilestoneJson }) {
  if (m.key === 'in_locker' && m.until) {
    return (
      <>
        In the locker until <DateTime value={m.until} />
      </>
    );
  }
  return <>{MILESTONE_LABEL[m.key]}</>;
}

/** The customer's milestones: done ones with their time, the next ones greyed. */
function Milestones({ milestones }: { milestones: MilestoneJson[] }) {
  const current = milestones.findLastIndex((m) => m.at !== null);
  return (
    <ol className="mt-4 space-y-4 border-l-2 border-slate-200 pl-5" aria-label="Order timeline">
      {milestones.map((m, i) => {
        const done = m.at !== null;
        return (
          <li key={m.key} className="relative" aria-current={i === current ? 'step' : undefined}>
            <span
              aria-hidden="true"
              className={`absolute top-1.5 -left-[27px] h-3 w-3 rounded-full border-2 ${done ? 'border-white bg-brand-600' : 'border-slate-300 bg-white'}`}
            />
            <p className={done ? 'font-medium text-slate-900' : 'text-slate-500'}>
              <MilestoneText m={m} />
              {done ? null : <span className="sr-only"> (not yet)</span>}
            </p>
            {done && m.at ? (
              <p className="text-sm text-slate-600">
                <DateTime value={m.at} />
                {m.key === 'in_locker' && m.cell_number ? ` · cell ${m.cell_number}` : ''}
              </p>
            ) : null}
            {m.key === 'cancelled' ? <p className="text-sm text-slate-700">{m.by_customer ? 'You cancelled this order.' : m.reason}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

export function OrderLive({ initial, tiles }: { initial: OrderDetailJson; tiles: TileConfig }) {
  const queryClient = useQueryClient();
  const format = useFormatter();
  // The request's time: the server and the browser's first render show the same "updated" stamp.
  const renderedAt = useNow();
  const { data: order, error, dataUpdatedAt, isFetching } = useQuery({
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
  const s = ORDER_STATUS[order.status];
  const t = order.tracking;
  const drone = t?.drone && t.drone.lat !== null && t.drone.lon !== null ? { lat: t.drone.lat, lon: t.drone.lon } : null;

  function cancel() {
    setCancelError(null);
    startTransition(async () => {
      const result = await cancelOrderAction({ order_id: order.id });
      if (!result.ok) setCancelError(result.error);
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: ['order', order.id] });
    });
  }

  return (
    <div className="mt-2 space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{order.good.name}</h1>
          <p className="mt-1 text-slate-700">
            to <span className="font-medium">{order.automat.address}</span>, {order.automat.city}
          </p>
        </div>
        <div className="text-right">
          <span data-testid="order-status">
            <Badge tone={s.tone}>{s.label}</Badge>
          </span>
          <p className="mt-1 text-xs text-slate-600" aria-live="off">
            {error instanceof HttpError && error.status === 401
              ? 'Signed out: sign in again to see live updates.'
              : error
                ? 'Connection lost; retrying…'
                : LIVE_STATUSES.has(order.status)
                  ? `Live${isFetching ? ' · updating' : ''} · ${format.dateTime(dataUpdatedAt, 'clock')}`
                  : ''}
          </p>
        </div>
      </div>

      <div role="status" aria-live="polite">
        {order.status === 'delivered' && order.cell_number ? (
          <Alert tone="success" title={`Your parcel is in cell ${order.cell_number}`}>
            Go to {order.automat.address} and hold your pickup code up to the locker&apos;s camera
            {order.pickup_pin ? (
              <>
                , or type PIN <strong className="font-mono tracking-widest">{order.pickup_pin}</strong> on its keypad
              </>
            ) : null}
            .{' '}
            <Link href="/pickup" className="font-semibold underline">
              Show my pickup code
            </Link>
          </Alert>
        ) : (
          <p className="text-slate-800">{s.hint}</p>
        )}
      </div>

      {order.status === 'processing' ? (
        <section aria-labelledby="track-h" className="grid gap-4 lg:grid-cols-[2fr_1fr]">
          {/* The ETA first: on a phone it sits above the map; on wide screens the map takes the left. */}
          <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="track-h" className="font-semibold">
              Delivery
            </h2>
            <dl className="mt-2 space-y-2 text-sm">
              <div>
                <dt className="text-slate-600">Arrives in</dt>
                <dd className="text-lg font-semibold" data-testid="eta">
                  {t?.eta_seconds != null ? formatEta(t.eta_seconds) : t?.delivery_status === 'assigned' ? 'Drone is getting ready' : 'Waiting for the drone’s position'}
                </dd>
              </div>
              {t?.distance_m != null ? (
                <div>
                  <dt className="text-slate-600">Distance to the locker</dt>
                  <dd>{formatDistance(t.distance_m)}</dd>
                </div>
              ) : null}
              {t?.drone?.last_seen_seconds_ago != null ? (
                <div>
                  <dt className="text-slate-600">Last position</dt>
                  <dd>{t.drone.last_seen_seconds_ago < 5 ? 'just now' : `${t.drone.last_seen_seconds_ago} s ago`}</dd>
                </div>
              ) : null}
            </dl>
          </div>
          <div className="h-72 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm sm:h-96 lg:order-first">
            <TrackingMap drone={drone} automat={order.automat} automatLabel={order.automat.address} tiles={tiles} />
          </div>
        </section>
      ) : null}

      <section aria-labelledby="timeline-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <h2 id="timeline-h" className="font-semibold">
          Timeline
        </h2>
        <Milestones milestones={order.milestones} />
      </section>

      {order.status === 'pending' ? (
        <section aria-label="Cancel the order" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          {cancelError ? <Alert title="Not cancelled">{cancelError}</Alert> : null}
          {confirming ? (
            <div className="flex flex-wrap items-center gap-3">
              <p className="font-medium">Cancel this order? The item goes back on sale.</p>
              <Button variant="danger" onClick={cancel} disabled={pending} aria-busy={pending}>
                {pending ? 'Cancelling…' : 'Yes, cancel the order'}
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
                Keep it
              </Button>
            </div>
          ) : (
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-sm text-slate-700">You can cancel until a drone takes the order.</p>
              <Button variant="secondary" onClick={() => setConfirming(true)}>
                Cancel order
              </Button>
            </div>
          )}
        </section>
      ) : null}

      {order.status === 'cancelled' || order.status === 'completed' ? (
        <ButtonLink href="/catalog" variant="secondary">
          Order something else
        </ButtonLink>
      ) : null}
    </div>
  );
}
