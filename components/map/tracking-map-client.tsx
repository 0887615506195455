'use client';

import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import { CircleMarker, MapContainer, Polyline, TileLayer, Tooltip, useMap } from 'react-leaflet';
import type { TileConfig } from './map-config';

type Point = { lat: number; lon: number };

function Fit({ drone, automat }: { drone: Point | null; automat: Point }) {
  const map = useMap();
  const key = drone ? `${drone.lat.toFixed(3)},${drone.lon.toFixed(3)}` : 'none';
  useEffect(() => {
    const pts = [L.latLng(automat.lat, automat.lon), ...(drone ? [L.latLng(drone.lat, drone.lon)] : [])];
    if (pts.length > 1) map.fitBounds(L.latLngBounds(pts), { padding: [40, 40], maxZoom: 16 });
    else map.setView(pts[0]!, 15);
    // Refit only when the drone moved noticeably, not on every poll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key, automat.lat, automat.lon]);
  return null;
}

export default function TrackingMapClient({ drone, automat, automatLabel, tiles }: { drone: Point | null; automat: Point; automatLabel: string; tiles: TileConfig }) {
  const renderer = useMemo(() => L.canvas({ padding: 0.5 }), []);
  return (
    <MapContainer center={[automat.lat, automat.lon]} zoom={14} preferCanvas renderer={renderer} className="h-full w-full" aria-label="Live map of your delivery">
      <TileLayer url={tiles.url} attribution={tiles.attribution} />
      <Fit drone={drone} automat={automat} />
      {drone ? <Polyline positions={[[drone.lat, drone.lon], [automat.lat, automat.lon]]} pathOptions={{ color: '#0f66b8', dashArray: '6 8', weight: 3 }} /> : null}
      <CircleMarker center={[automat.lat, automat.lon]} radius={10} pathOptions={{ color: '#0c416f', fillColor: '#1d7fd8', fillOpacity: 0.9, weight: 3 }}>
        <Tooltip permanent direction="top" offset={[0, -10]}>
          {automatLabel}
        </Tooltip>
      </CircleMarker>
      {drone ? (
        <CircleMarker center={[drone.lat, drone.lon]} radius={8} pathOptions={{ color: '#92400e', fillColor: '#f59e0b', fillOpacity: 1, weight: 3 }}>
          <Tooltip permanent direction="bottom" offset={[0, 10]}>
            Drone
          </Tooltip>
        </CircleMarker>
      ) : null}
    </MapContainer>
  );
}
