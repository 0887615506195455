'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { createAutomatAction, createCellsAction, deleteCellAction, setCellMaintenanceAction, updateAutomatAction } from '@/app/admin/automats/actions';
import { PointPicker } from '@/components/map/point-picker';
import type { TileConfig } from '@/components/map/map-config';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { submitTo } from '@/components/ui/use-form-action';
import type { CellStatus } from '@/db/schema';
import type { ActionState } from '@/lib/actions';
import { CELL_STATUS } from './status-labels';

export type AutomatValues = { city: string; address: string; lat: number; lon: number; arucoId: number; ipAddress: string; isWorking: boolean };
type Other = { lat: number; lon: number; label: string };

function Fields({ values, errors, tiles, others }: { values?: AutomatValues; errors: Record<string, string>; tiles: TileConfig; others: Other[] }) {
  // Coordinates are typed or picked on the map; both edit the same two fields.
  const [lat, setLat] = useState(values ? String(values.lat) : '');
  const [lon, setLon] = useState(values ? String(values.lon) : '');
  const point = lat !== '' && lon !== '' && Number.isFinite(Number(lat)) && Number.isFinite(Number(lon)) && Math.abs(Number(lat)) <= 90 && Math.abs(Number(lon)) <= 180 ? { lat: Number(lat), lon: Number(lon) } : null;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="grid content-start gap-3 sm:grid-cols-2">
        <TextField id="city" name="city" label="City" defaultValue={values?.city} required error={errors.city} />
        <TextField id="address" name="address" label="Address" defaultValue={values?.address} required error={errors.address} />
        <TextField id="lat" name="lat" label="Latitude" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} required error={errors.lat} hint="Or click the map" />
        <TextField id="lon" name="lon" label="Longitude" inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} required error={errors.lon} />
        <TextField id="aruco_id" name="aruco_id" label="ArUco marker id" inputMode="numeric" defaultValue={values?.arucoId} required error={errors.aruco_id} hint="Unique per locker; drones land on it" />
        <TextField id="ip_address" name="ip_address" label="IP address" defaultValue={values?.ipAddress} required error={errors.ip_address} autoComplete="off" />
        <label className="flex min-h-11 items-center gap-2 text-sm font-medium sm:col-span-2">
          <input type="checkbox" name="is_working" defaultChecked={values?.isWorking ?? true} className="h-4 w-4" />
          Working: customers can choose it and drones deliver to it
        </label>
      </div>
      <div role="group" aria-label="Map: click to place the locker" className="h-72 overflow-hidden rounded-lg border border-slate-300 lg:h-auto lg:min-h-72">
        <PointPicker
          point={point}
          others={others}
          tiles={tiles}
          onPick={(p) => {
            setLat(p.lat.toFixed(6));
            setLon(p.lon.toFixed(6));
          }}
        />
      </div>
    </div>
  );
}

export function CreateAutomatForm({ tiles, others }: { tiles: TileConfig; others: Other[] }) {
  const [state, action, pending] = useActionState<ActionState<{ id: string }>, FormData>(createAutomatAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <Fields errors={errors} tiles={tiles} others={others} />
      <FormResult state={state} failTitle="Not created" />
      <SubmitButton pending={pending} label="Create locker" busyLabel="Creating…" />
    </form>
  );
}

export function EditAutomatForm({ id, values, tiles, others }: { id: string; values: AutomatValues; tiles: TileConfig; others: Other[] }) {
  const [state, action, pending] = useActionState<ActionState<{ address: string }>, FormData>(updateAutomatAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="automat_id" value={id} />
      <Fields values={values} errors={errors} tiles={tiles} others={others} />
      <FormResult state={state} success={() => 'Saved.'} failTitle="Not saved" />
      <SubmitButton pending={pending} label="Save changes" busyLabel="Saving…" />
    </form>
  );
}

export function CreateCellsForm({ automatId }: { automatId: string }) {
  const [state, action, pending] = useActionState<ActionState<{ numbers: number[] }>, FormData>(createCellsAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="automat_id" value={automatId} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Kind</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          <label className="flex min-h-11 items-center gap-2">
            <input type="radio" name="kind" value="external" defaultChecked /> Pickup (outside, customers open it)
          </label>
          <label className="flex min-h-11 items-center gap-2">
            <input type="radio" name="kind" value="internal" /> Drop (inside, drones load it)
          </label>
        </div>
        {errors.kind ? <p className="text-sm font-medium text-red-700">{errors.kind}</p> : null}
      </fieldset>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <TextField id="count" name="count" label="How many" inputMode="numeric" defaultValue="1" required error={errors.count} />
        <TextField id="cell-length" name="length" label="Length (cm)" inputMode="decimal" required error={errors.length} />
        <TextField id="cell-width" name="width" label="Width (cm)" inputMode="decimal" required error={errors.width} />
        <TextField id="cell-height" name="height" label="Height (cm)" inputMode="decimal" required error={errors.height} />
      </div>
      <FormResult
        state={state}
        success={({ numbers }) => `Added ${numbers.length} ${numbers.length === 1 ? 'cell' : 'cells'}: number ${numbers[0]}${numbers.length > 1 ? ` to ${numbers.at(-1)}` : ''}.`}
        failTitle="No cells added"
      />
      <SubmitButton pending={pending} label="Add cells" busyLabel="Adding…" />
    </form>
  );
}

export type AdminCell = { id: string; kind: 'external' | 'internal'; cell_number: number | null; status: string; height: number; length: number; width: number; order_id: string | null };

/** One kind of cell as a table, with maintenance and delete per empty cell. */
export function CellTable({ cells, caption }: { cells: AdminCell[]; caption: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const run = (fn: () => Promise<{ ok: true } | { ok: false; error: string }>, done: string) =>
    start(async () => {
      setMessage(null);
      const r = await fn();
      setMessage(r.ok ? { tone: 'success', text: done } : { tone: 'error', text: r.error });
      if (r.ok) router.refresh();
    });
  return (
    <div className="space-y-2">
      <div role="status" aria-live="polite">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">Cell</th>
              <th scope="col" className="px-3 py-2">L × W × H (cm)</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {cells.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-4 text-center text-slate-600">
                  None yet: add some below.
                </td>
              </tr>
            ) : null}
            {cells.map((c) => {
              const st = CELL_STATUS[c.status as CellStatus] ?? { label: c.status, tone: 'neutral' as const };
              const empty = c.status === 'available' || c.status === 'maintenance';
              const name = `cell ${c.cell_number ?? '?'}`;
              return (
                <tr key={c.id} data-testid={`${c.kind}-cell-${c.cell_number}`}>
                  <td className="px-3 py-2 font-medium">{c.cell_number ?? '—'}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {c.length} × {c.width} × {c.height}
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={st.tone}>{st.label}</Badge>
                    {c.order_id ? (
                      <a href={`/admin/orders/${c.order_id}`} className="ml-2 font-mono text-xs text-brand-700 underline">
                        order {c.order_id.slice(0, 8)}
                      </a>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    {empty ? (
                      <div className="flex flex-wrap justify-end gap-2">
                        <Button
                          variant="secondary"
                          disabled={pending}
                          aria-label={`${c.status === 'maintenance' ? 'End maintenance of' : 'Start maintenance of'} ${name}`}
                          onClick={() => run(() => setCellMaintenanceAction({ cell_id: c.id, kind: c.kind, maintenance: c.status !== 'maintenance' }), c.status === 'maintenance' ? `Cell ${c.cell_number} is back in service.` : `Cell ${c.cell_number} is under maintenance: nothing is booked into it.`)}
                        >
                          {c.status === 'maintenance' ? 'End maintenance' : 'Maintenance'}
                        </Button>
                        <Button
                          variant="secondary"
                          disabled={pending}
                          aria-label={`Delete ${name}`}
                          onClick={() => {
                            if (window.confirm(`Delete ${name}? Past orders that used it keep their history without a cell number.`)) run(() => deleteCellAction({ cell_id: c.id, kind: c.kind }), `Cell ${c.cell_number} deleted.`);
                          }}
                        >
                          Delete
                        </Button>
                      </div>
                    ) : (
                      <span className="block text-right text-xs text-slate-600">Holds a parcel</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
