'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useActionState, useState, useTransition } from 'react';
import {
  createAutomatAction,
  createCellsAction,
  deleteCellAction,
  setCellMaintenanceAction,
  updateAutomatAction,
} from '@/app/admin/automats/actions';
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
import { isEmptyCell } from '@/lib/lifecycle/guards';

export type AutomatValues = {
  city: string;
  address: string;
  lat: number;
  lon: number;
  arucoId: number;
  ipAddress: string;
  isWorking: boolean;
};
type Other = { lat: number; lon: number; label: string };

function Fields({
  values,
  errors,
  tiles,
  others,
}: {
  values?: AutomatValues;
  errors: Record<string, string>;
  tiles: TileConfig;
  others: Other[];
}) {
  // Coordinates are typed or picked on the map; both edit the same two fields.
  const t = useTranslations('adminFleet.automatForm');
  const [lat, setLat] = useState(values ? String(values.lat) : '');
  const [lon, setLon] = useState(values ? String(values.lon) : '');
  const point =
    lat !== '' &&
    lon !== '' &&
    Number.isFinite(Number(lat)) &&
    Number.isFinite(Number(lon)) &&
    Math.abs(Number(lat)) <= 90 &&
    Math.abs(Number(lon)) <= 180
      ? { lat: Number(lat), lon: Number(lon) }
      : null;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="grid content-start gap-3 sm:grid-cols-2">
        <TextField id="city" name="city" label={t('city')} defaultValue={values?.city} required error={errors.city} />
        <TextField
          id="address"
          name="address"
          label={t('address')}
          defaultValue={values?.address}
          required
          error={errors.address}
        />
        <TextField
          id="lat"
          name="lat"
          label={t('lat')}
          inputMode="decimal"
          value={lat}
          onChange={(e) => setLat(e.target.value)}
          required
          error={errors.lat}
          hint={t('latHint')}
        />
        <TextField
          id="lon"
          name="lon"
          label={t('lon')}
          inputMode="decimal"
          value={lon}
          onChange={(e) => setLon(e.target.value)}
          required
          error={errors.lon}
        />
        <TextField
          id="aruco_id"
          name="aruco_id"
          label={t('aruco')}
          inputMode="numeric"
          defaultValue={values?.arucoId}
          required
          error={errors.aruco_id}
          hint={t('arucoHint')}
        />
        <TextField
          id="ip_address"
          name="ip_address"
          label={t('ipAddress')}
          defaultValue={values?.ipAddress}
          required
          error={errors.ip_address}
          autoComplete="off"
        />
        <label className="flex min-h-11 items-center gap-2 text-sm font-medium sm:col-span-2">
          <input type="checkbox" name="is_working" defaultChecked={values?.isWorking ?? true} className="h-4 w-4" />
          {t('working')}
        </label>
      </div>
      <div
        role="group"
        aria-label={t('map')}
        className="h-72 overflow-hidden rounded-lg border border-slate-300 lg:h-auto lg:min-h-72"
      >
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
  const t = useTranslations('adminFleet.automatForm');
  const [state, action, pending] = useActionState<ActionState<{ id: string }>, FormData>(createAutomatAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <Fields errors={errors} tiles={tiles} others={others} />
      <FormResult state={state} failTitle={t('notCreated')} />
      <SubmitButton pending={pending} label={t('create')} busyLabel={t('creating')} />
    </form>
  );
}

export function EditAutomatForm({
  id,
  values,
  tiles,
  others,
}: {
  id: string;
  values: AutomatValues;
  tiles: TileConfig;
  others: Other[];
}) {
  const t = useTranslations('adminFleet.automatForm');
  const [state, action, pending] = useActionState<ActionState<{ address: string }>, FormData>(
    updateAutomatAction,
    null,
  );
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="automat_id" value={id} />
      <Fields values={values} errors={errors} tiles={tiles} others={others} />
      <FormResult state={state} success={() => t('saved')} failTitle={t('notSaved')} />
      <SubmitButton pending={pending} label={t('save')} busyLabel={t('saving')} />
    </form>
  );
}

export function CreateCellsForm({ automatId }: { automatId: string }) {
  const t = useTranslations('adminFleet.cellsForm');
  const [state, action, pending] = useActionState<ActionState<{ numbers: number[] }>, FormData>(
    createCellsAction,
    null,
  );
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="automat_id" value={automatId} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">{t('kind')}</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          <label className="flex min-h-11 items-center gap-2">
            <input type="radio" name="kind" value="external" defaultChecked /> {t('pickup')}
          </label>
          <label className="flex min-h-11 items-center gap-2">
            <input type="radio" name="kind" value="internal" /> {t('drop')}
          </label>
        </div>
        {errors.kind ? <p className="text-sm font-medium text-red-700">{errors.kind}</p> : null}
      </fieldset>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <TextField
          id="count"
          name="count"
          label={t('count')}
          inputMode="numeric"
          defaultValue="1"
          required
          error={errors.count}
        />
        <TextField
          id="cell-length"
          name="length"
          label={t('length')}
          inputMode="decimal"
          required
          error={errors.length}
        />
        <TextField id="cell-width" name="width" label={t('width')} inputMode="decimal" required error={errors.width} />
        <TextField
          id="cell-height"
          name="height"
          label={t('height')}
          inputMode="decimal"
          required
          error={errors.height}
        />
      </div>
      <FormResult
        state={state}
        success={({ numbers }) =>
          t('added', { count: numbers.length, first: numbers[0] ?? 0, last: numbers.at(-1) ?? 0 })
        }
        failTitle={t('notAdded')}
      />
      <SubmitButton pending={pending} label={t('add')} busyLabel={t('adding')} />
    </form>
  );
}

export type AdminCell = {
  id: string;
  kind: 'external' | 'internal';
  cell_number: number | null;
  status: string;
  height: number;
  length: number;
  width: number;
  order_id: string | null;
};

/** One kind of cell as a table, with maintenance and delete per empty cell. */
export function CellTable({ cells, caption }: { cells: AdminCell[]; caption: string }) {
  const router = useRouter();
  const t = useTranslations('adminFleet.cellTable');
  const ts = useTranslations('adminFleet.cellStates');
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
              <th scope="col" className="px-3 py-2">
                {t('cell')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('size')}
              </th>
              <th scope="col" className="px-3 py-2">
                {t('status')}
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {cells.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-4 text-center text-slate-600">
                  {t('empty')}
                </td>
              </tr>
            ) : null}
            {cells.map((c) => {
              const known = c.status in CELL_STATUS;
              const st = {
                tone: known ? CELL_STATUS[c.status as CellStatus].tone : ('neutral' as const),
                label: known ? ts(c.status) : c.status,
              };
              const empty = isEmptyCell(c);
              const n = c.cell_number ?? '?';
              return (
                <tr key={c.id} data-testid={`${c.kind}-cell-${c.cell_number}`}>
                  <td className="px-3 py-2 font-medium">{c.cell_number ?? '—'}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {c.length} × {c.width} × {c.height}
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={st.tone}>{st.label}</Badge>
                    {c.order_id ? (
                      <a
                        href={`/admin/orders/${c.order_id}`}
                        className="ml-2 font-mono text-xs text-brand-700 underline"
                      >
                        {t('order', { id: c.order_id.slice(0, 8) })}
                      </a>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    {empty ? (
                      <div className="flex flex-wrap justify-end gap-2">
                        <Button
                          variant="secondary"
                          disabled={pending}
                          aria-label={
                            c.status === 'maintenance' ? t('endMaintenanceOf', { n }) : t('startMaintenanceOf', { n })
                          }
                          onClick={() =>
                            run(
                              () =>
                                setCellMaintenanceAction({
                                  cell_id: c.id,
                                  kind: c.kind,
                                  maintenance: c.status !== 'maintenance',
                                }),
                              c.status === 'maintenance' ? t('backInService', { n }) : t('inMaintenance', { n }),
                            )
                          }
                        >
                          {c.status === 'maintenance' ? t('endMaintenance') : t('maintenance')}
                        </Button>
                        <Button
                          variant="secondary"
                          disabled={pending}
                          aria-label={t('deleteOf', { n })}
                          onClick={() => {
                            if (window.confirm(t('confirmDelete', { n })))
                              run(() => deleteCellAction({ cell_id: c.id, kind: c.kind }), t('deleted', { n }));
                          }}
                        >
                          {t('delete')}
                        </Button>
                      </div>
                    ) : (
                      <span className="block text-right text-xs text-slate-600">{t('holdsParcel')}</span>
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
