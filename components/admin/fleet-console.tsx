'use client';

import { PageLink } from '@/components/ui/page-link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useFormatter, useLocale, useNow, useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { DeviceKeyControl } from '@/components/admin/device-key';
import { DroneMaintenanceControl } from '@/components/admin/drone-forms';
import type { TileConfig } from '@/components/map/map-config';
import { useNoticeText } from '@/components/map/notice-text';
import { Button } from '@/components/ui/button';
import {
  applyFleetUpdate,
  fleetStateFrom,
  type DroneTuple,
  type FleetFull,
  type FleetSnapshot,
  type FleetState,
  type FleetUpdate,
} from '@/lib/admin/fleet';
import { cellMetric } from '@/lib/cell-metric';
import { AlertsBadge, HttpError } from './alerts-list';
import { droneState } from '@/lib/admin/drone-state';
import {
  AUTOMAT_COLOURS,
  automatState,
  cellMetricLabel,
  DRONE_COLOURS,
  type AutomatStateKey,
  type DroneStatusKey,
  type FleetRules,
} from './fleet-style';
import { cx } from '@/lib/cx';
import { DELIVERY_STATUSES } from '@/db/statuses';

const stateOf = (d: DroneTuple, now: number) => droneState({ status: d[1], speedMps: d[6], lastSeenMs: d[7] }, now);

function MapLoading() {
  const t = useTranslations('adminFleet.console');
  return (
    <div className="flex h-full items-center justify-center bg-slate-100 text-sm text-slate-600" role="status">
      {t('loadingMap')}
    </div>
  );
}

const FleetMap = dynamic(() => import('./fleet-map-client'), { ssr: false, loading: () => <MapLoading /> });

type DroneDetail = {
  battery: { at: string; level: number }[];
  trail: [number, number][];
  job: {
    delivery_id: string;
    delivery_status: string;
    order_id: string;
    order_status: string;
    good: string;
    customer: string | null;
    address: string;
  } | null;
};

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new HttpError(res.status);
  return (await res.json()) as T;
}

/** A failed poll, in words: a signed-out session, or the server's status. */
function useErrorText() {
  const t = useTranslations('adminFleet.errors');
  return (e: Error) =>
    e instanceof HttpError
      ? e.status === 401 || e.status === 403
        ? t('session')
        : t('server', { status: e.status })
      : t('network');
}

/** "85%" / "85 %", through the one formatter. */
function usePercent() {
  const format = useFormatter();
  return (v: number | null) => (v === null ? '—' : format.number(Math.round(v) / 100, { style: 'percent' }));
}

function Sparkline({ points }: { points: { level: number }[] }) {
  const t = useTranslations('adminFleet.panel');
  const pct = usePercent();
  if (points.length < 2) return <p className="text-sm text-slate-600">{t('fewReadings')}</p>;
  const w = 260;
  const h = 60;
  const d = points
    .map(
      (p, i) => `${i ? 'L' : 'M'}${((i / (points.length - 1)) * w).toFixed(1)},${(h - (p.level / 100) * h).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      className="h-16 w-full"
      role="img"
      aria-label={t('sparkline', { from: pct(points[0]?.level ?? null), to: pct(points.at(-1)?.level ?? null) })}
    >
      <line x1="0" x2={w} y1={h * 0.8} y2={h * 0.8} stroke="#fca5a5" strokeDasharray="3 3" />
      <path d={d} fill="none" stroke="#0f66b8" strokeWidth="2" />
    </svg>
  );
}

const DELIVERY_STATES = new Set<string>(DELIVERY_STATUSES);

function DronePanel({ drone, now, onClose }: { drone: DroneTuple; now: number; onClose: () => void }) {
  const [id, status, battery, lat, lon, heading, speed, lastSeen, , , model, callSign] = drone;
  const t = useTranslations('adminFleet');
  const format = useFormatter();
  const pct = usePercent();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['admin-drone', id],
    queryFn: () => getJson<DroneDetail>(`/api/admin/drones/${id}`),
    refetchInterval: 2000,
  });
  const job = detail.data?.job;
  return (
    <aside
      aria-label={t('panel.drone')}
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">{callSign}</h2>
          <p className="text-sm text-slate-700">{model}</p>
          <p className="font-mono text-xs break-all text-slate-600">{id}</p>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="min-h-10 min-w-10 rounded p-1 text-slate-600 hover:bg-slate-100"
          aria-label={t('panel.closeDrone')}
        >
          ✕
        </button>
      </div>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600">{t('panel.status')}</dt>
        <dd data-testid="panel-status">{t(`droneStates.${stateOf(drone, now)}`)}</dd>
        <dt className="text-slate-600">{t('panel.battery')}</dt>
        <dd>{pct(battery)}</dd>
        <dt className="text-slate-600">{t('panel.position')}</dt>
        <dd className="font-mono text-xs" data-testid="panel-position">
          {lat === null || lon === null ? t('panel.unknown') : `${lat.toFixed(5)}, ${lon.toFixed(5)}`}
        </dd>
        <dt className="text-slate-600">{t('panel.headingSpeed')}</dt>
        <dd>
          {heading === null ? '—' : t('panel.heading', { degrees: Math.round(heading) })} ·{' '}
          {speed === null
            ? '—'
            : t('panel.speed', { speed: format.number(speed, { maximumFractionDigits: 1, minimumFractionDigits: 1 }) })}
        </dd>
        <dt className="text-slate-600">{t('panel.lastSeen')}</dt>
        <dd>{lastSeen ? format.relativeTime(lastSeen, now) : t('panel.never')}</dd>
      </dl>
      <section aria-label={t('panel.batteryHistory')}>
        <h3 className="text-sm font-semibold">{t('panel.batteryHour')}</h3>
        {detail.data ? (
          <Sparkline points={detail.data.battery} />
        ) : (
          <p className="text-sm text-slate-600">{detail.error ? errorText(detail.error) : t('panel.loading')}</p>
        )}
      </section>
      <section aria-label={t('panel.currentDelivery')} className="text-sm">
        <h3 className="font-semibold">{t('panel.currentDelivery')}</h3>
        {job ? (
          <p className="mt-1">
            {t('panel.job', {
              good: job.good,
              address: job.address,
              status: DELIVERY_STATES.has(job.delivery_status)
                ? t(`deliveryStates.${job.delivery_status}`)
                : job.delivery_status,
              customer: job.customer ?? t('panel.aCustomer'),
            })}
            <PageLink
              href={`/admin/orders/${job.order_id}`}
              className="block font-mono text-xs text-brand-700 underline"
            >
              {t('panel.order', { id: job.order_id.slice(0, 8) })}
            </PageLink>
          </p>
        ) : (
          <p className="mt-1 text-slate-600">{t('panel.noJob')}</p>
        )}
      </section>
      <p className="text-sm">
        <PageLink href={`/admin/drones/${id}`} className="font-semibold text-brand-700 underline">
          {t('panel.details')}
        </PageLink>
      </p>
      <DroneMaintenanceControl
        id={id}
        status={status}
        onChanged={() => queryClient.invalidateQueries({ queryKey: ['fleet'] })}
      />
      <DeviceKeyControl kind="drone" id={id} />
    </aside>
  );
}

/** One poll: asks for what changed since the version held, and applies it (a full snapshot replaces). */
async function pollFleet(held: FleetState): Promise<FleetState> {
  const url = held.version ? `/api/admin/fleet?since=${encodeURIComponent(held.version)}` : '/api/admin/fleet';
  return applyFleetUpdate(held, await getJson<FleetUpdate>(url));
}

export function FleetConsole({
  initial,
  tiles,
  rules,
  focus,
}: {
  initial: FleetFull;
  tiles: TileConfig;
  rules: FleetRules;
  focus?: { drone?: string; automat?: string };
}) {
  const noticeText = useNoticeText();
  const queryClient = useQueryClient();
  const format = useFormatter();
  const t = useTranslations('adminFleet');
  const locale = useLocale();
  const pct = usePercent();
  const errorText = useErrorText();
  const renderedAt = useNow();
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ['fleet'],
    queryFn: () => pollFleet(queryClient.getQueryData<FleetState>(['fleet']) ?? fleetStateFrom(initial)),
    initialData: () => fleetStateFrom(initial),
    // As of the request's time, the same on the server and in the browser's first render.
    initialDataUpdatedAt: renderedAt.getTime(),
    refetchInterval: 1000,
    // A delta updates the held Map in place: comparing 2,000 tuples deeply every second is
    // exactly the main-thread work this state avoids.
    structuralSharing: false,
  });
  const [statuses, setStatuses] = useState<Set<string>>(() => new Set(Object.keys(DRONE_COLOURS)));
  const [city, setCity] = useState('');
  const [selected, setSelected] = useState<string | null>(focus?.drone ?? null);
  const [automatId, setAutomatId] = useState<string | null>(focus?.automat ?? null);
  const [fitSignal, setFitSignal] = useState(0);
  // The table is rendered only while open: thousands of rows re-rendered every second would
  // cost the map its smoothness.
  const [tableOpen, setTableOpen] = useState(false);

  const allDrones = useMemo(() => [...data.drones.values()], [data]);
  const cities = useMemo(() => [...new Set(data.automats.map((a) => a.city))].sort(), [data.automats]);
  const automats = useMemo(() => data.automats.filter((a) => !city || a.city === city), [data.automats, city]);
  const drones = useMemo(
    () => allDrones.filter((d) => statuses.has(stateOf(d, data.at))),
    [allDrones, statuses, data.at],
  );
  const selectedDrone = (selected && data.drones.get(selected)) || null;
  const trail = useQuery({
    queryKey: ['admin-drone', selected],
    enabled: Boolean(selected),
    queryFn: () => getJson<DroneDetail>(`/api/admin/drones/${selected}`),
    refetchInterval: 2000,
  }).data?.trail;
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const d of allDrones) {
      const s = stateOf(d, data.at);
      c[s] = (c[s] ?? 0) + 1;
    }
    return c;
  }, [allDrones, data.at]);
  const selectedAutomat = data.automats.find((a) => a.id === automatId) ?? null;
  const sizes = { drones: data.drones.size, lockers: data.automats.length };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('console.title')}</h1>
          <p className="text-sm text-slate-600" aria-live="off">
            {error ? (
              <span className="font-semibold text-red-700">{t('console.retrying', { message: errorText(error) })}</span>
            ) : (
              t('console.live', { time: format.dateTime(dataUpdatedAt, 'clock'), ...sizes })
            )}
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <AlertsBadge />
          <fieldset className="flex flex-wrap gap-2">
            <legend className="sr-only">{t('console.filterLegend')}</legend>
            {(Object.keys(DRONE_COLOURS) as DroneStatusKey[]).map((s) => (
              <label
                key={s}
                className={cx(
                  'flex min-h-8 items-center gap-1 rounded-full border border-slate-300 bg-white px-2 py-1 text-xs',
                  'font-medium',
                )}
              >
                <input
                  type="checkbox"
                  checked={statuses.has(s)}
                  onChange={(e) => {
                    const next = new Set(statuses);
                    if (e.target.checked) next.add(s);
                    else next.delete(s);
                    setStatuses(next);
                  }}
                />
                <span
                  aria-hidden="true"
                  className="inline-block h-2.5 w-2.5 rounded-full"
                  style={{ background: DRONE_COLOURS[s].fill }}
                />
                {t('console.stateCount', { state: t(`droneStates.${s}`), count: counts[s] ?? 0 })}
              </label>
            ))}
          </fieldset>
          <label className="text-xs font-medium">
            {t('console.city')}
            <select
              value={city}
              onChange={(e) => setCity(e.target.value)}
              className="ml-1 min-h-8 rounded-md border border-slate-300 bg-white px-2 py-1"
            >
              <option value="">{t('console.allCities')}</option>
              {cities.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <Button variant="secondary" onClick={() => setFitSignal((n) => n + 1)}>
            {t('console.fit')}
          </Button>
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-[1fr_320px]">
        <div
          className={cx(
            'relative h-[60vh] min-h-80 overflow-hidden rounded-xl border border-slate-200',
            'bg-white shadow-sm lg:h-[70vh]',
          )}
        >
          <FleetMap
            drones={drones}
            automats={automats}
            selectedId={selected}
            trail={trail ?? []}
            fitSignal={fitSignal}
            now={data.at}
            onSelectDrone={(id) => {
              setSelected(id);
              setAutomatId(null);
            }}
            onSelectAutomat={(id) => {
              setAutomatId(id);
              setSelected(null);
            }}
            tiles={tiles}
            rules={rules}
            noticeText={noticeText}
            t={t}
            locale={locale}
          />
          <div className="absolute bottom-2 left-2 z-[500] hidden rounded-lg bg-white/95 p-2 text-xs shadow sm:block">
            <Legend />
          </div>
        </div>
        <div className="space-y-4">
          <div className="rounded-xl border border-slate-200 bg-white p-3 text-xs shadow-sm sm:hidden">
            <Legend />
          </div>
          {selectedDrone ? <DronePanel drone={selectedDrone} now={data.at} onClose={() => setSelected(null)} /> : null}
          {selectedAutomat ? (
            <AutomatPanel automat={selectedAutomat} now={data.at} rules={rules} onClose={() => setAutomatId(null)} />
          ) : null}
          {!selectedDrone && !selectedAutomat ? (
            <p className="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
              {t('console.pick')}
            </p>
          ) : null}
        </div>
      </div>

      <details
        className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
        onToggle={(e) => setTableOpen(e.currentTarget.open)}
      >
        <summary className="cursor-pointer font-semibold" data-testid="fleet-table-toggle">
          {t('console.tableSummary', sizes)}
        </summary>
        {tableOpen ? (
          <div className="mt-3 overflow-x-auto">
            <table className="min-w-full text-left text-sm" aria-label={t('console.dronesTable')}>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colDrone')}
                  </th>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colModel')}
                  </th>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colStatus')}
                  </th>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colBattery')}
                  </th>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colPosition')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {allDrones.map((d) => (
                  <tr key={d[0]} data-drone={d[0]} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      <button
                        type="button"
                        className="font-mono text-xs text-brand-700 underline"
                        onClick={() => setSelected(d[0])}
                      >
                        {d[11]}
                      </button>
                    </td>
                    <td className="px-3 py-1.5">{d[10]}</td>
                    <td className="px-3 py-1.5">{t(`droneStates.${stateOf(d, data.at)}`)}</td>
                    <td className="px-3 py-1.5">{pct(d[2])}</td>
                    <td className="px-3 py-1.5 font-mono text-xs" data-testid={`position-${d[0]}`}>
                      {d[3] === null || d[4] === null ? t('panel.unknown') : `${d[3].toFixed(5)}, ${d[4].toFixed(5)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="mt-4 min-w-full text-left text-sm" aria-label={t('console.lockersTable')}>
              <thead className="bg-slate-50">
                <tr>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colLocker')}
                  </th>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colState')}
                  </th>
                  <th scope="col" className="px-3 py-1.5">
                    {t('console.colFreeCells')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.automats.map((a) => (
                  <tr key={a.id} data-automat={a.id} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      <button
                        type="button"
                        className="text-left text-brand-700 underline"
                        onClick={() => setAutomatId(a.id)}
                      >
                        {a.address}, {a.city}
                      </button>
                    </td>
                    <td className="px-3 py-1.5">{t(`automatStates.${automatState(a, data.at, rules)}`)}</td>
                    <td className="px-3 py-1.5" data-testid={`free-cells-${a.id}`}>
                      {cellMetricLabel(
                        t,
                        cellMetric({
                          total: a.external_total,
                          available: a.external_free,
                          maintenance: a.external_total - a.external_in_service,
                        }),
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </details>
    </div>
  );
}

function Legend() {
  const t = useTranslations('adminFleet');
  return (
    <section aria-label={t('legend.title')} className="max-w-[22rem]">
      <p className="font-semibold">{t('legend.title')}</p>
      <p className="mt-1 font-medium">{t('legend.drones')}</p>
      <ul className="flex flex-wrap gap-x-3 gap-y-0.5">
        {(Object.keys(DRONE_COLOURS) as DroneStatusKey[]).map((s) => (
          <li key={s} className="flex items-center gap-1">
            <span aria-hidden="true" style={{ color: DRONE_COLOURS[s].fill }}>
              ▲
            </span>
            {t(`droneStates.${s}`)}
          </li>
        ))}
      </ul>
      <p className="mt-1 font-medium">{t('legend.lockers')}</p>
      <ul className="flex flex-wrap gap-x-3 gap-y-0.5">
        {(Object.keys(AUTOMAT_COLOURS) as AutomatStateKey[]).map((s) => (
          <li key={s} className="flex items-center gap-1">
            <span aria-hidden="true" style={{ color: AUTOMAT_COLOURS[s].fill }}>
              ▣
            </span>
            {t(`automatStates.${s}`)}
          </li>
        ))}
      </ul>
      <ul className="mt-1 space-y-0.5">
        <li>{t('legend.cells')}</li>
        <li className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className={cx(
              'inline-flex h-4 w-4 shrink-0 items-center justify-center rounded-full border-2 border-emerald-500',
              'bg-white text-[9px] font-bold',
            )}
          >
            3
          </span>
          {t('legend.cluster')}
        </li>
        <li>{t('legend.lines')}</li>
      </ul>
    </section>
  );
}

type Cell = { kind: 'internal' | 'external'; cell_number: number | null; status: string; size: string };
const CELL_COLOUR: Record<string, string> = {
  available: 'bg-emerald-100 text-emerald-900',
  reserved: 'bg-amber-100 text-amber-900',
  occupied: 'bg-blue-100 text-blue-900',
  maintenance: 'bg-slate-200 text-slate-700',
};
const CELL_STATES = new Set(Object.keys(CELL_COLOUR));

function AutomatPanel({
  automat,
  now,
  rules,
  onClose,
}: {
  automat: FleetSnapshot['automats'][number];
  now: number;
  rules: FleetRules;
  onClose: () => void;
}) {
  const t = useTranslations('adminFleet');
  const format = useFormatter();
  const cells = useQuery({
    queryKey: ['admin-cells', automat.id],
    queryFn: () => getJson<{ cells: Cell[] }>(`/api/admin/automats/${automat.id}/cells`),
    refetchInterval: 5000,
  });
  return (
    <aside
      aria-label={t('panel.automat')}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">
            <PageLink href={`/admin/automats/${automat.id}`} className="text-brand-700 underline">
              {automat.address}
            </PageLink>
          </h2>
          <p className="text-sm text-slate-600">
            {t('panel.automatLine', {
              city: automat.city,
              aruco: automat.aruco_id,
              state: t(`automatStates.${automatState(automat, now, rules)}`),
            })}
          </p>
          <p className="text-xs text-slate-600">
            {t('panel.heartbeat', {
              age: automat.last_seen_ms ? format.relativeTime(automat.last_seen_ms, now) : t('panel.never'),
            })}
          </p>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="min-h-10 min-w-10 rounded p-1 text-slate-600 hover:bg-slate-100"
          aria-label={t('panel.closeAutomat')}
        >
          ✕
        </button>
      </div>
      {(['external', 'internal'] as const).map((kind) => (
        <section key={kind} aria-label={t(kind === 'external' ? 'panel.pickupCells' : 'panel.dropCells')}>
          <h3 className="text-sm font-semibold">
            {t(kind === 'external' ? 'panel.pickupCellsLong' : 'panel.dropCellsLong')}
          </h3>
          <ul className="mt-1 grid grid-cols-5 gap-1">
            {(cells.data?.cells ?? [])
              .filter((c) => c.kind === kind)
              .map((c) => (
                <li
                  key={`${kind}-${c.cell_number}`}
                  title={t('panel.cellTitle', {
                    status: CELL_STATES.has(c.status) ? t(`cellStates.${c.status}`) : c.status,
                    size: c.size,
                  })}
                  className={`rounded px-1 py-0.5 text-center text-xs font-semibold ${CELL_COLOUR[c.status] ?? ''}`}
                >
                  {c.cell_number}
                </li>
              ))}
          </ul>
        </section>
      ))}
      <p className="text-xs text-slate-600">{t('panel.cellKey')}</p>
    </aside>
  );
}
