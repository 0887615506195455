'use client';

import { useTranslations } from 'next-intl';
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useMemo, useRef } from 'react';
import { CircleMarker, MapContainer, Polyline, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import type { TileConfig } from './map-config';
import { useBaseLayer } from './use-base-layer';

type Point = { lat: number; lon: number };

const PADDING: L.PointExpression = [40, 40];

/**
 * Keeps the drone and the locker in view as the drone moves. The view is refitted when either
 * point leaves it (with a margin), or, until the viewer pans or zooms by hand, when the two
 * have come so close that they fill less than a third of it (the drone is arriving: zoom in).
 */
function KeepInView({ drone, automat }: { drone: Point | null; automat: Point }) {
  const map = useMap();
  const byHand = useRef(false);
  const fitting = useRef(false);
  useMapEvents({
    // Only gestures count: zooms and moves caused by fitBounds below are not the viewer's.
    dragstart: () => (byHand.current = true),
    zoomstart: () => {
      if (!fitting.current) byHand.current = true;
    },
  });
  useEffect(() => {
    const target = L.latLng(automat.lat, automat.lon);
    if (!drone) {
      fitting.current = true;
      map.setView(target, Math.max(map.getZoom(), 15));
      fitting.current = false;
      return;
    }
    const points = L.latLngBounds([target, L.latLng(drone.lat, drone.lon)]);
    const size = map.getSize();
    const inner = L.latLngBounds(
      map.containerPointToLatLng(L.point(PADDING)),
      map.containerPointToLatLng(size.subtract(L.point(PADDING))),
    );
    const outside = !inner.contains(points);
    const ne = map.latLngToContainerPoint(points.getNorthEast());
    const sw = map.latLngToContainerPoint(points.getSouthWest());
    const small = Math.abs(ne.x - sw.x) < size.x / 3 && Math.abs(ne.y - sw.y) < size.y / 3;
    if (outside || (small && !byHand.current)) {
      fitting.current = true;
      map.fitBounds(points, { padding: PADDING, maxZoom: 16, animate: false });
      fitting.current = false;
    }
  }, [map, drone, automat.lat, automat.lon]);
  return null;
}

type Props = { drone: Point | null; automat: Point; automatLabel: string; droneLabel?: string; tiles: TileConfig };

function Layers({ drone, automat, automatLabel, droneLabel, tiles }: Props) {
  const t = useTranslations('map');
  useBaseLayer(tiles);
  return (
    <>
      <KeepInView drone={drone} automat={automat} />
      {drone ? (
        <Polyline
          positions={[
            [drone.lat, drone.lon],
            [automat.lat, automat.lon],
          ]}
          pathOptions={{ color: '#0f66b8', dashArray: '6 8', weight: 3 }}
        />
      ) : null}
      <CircleMarker
        center={[automat.lat, automat.lon]}
        radius={10}
        pathOptions={{ color: '#0c416f', fillColor: '#1d7fd8', fillOpacity: 0.9, weight: 3 }}
      >
        <Tooltip permanent direction="top" offset={[0, -10]}>
          {automatLabel}
        </Tooltip>
      </CircleMarker>
      {drone ? (
        <CircleMarker
          center={[drone.lat, drone.lon]}
          radius={8}
          pathOptions={{ color: '#92400e', fillColor: '#f59e0b', fillOpacity: 1, weight: 3 }}
        >
          <Tooltip permanent direction="bottom" offset={[0, 10]}>
            {droneLabel ? t('droneNamed', { callSign: droneLabel }) : t('drone')}
          </Tooltip>
        </CircleMarker>
      ) : null}
    </>
  );
}

export default function TrackingMapClient(props: Props) {
  const t = useTranslations('map');
  const renderer = useMemo(() => L.canvas({ padding: 0.5 }), []);
  return (
    <MapContainer
      center={[props.automat.lat, props.automat.lon]}
      zoom={14}
      preferCanvas
      renderer={renderer}
      className="h-full w-full"
      aria-label={t('trackingLabel')}
    >
      <Layers {...props} />
    </MapContainer>
  );
}
