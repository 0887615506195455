'use client';

import { PageLink } from '@/components/ui/page-link';
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { createOrderAction } from '@/app/(site)/order/actions';
import { AutomatMap } from '@/components/map/automat-map';
import type { TileConfig } from '@/components/map/map-config';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { distanceText, haversineMeters } from '@/lib/geo';

export type PickerAutomat = {
  id: string;
  city: string;
  address: string;
  lat: number;
  lon: number;
  selectable: boolean;
  reason?: string;
  freeFittingCells: number;
};

export function AutomatPicker({
  goodId,
  goodName,
  automats,
  tiles,
}: {
  goodId: string;
  goodName: string;
  automats: PickerAutomat[];
  tiles: TileConfig;
}) {
  const router = useRouter();
  const t = useTranslations('order');
  const format = useFormatter();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [user, setUser] = useState<{ lat: number; lon: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tooManyOrders, setTooManyOrders] = useState(false);
  const [pending, startTransition] = useTransition();

  const rows = useMemo(() => {
    const withDistance = automats.map((a) => ({ ...a, distance: user ? haversineMeters(user, a) : null }));
    if (user)
      withDistance.sort((a, b) => Number(b.selectable) - Number(a.selectable) || (a.distance ?? 0) - (b.distance ?? 0));
    return withDistance;
  }, [automats, user]);
  const selected = rows.find((a) => a.id === selectedId) ?? null;

  function locate() {
    if (!('geolocation' in navigator)) {
      setLocationError(t('geo.unsupported'));
      return;
    }
    setLocating(true);
    setLocationError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const here = { lat: pos.coords.latitude, lon: pos.coords.longitude };
        setUser(here);
        setLocating(false);
        const nearest = automats
          .filter((a) => a.selectable)
          .map((a) => ({ id: a.id, d: haversineMeters(here, a) }))
          .sort((a, b) => a.d - b.d)[0];
        if (nearest) setSelectedId(nearest.id);
      },
      (err) => {
        setLocating(false);
        setLocationError(err.code === err.PERMISSION_DENIED ? t('geo.denied') : t('geo.failed'));
      },
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 60_000 },
    );
  }

  function confirm() {
    if (!selected) return;
    setError(null);
    setTooManyOrders(false);
    startTransition(async () => {
      const result = await createOrderAction({ good_id: goodId, parcel_automat_id: selected.id }).catch(() => null);
      if (!result) {
        setError(t('failed'));
        return;
      }
      if (result.ok) {
        router.push(`/orders/${result.data.orderId}`);
        return;
      }
      setError(result.error);
      setTooManyOrders(Boolean(result.fieldErrors.open_orders));
      router.refresh(); // availability changed: show the current state
    });
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
      <div className="h-72 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm sm:h-96 lg:h-[560px]">
        <AutomatMap
          automats={automats.map((a) => ({
            id: a.id,
            lat: a.lat,
            lon: a.lon,
            label: a.address,
            selectable: a.selectable,
            reason: a.reason,
          }))}
          selectedId={selectedId}
          onSelect={setSelectedId}
          user={user}
          tiles={tiles}
        />
      </div>
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-lg font-semibold">{t('chooseLocker')}</h2>
          <Button type="button" variant="secondary" onClick={locate} disabled={locating} aria-busy={locating}>
            {locating ? t('locating') : t('locate')}
          </Button>
        </div>
        {locationError ? <Alert tone="info">{locationError}</Alert> : null}
        <fieldset className="max-h-[420px] space-y-2 overflow-y-auto pr-1">
          <legend className="sr-only">{t('lockers')}</legend>
          {rows.map((a) => (
            <label
              key={a.id}
              className={`flex cursor-pointer items-start gap-3 rounded-lg border p-3 ${
                !a.selectable
                  ? 'cursor-not-allowed border-slate-200 bg-slate-50 text-slate-500'
                  : a.id === selectedId
                    ? 'border-brand-600 bg-brand-50 ring-2 ring-brand-200'
                    : 'border-slate-200 bg-white hover:border-brand-500'
              }`}
            >
              <input
                type="radio"
                name="automat"
                value={a.id}
                className="mt-1 h-4 w-4 accent-brand-700"
                checked={a.id === selectedId}
                disabled={!a.selectable}
                onChange={() => setSelectedId(a.id)}
                aria-describedby={`automat-${a.id}-state`}
              />
              <span className="flex-1">
                <span className={`block font-semibold ${a.selectable ? 'text-slate-900' : 'text-slate-600'}`}>
                  {a.address}
                </span>
                <span className="block text-sm text-slate-600">
                  {a.city}
                  {a.distance !== null ? ` · ${t('away', { distance: distanceText(format, a.distance) })}` : ''}
                </span>
                <span id={`automat-${a.id}-state`} className="mt-1 block">
                  {a.selectable ? (
                    <Badge tone="success">{t('freeCellsFit', { count: a.freeFittingCells })}</Badge>
                  ) : (
                    <span className="text-sm text-slate-700">{a.reason}</span>
                  )}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {error ? (
          <Alert title={t('notPlaced')}>
            {error}
            {tooManyOrders ? (
              <>
                {' '}
                <PageLink href="/orders" className="font-semibold underline">
                  {t('seeOrders')}
                </PageLink>
              </>
            ) : null}
          </Alert>
        ) : null}
        <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          {selected ? (
            <p className="text-sm text-slate-800">
              {t.rich('summary', {
                good: goodName,
                address: selected.address,
                b: (chunks) => <span className="font-semibold">{chunks}</span>,
              })}
            </p>
          ) : (
            <p className="text-sm text-slate-700">{t('selectHint')}</p>
          )}
          <Button
            type="button"
            size="lg"
            className="mt-3 w-full"
            disabled={!selected || pending}
            aria-busy={pending}
            onClick={confirm}
          >
            {pending ? t('placing') : t('confirm')}
          </Button>
        </div>
      </div>
    </div>
  );
}
