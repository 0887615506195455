import type { Metadata } from 'next';
import { getFormatter } from 'next-intl/server';
import { readFilters } from '@/lib/validation/form';
import { Stat } from '@/components/admin/page-parts';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { db } from '@/db';
import { analyticsPeriod, cellUtilization, deliveryDurations, failureReasons, fleetUtilization, ordersPerDay, type CellCounts } from '@/db/queries/analytics';
import { CellUtilizationChart, DroneUtilizationChart, FailureReasonsChart, OrdersPerDayChart } from '@/components/admin/analytics-charts';
import { Alert } from '@/components/ui/alert';
import { env } from '@/env';
import { cellMetric, cellMetricText } from '@/lib/cell-metric';
import { plural } from '@/lib/admin/plural';
import { requireAdminPage } from '@/lib/auth/session';
import { ANALYTICS_PERIODS, DEFAULT_ANALYTICS_PERIOD, analyticsFilterSchema } from '@/lib/validation/analytics';

export const metadata: Metadata = { title: 'Analytics' };
export const dynamic = 'force-dynamic';

const TOP_REASONS = 8;

const pct100 = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

/** "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h". */
function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}

function Section({ id, title, intro, children }: { id: string; title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {intro ? <p className="mt-1 text-sm text-slate-700">{intro}</p> : null}
      </div>
      {children}
    </section>
  );
}

function Card({ children }: { children: ReactNode }) {
  return <div className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">{children}</div>;
}

const th = 'px-3 py-2 font-semibold';
const td = 'px-3 py-2';

/** The one cell metric (lib/cell-metric.ts): share free of the cells in service, and the counts. */
const freePct = (c: CellCounts) => pct100(cellMetric(c).freeShare);
const cellsText = (c: CellCounts) => cellMetricText(cellMetric(c));

export default async function AdminAnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/analytics');
  const raw = await searchParams;
  const { filters: { days }, valid } = readFilters(analyticsFilterSchema, raw);
  const now = new Date();
  const period = analyticsPeriod({ days, now });
  const onlineGapS = env().DRONE_OFFLINE_TIMEOUT_S;

  const [perDay, durations, fleet, cells, failures] = await Promise.all([
    ordersPerDay(db, { days, now }),
    deliveryDurations(db, { days, now }),
    fleetUtilization(db, { days, now }),
    cellUtilization(db),
    failureReasons(db, { days, now, limit: TOP_REASONS }),
  ]);

  const orderTotals = perDay.reduce((t, d) => ({ completed: t.completed + d.completed, cancelled: t.cancelled + d.cancelled, open: t.open + d.open }), { completed: 0, cancelled: 0, open: 0 });
  const placed = orderTotals.completed + orderTotals.cancelled + orderTotals.open;
  const measured = fleet.drones.filter((d) => d.utilization !== null);
  const format = await getFormatter();
  const pct = (ratio: number | null) => (ratio === null ? '—' : format.number(ratio, { style: 'percent', maximumFractionDigits: 1 }));
  const freeShare = (c: CellCounts) => pct(cellMetric(c).freeShare);
  // The period's days are UTC days, as the analytics queries bucket them.
  const periodText = format.dateTimeRange(period.from, period.to, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

  return (
    <div className="space-y-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Analytics</h1>
          <p className="mt-1 text-slate-700">
            Last {days} days: {periodText} (UTC days, today up to now).
          </p>
        </div>
        <nav aria-label="Period" className="flex flex-wrap gap-1 rounded-lg border border-slate-200 bg-white p-1 shadow-sm">
          {ANALYTICS_PERIODS.map((d) => (
            <Link
              key={d}
              href={`/admin/analytics?days=${d}`}
              aria-current={d === days ? 'page' : undefined}
              className={`rounded-md px-3 py-2 text-sm font-medium ${d === days ? 'bg-brand-700 text-white' : 'text-brand-700 hover:bg-brand-50'}`}
            >
              Last {d} days
            </Link>
          ))}
        </nav>
      </div>

      {valid ? null : (
        <Alert tone="info">
          The period can be the last {ANALYTICS_PERIODS.join(', ')} days; showing the last {DEFAULT_ANALYTICS_PERIOD} days.
        </Alert>
      )}

      <section aria-labelledby="summary-h">
        <h2 id="summary-h" className="sr-only">
          Summary
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          <Stat label="Orders placed" value={placed} hint={`${orderTotals.completed} collected, ${orderTotals.cancelled} cancelled, ${orderTotals.open} open`} />
          <Stat label="Delivery time, average" value={duration(durations.delivery.avgS)} hint={`p90 ${duration(durations.delivery.p90S)} · ${plural(durations.delivery.count, 'delivery', 'deliveries')}`} />
          <Stat label="Order to pickup, average" value={duration(durations.orderToPickup.avgS)} hint={`p90 ${duration(durations.orderToPickup.p90S)} · ${plural(durations.orderToPickup.count, 'order', 'orders')}`} />
          <Stat label="Fleet utilization" value={pct(fleet.overall.utilization)} hint={`${duration(fleet.overall.busyS)} busy of ${duration(fleet.overall.onlineS)} online`} />
          <Stat label="Failed deliveries" value={failures.failed} />
          <Stat label="Pickup cells free now" value={freeShare(cells.total.external)} hint={cellsText(cells.total.external)} />
          <Stat label="Drop cells free now" value={freeShare(cells.total.internal)} hint={cellsText(cells.total.internal)} />
        </dl>
      </section>

      <Section id="orders-h" title="Orders per day" intro="Orders placed each UTC day, by where they stand now: collected by the customer, cancelled, or still open (waiting, in flight or in a locker).">
        <Card>
          <OrdersPerDayChart data={perDay} days={days} />
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-brand-700">Numbers for each day</summary>
            <div className="mt-2 max-h-96 overflow-auto">
              <table className="min-w-full text-left text-sm">
                <caption className="sr-only">Orders placed per UTC day, last {days} days</caption>
                <thead className="sticky top-0 bg-slate-50 text-slate-700">
                  <tr>
                    <th scope="col" className={th}>Day (UTC)</th>
                    <th scope="col" className={`${th} text-right`}>Collected</th>
                    <th scope="col" className={`${th} text-right`}>Cancelled</th>
                    <th scope="col" className={`${th} text-right`}>Still open</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 tabular-nums">
                  {perDay.map((d) => (
                    <tr key={d.day}>
                      <th scope="row" className={`${td} font-normal`}>{d.day}</th>
                      <td className={`${td} text-right`}>{d.completed}</td>
                      <td className={`${td} text-right`}>{d.cancelled}</td>
                      <td className={`${td} text-right`}>{d.open}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </Card>
      </Section>

      <Section id="durations-h" title="Delivery times">
        <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Delivery times, last {days} days</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className={th}>Measure</th>
                <th scope="col" className={`${th} text-right`}>Count</th>
                <th scope="col" className={`${th} text-right`}>Average</th>
                <th scope="col" className={`${th} text-right`}>90th percentile</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              <tr>
                <th scope="row" className={`${td} font-normal`}>
                  <span className="font-medium">Delivery</span>
                  <span className="block text-xs text-slate-600">Drone starts → parcel moved to the pickup cell, for deliveries completed in the period</span>
                </th>
                <td className={`${td} text-right`}>{durations.delivery.count}</td>
                <td className={`${td} text-right`}>{duration(durations.delivery.avgS)}</td>
                <td className={`${td} text-right`}>{duration(durations.delivery.p90S)}</td>
              </tr>
              <tr>
                <th scope="row" className={`${td} font-normal`}>
                  <span className="font-medium">Order to pickup</span>
                  <span className="block text-xs text-slate-600">Order placed → customer collects it, for orders collected in the period</span>
                </th>
                <td className={`${td} text-right`}>{durations.orderToPickup.count}</td>
                <td className={`${td} text-right`}>{duration(durations.orderToPickup.avgS)}</td>
                <td className={`${td} text-right`}>{duration(durations.orderToPickup.p90S)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        {durations.delivery.count + durations.orderToPickup.count === 0 ? <p className="text-sm text-slate-700">No delivery was completed and no parcel was collected in the last {days} days.</p> : null}
      </Section>

      <Section
        id="fleet-h"
        title="Fleet utilization"
        intro={`Share of each drone's online time spent on a delivery. Overall: ${pct(fleet.overall.utilization)} (${duration(fleet.overall.busyS)} busy of ${duration(fleet.overall.onlineS)} online).`}
      >
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <DroneUtilizationChart data={measured.map((d) => ({ label: d.callSign, utilizationPct: pct100(d.utilization) ?? 0 }))} days={days} />
          </Card>
          <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">Drone utilization, last {days} days</caption>
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={th}>Drone</th>
                  <th scope="col" className={`${th} text-right`}>Online</th>
                  <th scope="col" className={`${th} text-right`}>Busy</th>
                  <th scope="col" className={`${th} text-right`}>Utilization</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {fleet.drones.map((d) => (
                  <tr key={d.droneId}>
                    <th scope="row" className={`${td} font-normal`}>
                      <Link href={`/admin/drones/${d.droneId}`} className="font-medium text-brand-700 underline">
                        {d.callSign}
                      </Link>
                      <span className="block text-xs text-slate-600">{d.model}</span>
                    </th>
                    <td className={`${td} text-right`}>{d.onlineS > 0 ? duration(d.onlineS) : 'not online'}</td>
                    <td className={`${td} text-right`}>{duration(d.busyS)}</td>
                    <td className={`${td} text-right`}>{pct(d.utilization)}</td>
                  </tr>
                ))}
                {fleet.drones.length === 0 ? (
                  <tr>
                    <td colSpan={4} className={`${td} text-slate-700`}>
                      No drones are registered.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </div>
      </Section>

      <Section id="cells-h" title="Locker cells free now" intro="Free cells out of the cells in service (cells under maintenance are not counted as capacity). This is the state now, not over the period.">
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CellUtilizationChart data={cells.automats.map((a) => ({ label: a.address, externalPct: freePct(a.external), internalPct: freePct(a.internal) }))} />
          </Card>
          <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">Locker cells free now</caption>
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={th}>Locker</th>
                  <th scope="col" className={`${th} text-right`}>Pickup cells</th>
                  <th scope="col" className={`${th} text-right`}>Drop cells</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {cells.automats.map((a) => (
                  <tr key={a.automatId}>
                    <th scope="row" className={`${td} font-normal`}>
                      <span className="font-medium">{a.address}</span>
                      <span className="block text-xs text-slate-600">
                        {a.city}
                        {a.isWorking ? '' : ' · closed'}
                      </span>
                    </th>
                    <td className={`${td} text-right`}>
                      {freeShare(a.external)}
                      <span className="block text-xs text-slate-600">{cellsText(a.external)}</span>
                    </td>
                    <td className={`${td} text-right`}>
                      {freeShare(a.internal)}
                      <span className="block text-xs text-slate-600">{cellsText(a.internal)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
              {cells.automats.length > 0 ? (
                <tfoot className="border-t border-slate-200 bg-slate-50 font-semibold tabular-nums">
                  <tr>
                    <th scope="row" className={th}>All lockers</th>
                    <td className={`${td} text-right`}>
                      {freeShare(cells.total.external)}
                      <span className="block text-xs font-normal text-slate-600">{cellsText(cells.total.external)}</span>
                    </td>
                    <td className={`${td} text-right`}>
                      {freeShare(cells.total.internal)}
                      <span className="block text-xs font-normal text-slate-600">{cellsText(cells.total.internal)}</span>
                    </td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
        </div>
      </Section>

      <Section id="failures-h" title="Why deliveries failed" intro={`The ${TOP_REASONS} most frequent reasons given for failed deliveries in the period (spelling differences in case or spaces count as one reason).`}>
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <FailureReasonsChart data={failures.reasons} days={days} />
          </Card>
          {failures.failed > 0 ? (
            <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
              <table className="min-w-full text-left text-sm">
                <caption className="sr-only">Failed deliveries by reason, last {days} days</caption>
                <thead className="bg-slate-50 text-slate-700">
                  <tr>
                    <th scope="col" className={th}>Reason</th>
                    <th scope="col" className={`${th} text-right`}>Failed deliveries</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 tabular-nums">
                  {failures.reasons.map((r) => (
                    <tr key={r.reason}>
                      <th scope="row" className={`${td} font-normal break-words`}>{r.reason}</th>
                      <td className={`${td} text-right`}>{r.count}</td>
                    </tr>
                  ))}
                  {failures.other > 0 ? (
                    <tr>
                      <th scope="row" className={`${td} font-normal text-slate-700`}>Other reasons</th>
                      <td className={`${td} text-right`}>{failures.other}</td>
                    </tr>
                  ) : null}
                </tbody>
                <tfoot className="border-t border-slate-200 bg-slate-50 font-semibold tabular-nums">
                  <tr>
                    <th scope="row" className={th}>All failures</th>
                    <td className={`${td} text-right`}>{failures.failed}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          ) : null}
        </div>
      </Section>

      <section aria-labelledby="how-h" className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm">
        <h2 id="how-h" className="text-base font-semibold text-slate-900">
          How these numbers are computed
        </h2>
        <dl className="mt-3 space-y-3">
          <div>
            <dt className="font-medium text-slate-900">Period and days</dt>
            <dd>The last {days} calendar days in UTC, today included, from midnight UTC of the first day until now. Orders count on the UTC day they were placed.</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Delivery time</dt>
            <dd>
              From the drone&apos;s start to the locker moving the parcel into the pickup cell, for deliveries completed in the period. The 90th percentile is interpolated: nine in ten deliveries took at most this long.
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Order to pickup</dt>
            <dd>From the order being placed to the customer collecting it (the order&apos;s &ldquo;collected&rdquo; timeline event), for orders collected in the period.</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Online time</dt>
            <dd>
              A drone is online between two consecutive telemetry readings at most {onlineGapS} s apart (the timeout after which the system marks a drone offline); a longer silence counts as offline. Drones report about once a second while on.
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Busy time and utilization</dt>
            <dd>
              A drone is busy from being assigned a delivery until it drops the parcel, the delivery fails, or now if it is still flying. Utilization is busy time while online divided by online time, so it is between 0% and 100%; the fleet figure is total busy time over total online time.
              Drones with no online time in the period have no utilization.
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Free cells</dt>
            <dd>
              The same figure as everywhere in the portal: cells free now (not booked for an order and not holding a parcel) out of the cells in service (cells under maintenance are counted apart), right now; pickup
              (outside) and drop (inside) cells separately.
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-900">Failure reasons</dt>
            <dd>The reason recorded with each delivery that failed in the period (reported by the drone, or set by the system, e.g. &ldquo;drone offline&rdquo;).</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}
