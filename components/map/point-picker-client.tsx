'use client';

import { useTranslations } from 'next-intl';
import 'leaflet/dist/leaflet.css';
import { useEffect } from 'react';
import { CircleMarker, MapContainer, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import { DEFAULT_CENTER, type TileConfig } from './map-config';
import { useBaseLayer } from './use-base-layer';

export type PickerPoint = { lat: number; lon: number };

type Props = {
  point: PickerPoint | null;
  onPick: (p: PickerPoint) => void;
  others: (PickerPoint & { label: string })[];
  tiles: TileConfig;
};

function ClickToPick({ onPick }: { onPick: (p: PickerPoint) => void }) {
  useMapEvents({ click: (e) => onPick({ lat: e.latlng.lat, lon: e.latlng.lng }) });
  return null;
}

function FollowPoint({ point }: { point: PickerPoint | null }) {
  const map = useMap();
  useEffect(() => {
    if (point && !map.getBounds().contains([point.lat, point.lon])) map.panTo([point.lat, point.lon]);
  }, [map, point]);
  return null;
}

function Layers({ point, onPick, others, tiles }: Props) {
  const t = useTranslations('map');
  const { labels } = useBaseLayer(tiles);
  return (
    <>
      <ClickToPick onPick={onPick} />
      <FollowPoint point={point} />
      {others.map((o) => (
        <CircleMarker
          key={`${o.lat},${o.lon},${o.label}`}
          center={[o.lat, o.lon]}
          radius={6}
          pathOptions={{ color: '#475569', fillColor: '#94a3b8', fillOpacity: 0.7, weight: 1 }}
        >
          <Tooltip key={labels ? 'label' : 'hover'} permanent={labels} direction="top" offset={[0, -6]}>
            {o.label}
          </Tooltip>
        </CircleMarker>
      ))}
      {point ? (
        <CircleMarker
          center={[point.lat, point.lon]}
          radius={10}
          pathOptions={{ color: '#1d4ed8', fillColor: '#3b82f6', fillOpacity: 0.9, weight: 3 }}
        >
          <Tooltip key={labels ? 'label' : 'hover'} permanent={labels} direction="bottom" offset={[0, 10]}>
            {t('thisLocker')}
          </Tooltip>
        </CircleMarker>
      ) : null}
    </>
  );
}

/** Click the map to place a point; other lockers are shown greyed for reference. */
export default function PointPickerClient(props: Props) {
  const { point } = props;
  return (
    <MapContainer
      center={point ? [point.lat, point.lon] : DEFAULT_CENTER}
      zoom={point ? 15 : 12}
      className="h-full w-full"
      scrollWheelZoom
    >
      <Layers {...props} />
    </MapContainer>
  );
}
