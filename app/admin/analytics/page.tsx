import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import { readFilters } from '@/lib/validation/form';
import { Stat } from '@/components/admin/page-parts';
import { PageLink } from '@/components/ui/page-link';
import type { ReactNode } from 'react';
import { db } from '@/db';
import {
  analyticsPeriod,
  cellUtilization,
  deliveryDurations,
  failureReasons,
  fleetUtilization,
  ordersPerDay,
  type CellCounts,
} from '@/db/queries/analytics';
import {
  CellUtilizationChart,
  DroneUtilizationChart,
  FailureReasonsChart,
  OrdersPerDayChart,
} from '@/components/admin/analytics-charts';
import { Alert } from '@/components/ui/alert';
import { env } from '@/env';
import { cellMetric, type CellMetric } from '@/lib/cell-metric';
import { requireAdminPage } from '@/lib/auth/session';
import { ANALYTICS_PERIODS, DEFAULT_ANALYTICS_PERIOD, analyticsFilterSchema } from '@/lib/validation/analytics';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminOps.analytics'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

const TOP_REASONS = 8;

const pct100 = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

type NumberFormat = { number(value: number, options?: Intl.NumberFormatOptions): string };

/** "45 sec", "12 min 5 sec", "3 hr 20 min", "2 days 4 hr" (in the page's language): the two largest units. */
function durationText(format: NumberFormat, seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  const unit = (n: number, u: 'second' | 'minute' | 'hour' | 'day') =>
    format.number(n, { style: 'unit', unit: u, unitDisplay: 'short' });
  const two = ({
    big,
    bigUnit,
    small,
    smallUnit,
  }: {
    big: number;
    bigUnit: 'minute' | 'hour' | 'day';
    small: number;
    smallUnit: 'second' | 'minute' | 'hour';
  }) => (small ? `${unit(big, bigUnit)} ${unit(small, smallUnit)}` : unit(big, bigUnit));
  if (s < 60) return unit(s, 'second');
  if (s < 3600) return two({ big: Math.floor(s / 60), bigUnit: 'minute', small: s % 60, smallUnit: 'second' });
  if (s < 172_800)
    return two({ big: Math.floor(s / 3600), bigUnit: 'hour', small: Math.floor((s % 3600) / 60), smallUnit: 'minute' });
  return two({
    big: Math.floor(s / 86_400),
    bigUnit: 'day',
    small: Math.floor((s % 86_400) / 3600),
    smallUnit: 'hour',
  });
}

function Section({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
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

export default async function AdminAnalyticsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/analytics');
  const raw = await searchParams;
  const {
    filters: { days },
    valid,
  } = readFilters(analyticsFilterSchema, raw);
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

  const orderTotals = perDay.reduce(
    (t, d) => ({ completed: t.completed + d.completed, cancelled: t.cancelled + d.cancelled, open: t.open + d.open }),
    { completed: 0, cancelled: 0, open: 0 },
  );
  const placed = orderTotals.completed + orderTotals.cancelled + orderTotals.open;
  const measured = fleet.drones.filter((d) => d.utilization !== null);
  const [format, t] = await Promise.all([getFormatter(), getTranslations('adminOps.analytics')]);
  const pct = (ratio: number | null) =>
    ratio === null ? '—' : format.number(ratio, { style: 'percent', maximumFractionDigits: 1 });
  const duration = (seconds: number | null) => durationText(format, seconds);
  const freeShare = (c: CellCounts) => pct(cellMetric(c).freeShare);
  /** "9 free of 10", "9 free of 10, 1 under maintenance", "all 2 under maintenance", "no cells". */
  const metricText = (m: CellMetric) =>
    m.total === 0
      ? t('cells.none')
      : m.inService === 0
        ? t('cells.allMaintenance', { count: m.maintenance })
        : m.maintenance > 0
          ? t('cells.freeMaintenance', { free: m.free, inService: m.inService, maintenance: m.maintenance })
          : t('cells.free', { free: m.free, inService: m.inService });
  const cellsText = (c: CellCounts) => metricText(cellMetric(c));
  // The period's days are UTC days, as the analytics queries bucket them.
  const periodText = format.dateTimeRange(period.from, period.to, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const utcDay = (day: string) =>
    format.dateTime(new Date(`${day}T00:00:00Z`), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

  return (
    <div className="space-y-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('title')}</h1>
          <p className="mt-1 text-slate-700">{t('period', { days, range: periodText })}</p>
        </div>
        <nav
          aria-label={t('periodNav')}
          className="flex flex-wrap gap-1 rounded-lg border border-slate-200 bg-white p-1 shadow-sm"
        >
          {ANALYTICS_PERIODS.map((d) => (
            <PageLink
              key={d}
              href={`/admin/analytics?days=${d}`}
              aria-current={d === days ? 'page' : undefined}
              className={cx(
                'rounded-md px-3 py-2 text-sm font-medium',
                d === days ? 'bg-brand-700 text-white' : 'text-brand-700 hover:bg-brand-50',
              )}
            >
              {t('lastDays', { days: d })}
            </PageLink>
          ))}
        </nav>
      </div>

      {valid ? null : (
        <Alert tone="info">
          {t('invalidPeriod', {
            periods: format.list(ANALYTICS_PERIODS.map(String), { type: 'disjunction' }),
            days: DEFAULT_ANALYTICS_PERIOD,
          })}
        </Alert>
      )}

      <section aria-labelledby="summary-h">
        <h2 id="summary-h" className="sr-only">
          {t('summary')}
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          <Stat label={t('stat.placed')} value={format.number(placed)} hint={t('stat.placedHint', orderTotals)} />
          <Stat
            label={t('stat.delivery')}
            value={duration(durations.delivery.avgS)}
            hint={t('stat.deliveryHint', { p90: duration(durations.delivery.p90S), count: durations.delivery.count })}
          />
          <Stat
            label={t('stat.pickup')}
            value={duration(durations.orderToPickup.avgS)}
            hint={t('stat.pickupHint', {
              p90: duration(durations.orderToPickup.p90S),
              count: durations.orderToPickup.count,
            })}
          />
          <Stat
            label={t('stat.utilization')}
            value={pct(fleet.overall.utilization)}
            hint={t('stat.utilizationHint', {
              busy: duration(fleet.overall.busyS),
              online: duration(fleet.overall.onlineS),
            })}
          />
          <Stat label={t('stat.failed')} value={format.number(failures.failed)} />
          <Stat
            label={t('stat.pickupCells')}
            value={freeShare(cells.total.external)}
            hint={cellsText(cells.total.external)}
          />
          <Stat
            label={t('stat.dropCells')}
            value={freeShare(cells.total.internal)}
            hint={cellsText(cells.total.internal)}
          />
        </dl>
      </section>

      <Section id="orders-h" title={t('ordersPerDay.title')} intro={t('ordersPerDay.intro')}>
        <Card>
          <OrdersPerDayChart data={perDay} days={days} />
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-brand-700">{t('ordersPerDay.numbers')}</summary>
            <div className="mt-2 max-h-96 overflow-auto">
              <table className="min-w-full text-left text-sm">
                <caption className="sr-only">{t('ordersPerDay.caption', { days })}</caption>
                <thead className="sticky top-0 bg-slate-50 text-slate-700">
                  <tr>
                    <th scope="col" className={th}>
                      {t('ordersPerDay.day')}
                    </th>
                    <th scope="col" className={`${th} text-right`}>
                      {t('ordersPerDay.collected')}
                    </th>
                    <th scope="col" className={`${th} text-right`}>
                      {t('ordersPerDay.cancelled')}
                    </th>
                    <th scope="col" className={`${th} text-right`}>
                      {t('ordersPerDay.open')}
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 tabular-nums">
                  {perDay.map((d) => (
                    <tr key={d.day}>
                      <th scope="row" className={`${td} font-normal whitespace-nowrap`}>
                        {utcDay(d.day)}
                      </th>
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

      <Section id="durations-h" title={t('durations.title')}>
        <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t('durations.caption', { days })}</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className={th}>
                  {t('durations.measure')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('durations.count')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('durations.average')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('durations.p90')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              <tr>
                <th scope="row" className={`${td} font-normal`}>
                  <span className="font-medium">{t('durations.delivery')}</span>
                  <span className="block text-xs text-slate-600">{t('durations.deliveryHint')}</span>
                </th>
                <td className={`${td} text-right`}>{durations.delivery.count}</td>
                <td className={`${td} text-right`}>{duration(durations.delivery.avgS)}</td>
                <td className={`${td} text-right`}>{duration(durations.delivery.p90S)}</td>
              </tr>
              <tr>
                <th scope="row" className={`${td} font-normal`}>
                  <span className="font-medium">{t('durations.pickup')}</span>
                  <span className="block text-xs text-slate-600">{t('durations.pickupHint')}</span>
                </th>
                <td className={`${td} text-right`}>{durations.orderToPickup.count}</td>
                <td className={`${td} text-right`}>{duration(durations.orderToPickup.avgS)}</td>
                <td className={`${td} text-right`}>{duration(durations.orderToPickup.p90S)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        {durations.delivery.count + durations.orderToPickup.count === 0 ? (
          <p className="text-sm text-slate-700">{t('durations.none', { days })}</p>
        ) : null}
      </Section>

      <Section
        id="fleet-h"
        title={t('fleet.title')}
        intro={t('fleet.intro', {
          pct: pct(fleet.overall.utilization),
          busy: duration(fleet.overall.busyS),
          online: duration(fleet.overall.onlineS),
        })}
      >
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <DroneUtilizationChart
              data={measured.map((d) => ({ label: d.callSign, utilizationPct: pct100(d.utilization) ?? 0 }))}
              days={days}
            />
          </Card>
          <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t('fleet.caption', { days })}</caption>
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={th}>
                    {t('fleet.drone')}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t('fleet.online')}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t('fleet.busy')}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t('fleet.utilization')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {fleet.drones.map((d) => (
                  <tr key={d.droneId}>
                    <th scope="row" className={`${td} font-normal`}>
                      <PageLink href={`/admin/drones/${d.droneId}`} className="font-medium text-brand-700 underline">
                        {d.callSign}
                      </PageLink>
                      <span className="block text-xs text-slate-600">{d.model}</span>
                    </th>
                    <td className={`${td} text-right`}>{d.onlineS > 0 ? duration(d.onlineS) : t('fleet.notOnline')}</td>
                    <td className={`${td} text-right`}>{duration(d.busyS)}</td>
                    <td className={`${td} text-right`}>{pct(d.utilization)}</td>
                  </tr>
                ))}
                {fleet.drones.length === 0 ? (
                  <tr>
                    <td colSpan={4} className={`${td} text-slate-700`}>
                      {t('fleet.noDrones')}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </div>
      </Section>

      <Section id="cells-h" title={t('lockers.title')} intro={t('lockers.intro')}>
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CellUtilizationChart
              data={cells.automats.map((a) => ({
                label: a.address,
                externalPct: freePct(a.external),
                internalPct: freePct(a.internal),
              }))}
            />
          </Card>
          <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">{t('lockers.caption')}</caption>
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={th}>
                    {t('lockers.locker')}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t('lockers.pickupCells')}
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    {t('lockers.dropCells')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 tabular-nums">
                {cells.automats.map((a) => (
                  <tr key={a.automatId}>
                    <th scope="row" className={`${td} font-normal`}>
                      <span className="font-medium">{a.address}</span>
                      <span className="block text-xs text-slate-600">
                        {a.city}
                        {a.isWorking ? '' : ` · ${t('lockers.closed')}`}
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
                    <th scope="row" className={th}>
                      {t('lockers.all')}
                    </th>
                    <td className={`${td} text-right`}>
                      {freeShare(cells.total.external)}
                      <span className="block text-xs font-normal text-slate-600">
                        {cellsText(cells.total.external)}
                      </span>
                    </td>
                    <td className={`${td} text-right`}>
                      {freeShare(cells.total.internal)}
                      <span className="block text-xs font-normal text-slate-600">
                        {cellsText(cells.total.internal)}
                      </span>
                    </td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
        </div>
      </Section>

      <Section id="failures-h" title={t('failures.title')} intro={t('failures.intro', { top: TOP_REASONS })}>
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <FailureReasonsChart data={failures.reasons} days={days} />
          </Card>
          {failures.failed > 0 ? (
            <div className="min-w-0 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
              <table className="min-w-full text-left text-sm">
                <caption className="sr-only">{t('failures.caption', { days })}</caption>
                <thead className="bg-slate-50 text-slate-700">
                  <tr>
                    <th scope="col" className={th}>
                      {t('failures.reason')}
                    </th>
                    <th scope="col" className={`${th} text-right`}>
                      {t('failures.failed')}
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 tabular-nums">
                  {failures.reasons.map((r) => (
                    <tr key={r.reason}>
                      <th scope="row" className={`${td} font-normal break-words`}>
                        {r.reason}
                      </th>
                      <td className={`${td} text-right`}>{r.count}</td>
                    </tr>
                  ))}
                  {failures.other > 0 ? (
                    <tr>
                      <th scope="row" className={`${td} font-normal text-slate-700`}>
                        {t('failures.other')}
                      </th>
                      <td className={`${td} text-right`}>{failures.other}</td>
                    </tr>
                  ) : null}
                </tbody>
                <tfoot className="border-t border-slate-200 bg-slate-50 font-semibold tabular-nums">
                  <tr>
                    <th scope="row" className={th}>
                      {t('failures.all')}
                    </th>
                    <td className={`${td} text-right`}>{failures.failed}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          ) : null}
        </div>
      </Section>

      <section
        aria-labelledby="how-h"
        className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm"
      >
        <h2 id="how-h" className="text-base font-semibold text-slate-900">
          {t('how.title')}
        </h2>
        <dl className="mt-3 space-y-3">
          {(
            [
              ['periodTitle', t('how.period', { days })],
              ['deliveryTitle', t('how.delivery')],
              ['pickupTitle', t('how.pickup')],
              ['onlineTitle', t('how.online', { seconds: onlineGapS })],
              ['busyTitle', t('how.busy')],
              ['cellsTitle', t('how.cells')],
              ['failuresTitle', t('how.failures')],
            ] as const
          ).map(([title, text]) => (
            <div key={title}>
              <dt className="font-medium text-slate-900">{t(`how.${title}`)}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
