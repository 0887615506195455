'use client';

import Link from 'next/link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useFormatter, useNow } from 'next-intl';
import { useMemo, useState } from 'react';
import { DeviceKeyControl } from '@/components/admin/device-key';
import { DroneMaintenanceControl } from '@/components/admin/drone-forms';
import type { TileConfig } from '@/components/map/map-config';
import { Button } from '@/components/ui/button';
import { applyFleetUpdate, fleetStateFrom, type DroneTuple, type FleetFull, type FleetSnapshot, type FleetState, type FleetUpdate } from '@/lib/admin/fleet';
import { formatAge } from '@/lib/format-age';
import { AlertsBadge } from './alerts-list';
import { droneState } from '@/lib/admin/drone-state';
import { AUTOMAT_COLOURS, automatState, DRONE_COLOURS, type DroneStatusKey } from './fleet-style';

const stateOf = (d: DroneTuple, now: number) => droneState({ status: d[1], speedMps: d[6], lastSeenMs: d[7] }, now);

const FleetMap = dynamic(() => import('./fleet-map-client'), {
  ssr: false,
  loading: () => (
    <div className="flex h-full items-center justify-center bg-slate-100 text-sm text-slate-600" role="status">
      Loading map…
    </div>
  ),
});

type DroneDetail = {
  battery: { at: string; level: number }[];
  trail: [number, number][];
  job: { delivery_id: string; delivery_status: string; order_id: string; order_status: string; good: string; customer: string | null; address: string } | null;
};

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(res.status === 401 || res.status === 403 ? 'Your admin session has ended. Sign in again.' : `The server answered ${res.status}.`);
  return (await res.json()) as T;
}

function Sparkline({ points }: { points: { level: number }[] }) {
  if (points.length < 2) return <p className="text-sm text-slate-600">Not enough readings in the last hour.</p>;
  const w = 260;
  const h = 60;
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${((i / (points.length - 1)) * w).toFixed(1)},${(h - (p.level / 100) * h).toFixed(1)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${w} ${h}`} className="h-16 w-full" role="img" aria-label={`Battery over the last hour, from ${points[0]?.level}% to ${points.at(-1)?.level}%`}>
      <line x1="0" x2={w} y1={h * 0.8} y2={h * 0.8} stroke="#fca5a5" strokeDasharray="3 3" />
      <path d={d} fill="none" stroke="#0f66b8" strokeWidth="2" />
    </svg>
  );
}

function DronePanel({ drone, now, onClose }: { drone: DroneTuple; now: number; onClose: () => void }) {
  const [id, status, battery, lat, lon, heading, speed, lastSeen, , , model, callSign] = drone;
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['admin-drone', id], queryFn: () => getJson<DroneDetail>(`/api/admin/drones/${id}`), refetchInterval: 2000 });
  return (
    <aside aria-label="Selected drone" className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">{callSign}</h2>
          <p className="text-sm text-slate-700">{model}</p>
          <p className="font-mono text-xs text-slate-600">{id}</p>
        </div>
        <button type="button" onClick={onClose} className="rounded p-1 text-slate-600 hover:bg-slate-100" aria-label="Close the drone panel">
          ✕
        </button>
      </div>
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600">Status</dt>
        <dd data-testid="panel-status">{DRONE_COLOURS[stateOf(drone, now)].label}</dd>
        <dt className="text-slate-600">Battery</dt>
        <dd>{battery === null ? '—' : `${Math.round(battery)}%`}</dd>
        <dt className="text-slate-600">Position</dt>
        <dd className="font-mono text-xs" data-testid="panel-position">
          {lat === null || lon === null ? 'unknown' : `${lat.toFixed(5)}, ${lon.toFixed(5)}`}
        </dd>
        <dt className="text-slate-600">Heading · speed</dt>
        <dd>
          {heading === null ? '—' : `${Math.round(heading)}°`} · {speed === null ? '—' : `${speed.toFixed(1)} m/s`}
        </dd>
        <dt className="text-slate-600">Last seen</dt>
        <dd>{lastSeen ? formatAge(new Date(lastSeen), new Date(now)) : 'never'}</dd>
      </dl>
      <section aria-label="Battery history">
        <h3 className="text-sm font-semibold">Battery, last hour</h3>
        {detail.data ? <Sparkline points={detail.data.battery} /> : <p className="text-sm text-slate-600">{detail.error ? detail.error.message : 'Loading…'}</p>}
      </section>
      <section aria-label="Current delivery" className="text-sm">
        <h3 className="font-semibold">Current delivery</h3>
        {detail.data?.job ? (
          <p className="mt-1">
            {detail.data.job.good} to {detail.data.job.address} ({detail.data.job.delivery_status.replace('_', ' ')}), for {detail.data.job.customer ?? 'a customer'}.
            <span className="block font-mono text-xs text-slate-600">order {detail.data.job.order_id}</span>
          </p>
        ) : (
          <p className="mt-1 text-slate-600">None.</p>
        )}
      </section>
      <p className="text-sm">
        <Link href={`/admin/drones/${id}`} className="font-semibold text-brand-700 underline">
          History, details and settings
        </Link>
      </p>
      <DroneMaintenanceControl id={id} status={status} onChanged={() => queryClient.invalidateQueries({ queryKey: ['fleet'] })} />
      <DeviceKeyControl kind="drone" id={id} />
    </aside>
  );
}

/** One poll: asks for what changed since the version held, and applies it (a full snapshot replaces). */
async function pollFleet(held: FleetState): Promise<FleetState> {
  const url = held.version ? `/api/admin/fleet?since=${encodeURIComponent(held.version)}` : '/api/admin/fleet';
  return applyFleetUpdate(held, await getJson<FleetUpdate>(url));
}

export function FleetConsole({ initial, tiles, focus }: { initial: FleetFull; tiles: TileConfig; focus?: { drone?: string; automat?: string } }) {
  const queryClient = useQueryClient();
  const format = useFormatter();
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
  const drones = useMemo(() => allDrones.filter((d) => statuses.has(stateOf(d, data.at))), [allDrones, statuses, data.at]);
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

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Live fleet</h1>
          <p className="text-sm text-slate-600" aria-live="off">
            {error ? <span className="font-semibold text-red-700">{error.message} Retrying…</span> : `Live · ${format.dateTime(dataUpdatedAt, 'clock')} · ${data.drones.size} drones · ${data.automats.length} lockers`}
          </p>
        </div>
        <div className="flex flex-wrap items-end gap-3">
          <AlertsBadge />
          <fieldset className="flex flex-wrap gap-2">
            <legend className="sr-only">Show drones by status</legend>
            {(Object.keys(DRONE_COLOURS) as DroneStatusKey[]).map((s) => (
              <label key={s} className="flex items-center gap-1 rounded-full border border-slate-300 bg-white px-2 py-1 text-xs font-medium">
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
                <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: DRONE_COLOURS[s].fill }} />
                {DRONE_COLOURS[s].label} ({counts[s] ?? 0})
              </label>
            ))}
          </fieldset>
          <label className="text-xs font-medium">
            City
            <select value={city} onChange={(e) => setCity(e.target.value)} className="ml-1 rounded-md border border-slate-300 bg-white px-2 py-1">
              <option value="">All</option>
              {cities.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <Button variant="secondary" onClick={() => setFitSignal((n) => n + 1)}>
            Fit to fleet
          </Button>
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-[1fr_320px]">
        <div className="relative h-[60vh] min-h-80 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm lg:h-[70vh]">
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
          {selectedAutomat ? <AutomatPanel automat={selectedAutomat} now={data.at} onClose={() => setAutomatId(null)} /> : null}
          {!selectedDrone && !selectedAutomat ? <p className="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">Select a drone or a locker on the map, or in the table below.</p> : null}
        </div>
      </div>

      <details className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" onToggle={(e) => setTableOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer font-semibold">Fleet as a table ({data.drones.size} drones, {data.automats.length} lockers)</summary>
        {tableOpen ? (
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full text-left text-sm" aria-label="Drones on the map">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className="px-3 py-1.5">Drone</th>
                <th scope="col" className="px-3 py-1.5">Model</th>
                <th scope="col" className="px-3 py-1.5">Status</th>
                <th scope="col" className="px-3 py-1.5">Battery</th>
                <th scope="col" className="px-3 py-1.5">Position</th>
              </tr>
            </thead>
            <tbody>
              {allDrones.map((d) => (
                <tr key={d[0]} data-drone={d[0]} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">
                    <button type="button" className="font-mono text-xs text-brand-700 underline" onClick={() => setSelected(d[0])}>
                      {d[11]}
                    </button>
                  </td>
                  <td className="px-3 py-1.5">{d[10]}</td>
                  <td className="px-3 py-1.5">{DRONE_COLOURS[stateOf(d, data.at)].label}</td>
                  <td className="px-3 py-1.5">{d[2] === null ? '—' : `${Math.round(d[2])}%`}</td>
                  <td className="px-3 py-1.5 font-mono text-xs" data-testid={`position-${d[0]}`}>
                    {d[3] === null || d[4] === null ? 'unknown' : `${d[3].toFixed(5)}, ${d[4].toFixed(5)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="mt-4 min-w-full text-left text-sm" aria-label="Lockers on the map">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className="px-3 py-1.5">Locker</th>
                <th scope="col" className="px-3 py-1.5">State</th>
                <th scope="col" className="px-3 py-1.5">Pickup cells in use</th>
              </tr>
            </thead>
            <tbody>
              {data.automats.map((a) => (
                <tr key={a.id} data-automat={a.id} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">
                    <button type="button" className="text-brand-700 underline" onClick={() => setAutomatId(a.id)}>
                      {a.address}, {a.city}
                    </button>
                  </td>
                  <td className="px-3 py-1.5">{AUTOMAT_COLOURS[automatState(a, data.at)].label}</td>
                  <td className="px-3 py-1.5">
                    {a.external_occupied}/{a.external_total}
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
  return (
    <section aria-label="Legend">
      <p className="font-semibold">Legend</p>
      <ul className="mt-1 space-y-0.5">
        {(Object.keys(DRONE_COLOURS) as DroneStatusKey[]).map((s) => (
          <li key={s} className="flex items-center gap-1.5">
            <span aria-hidden="true" style={{ color: DRONE_COLOURS[s].fill }}>
              ▲
            </span>{' '}
            Drone: {DRONE_COLOURS[s].label.toLowerCase()}
          </li>
        ))}
        {(Object.keys(AUTOMAT_COLOURS) as (keyof typeof AUTOMAT_COLOURS)[]).map((s) => (
          <li key={s} className="flex items-center gap-1.5">
            <span aria-hidden="true" style={{ color: AUTOMAT_COLOURS[s].fill }}>
              ▣
            </span>{' '}
            {AUTOMAT_COLOURS[s].label} (occupied/total pickup cells)
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-flex h-4 w-4 items-center justify-center rounded-full border-2 border-emerald-500 bg-white text-[9px] font-bold">
            3
          </span>{' '}
          Drones close together (ring: their states); click for the list
        </li>
        <li>Dashed line: route to the destination locker · bar: battery</li>
      </ul>
    </section>
  );
}

type Cell = { kind: 'internal' | 'external'; cell_number: number | null; status: string; size: string };
const CELL_COLOUR: Record<string, string> = { available: 'bg-emerald-100 text-emerald-900', reserved: 'bg-amber-100 text-amber-900', occupied: 'bg-blue-100 text-blue-900', maintenance: 'bg-slate-200 text-slate-700' };

function AutomatPanel({ automat, now, onClose }: { automat: FleetSnapshot['automats'][number]; now: number; onClose: () => void }) {
  const cells = useQuery({ queryKey: ['admin-cells', automat.id], queryFn: () => getJson<{ cells: Cell[] }>(`/api/admin/automats/${automat.id}/cells`), refetchInterval: 5000 });
  return (
    <aside aria-label="Selected locker" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-start justify-between gap-2">
        <div>
          <h2 className="font-semibold">{automat.address}</h2>
          <p className="text-sm text-slate-600">
            {automat.city} · ArUco {automat.aruco_id} · {AUTOMAT_COLOURS[automatState(automat, now)].label}
          </p>
          <p className="text-xs text-slate-600">Last heartbeat: {automat.last_seen_ms ? formatAge(new Date(automat.last_seen_ms), new Date(now)) : 'never'}</p>
        </div>
        <button type="button" onClick={onClose} className="rounded p-1 text-slate-600 hover:bg-slate-100" aria-label="Close the locker panel">
          ✕
        </button>
      </div>
      {(['external', 'internal'] as const).map((kind) => (
        <section key={kind} aria-label={kind === 'external' ? 'Pickup cells' : 'Drop cells'}>
          <h3 className="text-sm font-semibold">{kind === 'external' ? 'Pickup cells (outside)' : 'Drop cells (inside)'}</h3>
          <ul className="mt-1 grid grid-cols-5 gap-1">
            {(cells.data?.cells ?? [])
              .filter((c) => c.kind === kind)
              .map((c) => (
                <li key={`${kind}-${c.cell_number}`} title={`${c.status}, ${c.size} cm`} className={`rounded px-1 py-0.5 text-center text-xs font-semibold ${CELL_COLOUR[c.status] ?? ''}`}>
                  {c.cell_number}
                </li>
              ))}
          </ul>
        </section>
      ))}
      <p className="text-xs text-slate-600">Green free · amber reserved · blue occupied · grey maintenance</p>
    </aside>
  );
}
