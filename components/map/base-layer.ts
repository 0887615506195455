'use client';

import L from 'leaflet';
import type { TileConfig } from './map-config';
import { tileAt, tileUrl } from './tile-url';

// The map's background. Tiles come from MAP_TILE_URL; where that server cannot be reached (no
// internet, a self-hosted server down), one probe tile fails and the map switches to a light
// grid with a notice instead of asking for dozens of tiles that will all fail: each failed
// tile is a console error and a wasted request, and a grey map with bare dots tells nobody why.
// The failure is remembered for the tab (sessionStorage) for a while, so the next map does not
// even probe; after that, it tries again.

export type BaseLayerState = 'loading' | 'online' | 'offline';

const REMEMBER_MS = 10 * 60_000;
const PROBE_TIMEOUT_MS = 8_000;
/** With tiles that passed the probe, this many failures and no success also means "offline". */
const MAX_TILE_ERRORS = 6;
const STORAGE_KEY = 'skypost.map-tiles-failed';

const probes = new Map<string, Promise<boolean>>();

function failedRecently(url: string): boolean {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return false;
    const v = JSON.parse(raw) as { url?: unknown; at?: unknown };
    return v.url === url && typeof v.at === 'number' && Date.now() - v.at < REMEMBER_MS;
  } catch {
    return false;
  }
}

function rememberFailure(url: string) {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ url, at: Date.now() }));
  } catch {
    // Storage can be full or disabled: the next map probes again, which is still one request.
  }
}

/** One request for one tile, shared by every map on the page that uses the same template. */
function probe(url: string, center: L.LatLng, zoom: number): Promise<boolean> {
  let p = probes.get(url);
  if (!p) {
    p = new Promise<boolean>((resolve) => {
      const img = new Image();
      const timer = setTimeout(() => {
        img.src = '';
        resolve(false);
      }, PROBE_TIMEOUT_MS);
      img.onload = () => {
        clearTimeout(timer);
        resolve(true);
      };
      img.onerror = () => {
        clearTimeout(timer);
        resolve(false);
      };
      img.src = tileUrl(url, tileAt(center.lat, center.lng, Math.round(zoom)));
    }).then((ok) => {
      if (!ok) {
        rememberFailure(url);
        // A later map (after REMEMBER_MS) may probe again.
        setTimeout(() => probes.delete(url), REMEMBER_MS);
      }
      return ok;
    });
    probes.set(url, p);
  }
  return p;
}

/** Faint lines on the tile grid: the map still shows movement and distance without tiles. */
const GridBackground = L.GridLayer.extend({
  createTile() {
    const tile = document.createElement('div');
    tile.style.borderRight = '1px solid rgba(100, 116, 139, 0.16)';
    tile.style.borderBottom = '1px solid rgba(100, 116, 139, 0.16)';
    return tile;
  },
}) as unknown as new (options?: L.GridLayerOptions) => L.GridLayer;

/** The notice's words, in the page's language (messages/<locale>/map.json, `notice`). */
export type NoticeText = { title: string; details: string; hide: string; why: string };

function noticeControl(compact: boolean, text: NoticeText): L.Control {
  const control = new L.Control({ position: 'topright' });
  control.onAdd = () => {
    const box = L.DomUtil.create(
      'div',
      'skypost-map-notice max-w-[16rem] rounded-lg border border-amber-300 bg-amber-50 px-2.5 py-1.5 ' +
        'text-xs leading-snug text-slate-900 shadow',
    );
    box.setAttribute('role', 'status');
    box.dataset.testid = 'map-offline-notice';
    const head = L.DomUtil.create('div', 'flex items-start justify-between gap-2', box);
    const title = L.DomUtil.create('p', 'font-semibold', head);
    title.textContent = text.title;
    const toggle = L.DomUtil.create(
      'button',
      'shrink-0 rounded px-1 font-medium text-brand-700 underline ' +
        'focus-visible:outline-2 focus-visible:outline-brand-700',
      head,
    ) as HTMLButtonElement;
    toggle.type = 'button';
    const details = L.DomUtil.create('p', 'mt-1 text-slate-800', box);
    details.id = `map-notice-${Math.random().toString(36).slice(2, 9)}`;
    details.textContent = text.details;
    toggle.setAttribute('aria-controls', details.id);
    const show = (open: boolean) => {
      details.hidden = !open;
      toggle.textContent = open ? text.hide : text.why;
      toggle.setAttribute('aria-expanded', String(open));
    };
    show(!compact);
    toggle.addEventListener('click', () => show(details.hidden));
    // Clicks and scrolls on the notice must not reach the map (the point picker places a point on click).
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  return control;
}

/**
 * Adds the background of a map: a metric scale, then the tiles, or the offline grid and notice
 * when the tile server cannot be reached. Returns the cleanup.
 */
export function attachBaseLayer(
  map: L.Map,
  { tiles, text, onState }: { tiles: TileConfig; text: NoticeText; onState: (s: BaseLayerState) => void },
): () => void {
  let disposed = false;
  const added: (L.Layer | L.Control)[] = [];
  const scale = L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
  added.push(scale);
  const container = map.getContainer();
  // The view (zoom and centre), readable by tests and tools without Leaflet's internals.
  const markZoom = () => {
    const c = map.getCenter();
    container.dataset.zoom = String(map.getZoom());
    container.dataset.center = `${c.lat.toFixed(6)},${c.lng.toFixed(6)}`;
  };
  markZoom();
  map.on('moveend', markZoom);

  const goOffline = () => {
    if (disposed) return;
    container.style.background = '#f4f6f3';
    container.dataset.mapBackground = 'offline';
    added.push(new GridBackground({ pane: 'tilePane' }).addTo(map));
    added.push(noticeControl(container.clientWidth < 480, text).addTo(map));
    onState('offline');
  };

  const goOnline = () => {
    if (disposed) return;
    let loads = 0;
    let errors = 0;
    const layer = L.tileLayer(tiles.url, { attribution: tiles.attribution });
    layer.on('tileload', () => loads++);
    layer.on('tileerror', () => {
      errors++;
      if (loads === 0 && errors >= MAX_TILE_ERRORS) {
        // Removing the layer aborts the tiles still loading: no more requests.
        layer.remove();
        rememberFailure(tiles.url);
        goOffline();
      }
    });
    layer.addTo(map);
    added.push(layer);
    container.dataset.mapBackground = 'tiles';
    onState('online');
  };

  if (failedRecently(tiles.url)) goOffline();
  else {
    onState('loading');
    void probe(tiles.url, map.getCenter(), map.getZoom()).then((ok) => (ok ? goOnline() : goOffline()));
  }

  return () => {
    disposed = true;
    map.off('moveend', markZoom);
    for (const a of added) a.remove();
  };
}
