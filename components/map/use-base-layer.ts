'use client';

import { useEffect, useState } from 'react';
import { useMap, useMapEvent } from 'react-leaflet';
import { attachBaseLayer, type BaseLayerState } from './base-layer';
import { useNoticeText } from './notice-text';
import type { TileConfig } from './map-config';
import { LABEL_ZOOM } from './tile-url';

/**
 * The background of a react-leaflet map (tiles, or the offline grid and notice) and whether
 * places should carry permanent labels: only without a background, and only once zoomed in
 * enough that the labels do not cover each other.
 */
export function useBaseLayer(tiles: TileConfig): { state: BaseLayerState; labels: boolean } {
  const map = useMap();
  const [state, setState] = useState<BaseLayerState>('loading');
  const [zoom, setZoom] = useState(() => map.getZoom());
  const text = useNoticeText();
  useEffect(
    () => attachBaseLayer(map, { tiles: { url: tiles.url, attribution: tiles.attribution }, text, onState: setState }),
    [map, tiles.url, tiles.attribution, text],
  );
  useMapEvent('zoomend', () => setZoom(map.getZoom()));
  return { state, labels: state === 'offline' && zoom >= LABEL_ZOOM };
}
