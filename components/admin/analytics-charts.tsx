'use client';

import { useFormatter, useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { cx } from '@/lib/cx';

// The analytics page's charts. Each one sits next to a table with the same numbers (the
// accessible form of the data); the charts add a title and description for screen readers
// and keyboard access to their tooltips (recharts' accessibility layer).

// Colours chosen for at least 3:1 against white and to stay apart for red-green colour
// blindness (blue / grey / orange rather than green / red).
const COLORS = {
  completed: '#0b5294', // brand-700
  open: '#64748b', // slate-500
  cancelled: '#c2410c', // orange-700
  failed: '#b91c1c', // red-700
  utilization: '#0f66b8', // brand-600
  external: '#0b5294',
  internal: '#c2410c',
};
const TICK = { fill: '#475569', fontSize: 12 }; // slate-600
const GRID = '#e2e8f0'; // slate-200

export type OrdersDayPoint = { day: string; completed: number; cancelled: number; open: number };
export type FailurePoint = { reason: string; count: number };
export type DronePoint = { label: string; utilizationPct: number };
export type LockerPoint = { label: string; externalPct: number | null; internalPct: number | null };

function Empty({ children }: { children: ReactNode }) {
  return (
    <p
      className={cx(
        'rounded-lg border border-dashed border-slate-300 bg-slate-50 px-4 py-8',
        'text-center text-sm text-slate-700',
      )}
    >
      {children}
    </p>
  );
}

/** A chart's percentages (0–100) in the page's language: "42.5%", "42,5 %". */
function usePercent() {
  const format = useFormatter();
  return (v: unknown) =>
    typeof v === 'number' ? format.number(v / 100, { style: 'percent', maximumFractionDigits: 1 }) : '—';
}
/** Category labels are cut to fit the axis; the tooltip and the table give them in full. */
const short = (label: unknown) => {
  const text = String(label);
  return text.length > 18 ? `${text.slice(0, 17)}…` : text;
};
/** Room for category labels on a horizontal bar chart: one band per row. */
const rowsHeight = (rows: number) => Math.max(160, rows * 44 + 70);

export function OrdersPerDayChart({ data, days }: { data: OrdersDayPoint[]; days: number }) {
  const format = useFormatter();
  const t = useTranslations('adminOps.analytics.charts');
  // Days are UTC days, as the analytics queries bucket them.
  const dayLabel = (day: string) =>
    format.dateTime(new Date(`${day}T00:00:00Z`), { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const totals = data.reduce(
    (t, d) => ({ completed: t.completed + d.completed, cancelled: t.cancelled + d.cancelled, open: t.open + d.open }),
    { completed: 0, cancelled: 0, open: 0 },
  );
  if (totals.completed + totals.cancelled + totals.open === 0) return <Empty>{t('noOrders', { days })}</Empty>;
  return (
    <BarChart
      responsive
      style={{ width: '100%', height: 300 }}
      data={data}
      margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
      title={t('ordersTitle', { days })}
      desc={t('ordersDesc', totals)}
    >
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="day" tickFormatter={dayLabel} tick={TICK} minTickGap={16} />
      <YAxis allowDecimals={false} tick={TICK} tickFormatter={(v: number) => format.number(v)} />
      <Tooltip labelFormatter={(l) => (typeof l === 'string' ? dayLabel(l) : l)} />
      <Legend />
      <Bar
        dataKey="completed"
        name={t('collected')}
        stackId="orders"
        fill={COLORS.completed}
        stroke="#fff"
        strokeWidth={1}
      />
      <Bar dataKey="open" name={t('open')} stackId="orders" fill={COLORS.open} stroke="#fff" strokeWidth={1} />
      <Bar
        dataKey="cancelled"
        name={t('cancelled')}
        stackId="orders"
        fill={COLORS.cancelled}
        stroke="#fff"
        strokeWidth={1}
      />
    </BarChart>
  );
}

export function FailureReasonsChart({ data, days }: { data: FailurePoint[]; days: number }) {
  const t = useTranslations('adminOps.analytics.charts');
  const format = useFormatter();
  if (data.length === 0) return <Empty>{t('noFailures', { days })}</Empty>;
  return (
    <BarChart
      responsive
      layout="vertical"
      style={{ width: '100%', height: rowsHeight(data.length) }}
      data={data}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title={t('failuresTitle', { days })}
      desc={t('failuresDesc', { list: format.list(data.map((d) => `${d.reason} ${format.number(d.count)}`)) })}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" allowDecimals={false} tick={TICK} tickFormatter={(v: number) => format.number(v)} />
      <YAxis type="category" dataKey="reason" width={130} tick={TICK} tickFormatter={short} />
      <Tooltip />
      <Bar dataKey="count" name={t('failed')} fill={COLORS.failed} />
    </BarChart>
  );
}

export function DroneUtilizationChart({ data, days }: { data: DronePoint[]; days: number }) {
  const t = useTranslations('adminOps.analytics.charts');
  const format = useFormatter();
  const percent = usePercent();
  if (data.length === 0) return <Empty>{t('noTelemetry', { days })}</Empty>;
  return (
    <BarChart
      responsive
      layout="vertical"
      style={{ width: '100%', height: rowsHeight(data.length) }}
      data={data}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title={t('dronesTitle', { days })}
      desc={t('dronesDesc', { list: format.list(data.map((d) => `${d.label} ${percent(d.utilizationPct)}`)) })}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" domain={[0, 100]} tick={TICK} tickFormatter={percent} />
      <YAxis type="category" dataKey="label" width={130} tick={TICK} tickFormatter={short} />
      <Tooltip formatter={percent} />
      <Bar dataKey="utilizationPct" name={t('busy')} fill={COLORS.utilization} />
    </BarChart>
  );
}

export function CellUtilizationChart({ data }: { data: LockerPoint[] }) {
  const t = useTranslations('adminOps.analytics.charts');
  const format = useFormatter();
  const percent = usePercent();
  if (data.length === 0) return <Empty>{t('noLockers')}</Empty>;
  return (
    <BarChart
      responsive
      layout="vertical"
      style={{ width: '100%', height: rowsHeight(data.length * 1.5) }}
      data={data}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title={t('lockersTitle')}
      desc={t('lockersDesc', {
        list: format.list(
          data.map((d) =>
            t('lockerItem', { locker: d.label, pickup: percent(d.externalPct), drop: percent(d.internalPct) }),
          ),
        ),
      })}
    >
      <CartesianGrid stroke={GRID} horizontal={false} />
      <XAxis type="number" domain={[0, 100]} tick={TICK} tickFormatter={percent} />
      <YAxis type="category" dataKey="label" width={130} tick={TICK} tickFormatter={short} />
      <Tooltip formatter={percent} />
      <Legend />
      <Bar dataKey="externalPct" name={t('pickupCells')} fill={COLORS.external} />
      <Bar dataKey="internalPct" name={t('dropCells')} fill={COLORS.internal} />
    </BarChart>
  );
}
