'use client';

import { useTranslations } from 'next-intl';
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect } from 'react';
import { CircleMarker, MapContainer, Tooltip, useMap } from 'react-leaflet';
import { DEFAULT_CENTER, type TileConfig } from './map-config';
import { useBaseLayer } from './use-base-layer';

export type MapAutomat = { id: string; lat: number; lon: number; label: string; selectable: boolean; reason?: string };

function FitAndFocus({
  automats,
  selectedId,
  user,
}: {
  automats: MapAutomat[];
  selectedId: string | null;
  user: { lat: number; lon: number } | null;
}) {
  const map = useMap();
  useEffect(() => {
    const points = automats.map((a) => L.latLng(a.lat, a.lon));
    if (user) points.push(L.latLng(user.lat, user.lon));
    if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [32, 32], maxZoom: 15 });
  }, [map, automats, user]);
  useEffect(() => {
    const a = automats.find((x) => x.id === selectedId);
    if (a) map.panTo([a.lat, a.lon]);
  }, [map, automats, selectedId]);
  return null;
}

type Props = {
  automats: MapAutomat[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  user: { lat: number; lon: number } | null;
  tiles: TileConfig;
};

function Layers({ automats, selectedId, onSelect, user, tiles }: Props) {
  const t = useTranslations('map');
  // Without a background, lockers carry their address permanently once zoomed in.
  const { labels } = useBaseLayer(tiles);
  return (
    <>
      <FitAndFocus automats={automats} selectedId={selectedId} user={user} />
      {automats.map((a) => {
        const selected = a.id === selectedId;
        const permanent = labels || selected;
        return (
          <CircleMarker
            key={a.id}
            center={[a.lat, a.lon]}
            radius={selected ? 12 : 9}
            pathOptions={{
              color: selected ? '#0c416f' : a.selectable ? '#0f66b8' : '#64748b',
              fillColor: selected ? '#1d7fd8' : a.selectable ? '#5aa7ec' : '#cbd5e1',
              fillOpacity: 0.9,
              weight: selected ? 4 : 2,
            }}
            // Applied by Leaflet when the path is created (setStyle ignores className).
            className={`automat-marker automat-marker-${a.id}${a.selectable ? '' : ' automat-marker-unavailable'}`}
            eventHandlers={{ click: () => a.selectable && onSelect(a.id) }}
          >
            {/* Leaflet reads `permanent` once: a new key makes a new tooltip when it changes. */}
            <Tooltip key={permanent ? 'label' : 'hover'} permanent={permanent} direction="top" offset={[0, -8]}>
              {a.label}
              {a.selectable ? '' : ` — ${a.reason ?? 'unavailable'}`}
            </Tooltip>
          </CircleMarker>
        );
      })}
      {user ? (
        <CircleMarker
          center={[user.lat, user.lon]}
          radius={7}
          pathOptions={{ color: '#065f46', fillColor: '#10b981', fillOpacity: 1, weight: 3 }}
        >
          <Tooltip key={labels ? 'label' : 'hover'} permanent={labels} direction="bottom" offset={[0, 8]}>
            {t('youAreHere')}
          </Tooltip>
        </CircleMarker>
      ) : null}
    </>
  );
}

export default function AutomatMapClient(props: Props) {
  const t = useTranslations('map');
  // SVG markers (tens of lockers, not thousands): each is a DOM element with its own class.
  return (
    <MapContainer
      center={DEFAULT_CENTER}
      zoom={12}
      className="h-full w-full"
      scrollWheelZoom
      aria-label={t('lockersLabel')}
    >
      <Layers {...props} />
    </MapContainer>
  );
}
