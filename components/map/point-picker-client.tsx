'use client';

import 'leaflet/dist/leaflet.css';
import { useEffect } from 'react';
import { CircleMarker, MapContainer, TileLayer, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import { DEFAULT_CENTER, type TileConfig } from './map-config';

export type PickerPoint = { lat: number; lon: number };

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

/** Click the map to place a point; other lockers are shown greyed for reference. */
export default function PointPickerClient({ point, onPick, others, tiles }: { point: PickerPoint | null; onPick: (p: PickerPoint) => void; others: (PickerPoint & { label: string })[]; tiles: TileConfig }) {
  return (
    <MapContainer center={point ? [point.lat, point.lon] : DEFAULT_CENTER} zoom={point ? 15 : 12} className="h-full w-full" scrollWheelZoom>
      <TileLayer url={tiles.url} attribution={tiles.attribution} />
      <ClickToPick onPick={onPick} />
      <FollowPoint point={point} />
      {others.map((o) => (
        <CircleMarker key={`${o.lat},${o.lon},${o.label}`} center={[o.lat, o.lon]} radius={6} pathOptions={{ color: '#475569', fillColor: '#94a3b8', fillOpacity: 0.7, weight: 1 }}>
          <Tooltip>{o.label}</Tooltip>
        </CircleMarker>
      ))}
      {point ? <CircleMarker center={[point.lat, point.lon]} radius={10} pathOptions={{ color: '#1d4ed8', fillColor: '#3b82f6', fillOpacity: 0.9, weight: 3 }} /> : null}
    </MapContainer>
  );
}
