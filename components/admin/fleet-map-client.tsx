'use client';

import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { attachBaseLayer, type BaseLayerState, type NoticeText } from '@/components/map/base-layer';
import { DEFAULT_CENTER, type TileConfig } from '@/components/map/map-config';
import { LABEL_ZOOM } from '@/components/map/tile-url';
import type { DroneTuple, SnapshotAutomat } from '@/lib/admin/fleet';
import { ClusterMarker, clusterRadius, DroneClusterIndex } from './fleet-clusters';
import { droneState } from '@/lib/admin/drone-state';
import {
  AUTOMAT_COLOURS,
  automatState,
  BATTERY_AMBER_AT,
  DRONE_COLOURS,
  type DroneStatusKey,
  type FleetRules,
  type FleetT,
} from './fleet-style';

// The live fleet map, managed imperatively: layers are created once and then moved or
// restyled in place on each snapshot, on Leaflet's canvas renderer, so thousands of drones
// updating every second cost a few canvas redraws, not thousands of React renders.

/** Drones are labelled from this zoom (a few streets across: tens of drones, not thousands). */
const DRONE_LABEL_ZOOM = 15;

/** Shared by every marker of one map: whether labels are drawn (no background under them). */
type LabelSwitch = { on: boolean };

type DroneMarkerOptions = L.CircleMarkerOptions & {
  heading: number;
  battery: number | null;
  /** At or below it the battery bar is red: the alerts' low-battery threshold. */
  lowBattery: number;
  label: string;
  labels: LabelSwitch;
};

/**
 * A heading-rotated arrow with a battery bar (and, zoomed in without a background, its name), drawn on the canvas
 * renderer.
 */
const DroneMarker = L.CircleMarker.extend({
  _updatePath(
    this: L.CircleMarker & {
      _renderer: {
        _drawing: boolean;
        _ctx: CanvasRenderingContext2D;
        _fillStroke: (ctx: CanvasRenderingContext2D, layer: unknown) => void;
      };
      _point: L.Point;
      _radius: number;
      _empty(): boolean;
      _map: L.Map;
    },
  ) {
    const r = this._renderer;
    if (!r._drawing || this._empty()) return;
    const ctx = r._ctx;
    const p = this._point;
    const s = this._radius;
    const o = this.options as DroneMarkerOptions;
    // Rotated by hand rather than with save/translate/rotate/restore: thousands of markers are
    // redrawn each second, and the state stack is a large part of each one's cost.
    const a = ((o.heading ?? 0) * Math.PI) / 180;
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    const at = (x: number, y: number): [number, number] => [p.x + x * cos - y * sin, p.y + x * sin + y * cos];
    ctx.beginPath();
    ctx.moveTo(...at(0, -s * 1.5));
    ctx.lineTo(...at(s, s));
    ctx.lineTo(...at(0, s * 0.45));
    ctx.lineTo(...at(-s, s));
    ctx.closePath();
    r._fillStroke(ctx, this);
    if (o.battery !== null && o.battery !== undefined) {
      const w = s * 2.4;
      ctx.fillStyle = '#0f172a';
      ctx.fillRect(p.x - w / 2, p.y + s * 1.5, w, 3);
      ctx.fillStyle = o.battery <= o.lowBattery ? '#dc2626' : o.battery <= BATTERY_AMBER_AT ? '#d97706' : '#16a34a';
      ctx.fillRect(p.x - w / 2, p.y + s * 1.5, (w * Math.max(0, Math.min(100, o.battery))) / 100, 3);
    }
    if (o.labels.on && o.label && this._map.getZoom() >= DRONE_LABEL_ZOOM) {
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.lineWidth = 3;
      ctx.strokeStyle = 'rgba(255,255,255,0.95)';
      ctx.strokeText(o.label, p.x, p.y + s * 1.5 + 5);
      ctx.fillStyle = '#0f172a';
      ctx.fillText(o.label, p.x, p.y + s * 1.5 + 5);
    }
  },
}) as unknown as new (latlng: L.LatLngExpression, options: DroneMarkerOptions) => L.CircleMarker;

export type FleetMapProps = {
  drones: DroneTuple[];
  automats: SnapshotAutomat[];
  selectedId: string | null;
  trail: [number, number][];
  fitSignal: number;
  now: number;
  onSelectDrone: (id: string) => void;
  onSelectAutomat: (id: string) => void;
  tiles: TileConfig;
  /** The adminFleet messages: the popups and badges are built as DOM, outside React. */
  t: FleetT;
  /** The offline notice's words (components/map/use-base-layer.ts). */
  noticeText: NoticeText;
  rules: FleetRules;
  /** For sorting call signs in the page's language. */
  locale: string;
};

type DroneLayers = { marker: L.CircleMarker; line: L.Polyline | null; key: string; onMap: boolean };

const STATE_KEYS = Object.keys(DRONE_COLOURS) as DroneStatusKey[];
const stateIndex = (state: DroneStatusKey) => Math.max(0, STATE_KEYS.indexOf(state));
/** A drone's state as shown, from its tuple and the snapshot's time. */
const stateOf = (d: DroneTuple, now: number) => droneState({ status: d[1], speedMps: d[6], lastSeenMs: d[7] }, now);

type ClusterOptions = L.CircleMarkerOptions & { count: number; clusterId: number };

/** The list a cluster opens: each drone, a button that selects it and a link to its page; and a way to spread them. */
function clusterList(
  t: FleetT,
  {
    drones,
    now,
    total,
    spreadAt,
    actions,
  }: {
    drones: DroneTuple[];
    now: number;
    total: number;
    spreadAt: number | null;
    actions: { select: (id: string) => void; zoom: () => void };
  },
): HTMLElement {
  const box = document.createElement('section');
  box.className = 'skypost-cluster w-60 text-sm';
  const headingId = `cluster-h-${Math.random().toString(36).slice(2, 9)}`;
  box.setAttribute('aria-labelledby', headingId);
  const h = document.createElement('h3');
  h.id = headingId;
  h.className = 'font-semibold';
  h.textContent = t('cluster.heading', { count: total });
  box.append(h);
  const list = document.createElement('ul');
  list.className = 'mt-1 max-h-56 space-y-1 overflow-y-auto pr-1';
  list.setAttribute('aria-label', t('cluster.list'));
  for (const d of drones) {
    const [id, , battery, , , , , , , , model, callSign] = d;
    const li = document.createElement('li');
    li.className = 'flex items-center justify-between gap-2';
    const show = document.createElement('button');
    show.type = 'button';
    show.className =
      'shrink-0 rounded px-1 text-left font-semibold text-brand-700 underline ' +
      'focus-visible:outline-2 focus-visible:outline-brand-700';
    show.textContent = callSign;
    show.setAttribute('aria-describedby', `${headingId}-${id}`);
    show.title = t('cluster.show');
    show.dataset.drone = id;
    show.addEventListener('click', () => actions.select(id));
    const info = document.createElement('span');
    info.className = 'min-w-0 flex-1 truncate text-xs text-slate-700';
    info.id = `${headingId}-${id}`;
    info.textContent = [
      model,
      t(`droneStates.${stateOf(d, now)}`),
      battery === null ? null : t('cluster.battery', { level: Math.round(battery) }),
    ]
      .filter(Boolean)
      .join(' · ');
    info.title = info.textContent;
    const link = document.createElement('a');
    link.href = `/admin/drones/${id}`;
    link.className = 'shrink-0 text-xs text-brand-700 underline';
    link.textContent = t('cluster.details');
    link.setAttribute('aria-label', t('cluster.detailsOf', { callSign }));
    li.append(show, info, link);
    list.append(li);
  }
  box.append(list);
  if (drones.length < total) {
    const more = document.createElement('p');
    more.className = 'mt-1 text-xs text-slate-700';
    more.textContent = t('cluster.more', { count: total - drones.length });
    box.append(more);
  }
  if (spreadAt !== null) {
    const zoom = document.createElement('button');
    zoom.type = 'button';
    zoom.className =
      'mt-2 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-semibold hover:bg-slate-50 ' +
      'focus-visible:outline-2 focus-visible:outline-brand-700';
    zoom.textContent = t('cluster.spread');
    zoom.addEventListener('click', actions.zoom);
    box.append(zoom);
  } else {
    const same = document.createElement('p');
    same.className = 'mt-2 text-xs text-slate-700';
    same.textContent = t('cluster.sameSpot');
    box.append(same);
  }
  return box;
}

/** The most drones a cluster's list shows. */
const LIST_MAX = 50;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const AUTOMAT_LABEL_STYLE = [
  'position:absolute',
  'top:31px',
  'left:50%',
  'transform:translateX(-50%)',
  'white-space:nowrap',
  'background:rgba(255,255,255,.95)',
  'color:#0f172a',
  'border-radius:4px',
  'padding:0 4px',
  'font:600 11px system-ui',
  'box-shadow:0 1px 2px rgba(0,0,0,.25)',
].join(';');

function automatIcon({
  t,
  automat: a,
  now,
  label,
  rules,
}: {
  t: FleetT;
  automat: SnapshotAutomat;
  now: number;
  label: boolean;
  rules: FleetRules;
}) {
  const state = automatState(a, now, rules);
  const c = AUTOMAT_COLOURS[state];
  // The address under the badge, when the map has no background to say where this is.
  const address = label ? `<div style="${AUTOMAT_LABEL_STYLE}">${escapeHtml(a.address)}</div>` : '';
  const title = escapeHtml(
    t('map.automatTitle', {
      address: a.address,
      state: t(`automatStates.${state}`),
      free: a.external_free,
      inService: a.external_in_service,
    }),
  );
  const style = [
    'position:relative',
    'display:flex',
    'width:max-content',
    'white-space:nowrap',
    'align-items:center',
    'gap:3px',
    `background:${c.fill}`,
    `border:2px solid ${c.stroke}`,
    'color:#fff',
    'border-radius:8px',
    'padding:2px 5px',
    'font:600 11px system-ui',
    'box-shadow:0 1px 3px rgba(0,0,0,.35)',
  ].join(';');
  return L.divIcon({
    className: 'skypost-automat',
    iconSize: [44, 30],
    iconAnchor: [22, 15],
    // "free/in service": the one cell metric, short; the title says it in words.
    html:
      `<div data-automat="${a.id}" data-state="${state}" title="${title}" style="${style}">` +
      `<span aria-hidden="true">▣</span><span>${a.external_free}/${a.external_in_service}</span>${address}</div>`,
  });
}

export default function FleetMapClient(props: FleetMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const renderer = useRef<L.Canvas | null>(null);
  const droneLayers = useRef(new Map<string, DroneLayers>());
  const automatLayers = useRef(new Map<string, { marker: L.Marker; key: string }>());
  const trail = useRef<L.Polyline | null>(null);
  const fitted = useRef(false);
  const labels = useRef<LabelSwitch>({ on: false });
  const clusters = useRef(new DroneClusterIndex(STATE_KEYS.length));
  const clusterLayers = useRef(new Map<number, L.CircleMarker>());
  /** The drones last drawn, by id: what a cluster's list shows. */
  const latest = useRef(new Map<string, DroneTuple>());
  const nowRef = useRef(props.now);
  const [background, setBackground] = useState<BaseLayerState>('loading');
  const [zoom, setZoom] = useState(12);
  const automatLabels = background === 'offline' && zoom >= LABEL_ZOOM;
  const handlers = useRef({
    onSelectDrone: props.onSelectDrone,
    onSelectAutomat: props.onSelectAutomat,
    t: props.t,
    locale: props.locale,
  });
  useEffect(() => {
    handlers.current = {
      onSelectDrone: props.onSelectDrone,
      onSelectAutomat: props.onSelectAutomat,
      t: props.t,
      locale: props.locale,
    };
  }, [props.onSelectDrone, props.onSelectAutomat, props.t, props.locale]);

  /**
   * Shows each drone alone or as part of a badge, for the current zoom: drones inside a
   * cluster leave the canvas, the badges are moved or restyled in place.
   */
  const recluster = useRef(() => {
    const m = map.current;
    const r = renderer.current;
    if (!m || !r) return;
    const { clusters: found, clustered } = clusters.current.at(m.getZoom());
    for (const [id, layers] of droneLayers.current) {
      const hidden = clustered.has(id);
      if (hidden && layers.onMap) {
        layers.marker.remove();
        layers.onMap = false;
      } else if (!hidden && !layers.onMap) {
        layers.marker.addTo(m);
        layers.onMap = true;
      }
    }
    const seen = new Set<number>();
    for (const c of found) {
      seen.add(c.id);
      const slices = STATE_KEYS.map((k, i) => ({ colour: DRONE_COLOURS[k].fill, count: c.counts[i] ?? 0 }));
      const existing = clusterLayers.current.get(c.id);
      if (!existing) {
        const marker = new ClusterMarker([c.lat, c.lon], {
          renderer: r,
          radius: clusterRadius(c.count),
          count: c.count,
          slices,
          clusterId: c.id,
          color: '#0f172a',
          weight: 1,
        } as ClusterOptions & { slices: typeof slices });
        marker.on('click', (e: L.LeafletMouseEvent) =>
          openCluster.current((marker.options as ClusterOptions).clusterId, e.latlng),
        );
        marker.addTo(m);
        clusterLayers.current.set(c.id, marker);
      } else {
        const o = existing.options as ClusterOptions & { slices: typeof slices };
        const at = existing.getLatLng();
        const changed = o.count !== c.count || o.slices.some((x, i) => x.count !== slices[i]?.count);
        o.count = c.count;
        o.slices = slices;
        if (at.lat !== c.lat || at.lng !== c.lon) existing.setLatLng([c.lat, c.lon]);
        if (changed) existing.setRadius(clusterRadius(c.count));
      }
    }
    for (const [id, marker] of clusterLayers.current) {
      if (seen.has(id)) continue;
      marker.remove();
      clusterLayers.current.delete(id);
    }
  });

  /** A badge's click: the list of its drones in a popup, focused, with a way to spread them out. */
  const openCluster = useRef((clusterId: number, at: L.LatLng) => {
    const m = map.current;
    if (!m) return;
    const ids = clusters.current.members(clusterId);
    const drones = ids.map((id) => latest.current.get(id)).filter((d): d is DroneTuple => Boolean(d));
    drones.sort((a, b) => a[11].localeCompare(b[11], handlers.current.locale, { numeric: true }));
    const spreadAt = clusters.current.expansionZoom(clusterId);
    const popup = L.popup({ maxWidth: 300, autoPanPadding: [24, 24], className: 'skypost-cluster-popup' });
    const content = clusterList(handlers.current.t, {
      drones: drones.slice(0, LIST_MAX),
      now: nowRef.current,
      total: drones.length,
      spreadAt,
      actions: {
        select: (id) => {
          m.closePopup(popup);
          handlers.current.onSelectDrone(id);
        },
        zoom: () => {
          m.closePopup(popup);
          if (spreadAt !== null) m.setView(at, Math.max(spreadAt, m.getZoom() + 1));
        },
      },
    });
    popup.setLatLng(at).setContent(content).openOn(m);
    content.querySelector<HTMLElement>('button, a')?.focus();
  });

  // The map itself, once.
  useEffect(() => {
    if (!container.current || map.current) return;
    const m = L.map(container.current, { center: DEFAULT_CENTER, zoom: 12, preferCanvas: true, zoomControl: true });
    renderer.current = L.canvas({ padding: 0.3, tolerance: 4 });
    const detach = attachBaseLayer(m, {
      tiles: props.tiles,
      text: props.noticeText,
      onState: (state) => {
        labels.current.on = state === 'offline';
        setBackground(state);
        // Zoomed in already: redraw the drones with their labels (batched into the next frame).
        if (state === 'offline' && m.getZoom() >= DRONE_LABEL_ZOOM)
          for (const l of droneLayers.current.values()) l.marker.redraw();
      },
    });
    m.on('zoomend', () => {
      setZoom(m.getZoom());
      recluster.current();
    });
    map.current = m;
    const drones = droneLayers.current;
    const automats = automatLayers.current;
    const badges = clusterLayers.current;
    return () => {
      detach();
      m.remove();
      map.current = null;
      drones.clear();
      automats.clear();
      badges.clear();
    };
    // Tiles are configuration: fixed for the page's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Drones: add, move, restyle, remove.
  useEffect(() => {
    const m = map.current;
    const r = renderer.current;
    if (!m || !r) return;
    const seen = new Set<string>();
    const points: { id: string; lat: number; lon: number; state: number }[] = [];
    latest.current = new Map();
    for (const d of props.drones) {
      const [id, , battery, lat, lon, heading, , , destLat, destLon, , callSign] = d;
      const state = stateOf(d, props.now);
      if (lat === null || lon === null) continue;
      seen.add(id);
      latest.current.set(id, d);
      // The selected drone is never hidden in a badge: it is the one being looked at.
      if (id !== props.selectedId) points.push({ id, lat, lon, state: stateIndex(state) });
      const colour = DRONE_COLOURS[state];
      const selected = id === props.selectedId;
      const key = `${state}|${Math.round((heading ?? 0) / 5)}|${Math.round(battery ?? -1)}|${selected}|${callSign}`;
      let layers = droneLayers.current.get(id);
      if (!layers) {
        const marker = new DroneMarker([lat, lon], {
          renderer: r,
          radius: 6,
          heading: heading ?? 0,
          battery,
          lowBattery: props.rules.lowBattery,
          label: callSign,
          labels: labels.current,
          color: colour.stroke,
          fillColor: colour.fill,
          fillOpacity: 1,
          weight: 1.5,
        });
        marker.on('click', () => handlers.current.onSelectDrone(id));
        // Added to the map by recluster below, unless it is inside a badge.
        layers = { marker, line: null, key: '', onMap: false };
        droneLayers.current.set(id, layers);
      } else {
        const at = layers.marker.getLatLng();
        if (at.lat !== lat || at.lng !== lon) layers.marker.setLatLng([lat, lon]);
      }
      if (layers.key !== key) {
        const o = layers.marker.options as DroneMarkerOptions;
        o.heading = heading ?? 0;
        o.battery = battery;
        o.label = callSign;
        layers.marker.setStyle({
          color: selected ? '#000' : colour.stroke,
          fillColor: colour.fill,
          weight: selected ? 3 : 1.5,
        });
        layers.marker.setRadius(selected ? 9 : 6);
        layers.key = key;
      }
      // A line to the destination while on a delivery.
      if (destLat !== null && destLon !== null) {
        if (!layers.line)
          layers.line = L.polyline(
            [
              [lat, lon],
              [destLat, destLon],
            ],
            { renderer: r, color: '#1d4ed8', weight: 1.5, opacity: 0.6, dashArray: '4 6', interactive: false },
          ).addTo(m);
        else
          layers.line.setLatLngs([
            [lat, lon],
            [destLat, destLon],
          ]);
      } else if (layers.line) {
        layers.line.remove();
        layers.line = null;
      }
    }
    for (const [id, layers] of droneLayers.current) {
      if (seen.has(id)) continue;
      layers.marker.remove();
      layers.line?.remove();
      droneLayers.current.delete(id);
    }
    nowRef.current = props.now;
    clusters.current.load(points);
    recluster.current();
  }, [props.drones, props.selectedId, props.now, props.rules.lowBattery]);

  // Lockers.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const seen = new Set<string>();
    for (const a of props.automats) {
      seen.add(a.id);
      const key = [
        automatState(a, props.now, props.rules),
        a.external_free,
        a.external_in_service,
        automatLabels,
        a.address,
        props.locale,
      ].join('|');
      const existing = automatLayers.current.get(a.id);
      if (!existing) {
        const marker = L.marker([a.lat, a.lon], {
          icon: automatIcon({ t: props.t, automat: a, now: props.now, label: automatLabels, rules: props.rules }),
          title: a.address,
          keyboard: true,
          zIndexOffset: -100,
        });
        marker.on('click', () => handlers.current.onSelectAutomat(a.id));
        marker.addTo(m);
        automatLayers.current.set(a.id, { marker, key });
      } else if (existing.key !== key) {
        existing.marker.setIcon(
          automatIcon({ t: props.t, automat: a, now: props.now, label: automatLabels, rules: props.rules }),
        );
        existing.marker.setLatLng([a.lat, a.lon]);
        existing.key = key;
      }
    }
    for (const [id, l] of automatLayers.current) {
      if (seen.has(id)) continue;
      l.marker.remove();
      automatLayers.current.delete(id);
    }
    // props.t changes with the language, and with it props.locale (in the key above).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.automats, props.now, automatLabels, props.locale, props.rules]);

  // The selected drone's fading trail (last minutes of telemetry).
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    trail.current?.remove();
    trail.current =
      props.trail.length > 1
        ? L.polyline(props.trail, {
            renderer: renderer.current ?? undefined,
            color: '#7c3aed',
            weight: 3,
            opacity: 0.45,
            interactive: false,
          }).addTo(m)
        : null;
  }, [props.trail]);

  // Fit to the fleet: once when data first arrives, then on request.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (fitted.current && props.fitSignal === 0) return;
    const points: L.LatLngExpression[] = [
      ...props.drones
        .filter((d) => d[3] !== null && d[4] !== null)
        .map((d) => [d[3] as number, d[4] as number] as [number, number]),
      ...props.automats.map((a) => [a.lat, a.lon] as [number, number]),
    ];
    if (points.length === 0) return;
    m.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 15 });
    fitted.current = true;
    // Only on first data and on explicit requests.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.fitSignal, props.drones.length > 0 || props.automats.length > 0]);

  return (
    <div
      ref={container}
      className="h-full w-full"
      role="application"
      aria-label={props.t('map.label')}
      data-testid="fleet-map"
    />
  );
}
