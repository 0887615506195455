'use client';

import L from 'leaflet';
import Supercluster from 'supercluster';

// Drones that sit on (or near) the same spot are one badge with their count, drawn on the same
// canvas renderer as the drones: seven idle drones at the hub are one "7", which a click opens
// as a list, instead of seven arrows of which only the top one can be clicked.

/** Clusters are computed from this zoom (lower zooms reuse it) up to the map's maximum. */
const MIN_ZOOM = 8;
export const CLUSTER_MAX_ZOOM = 18;
/** Drones closer than this many pixels on screen share a badge. */
const RADIUS_PX = 22;

export type ClusterSlice = { colour: string; count: number };
type PointProps = { id: string; state: number };
type ClusterProps = { counts: number[] };

export type FleetClusters = {
  /** Clusters at this zoom: each with its position, members' count and state mix. */
  clusters: { id: number; lat: number; lon: number; count: number; counts: number[] }[];
  /** Drones inside a cluster (drawn as part of a badge, not on their own). */
  clustered: Set<string>;
};

/** A cluster index over drone positions; `states` lists the state keys in the order of `counts`. */
export class DroneClusterIndex {
  private index: Supercluster<PointProps, ClusterProps>;
  private readonly stateCount: number;

  constructor(stateCount: number) {
    this.stateCount = stateCount;
    this.index = this.make();
  }

  private make() {
    const n = this.stateCount;
    return new Supercluster<PointProps, ClusterProps>({
      minZoom: MIN_ZOOM,
      maxZoom: CLUSTER_MAX_ZOOM,
      radius: RADIUS_PX,
      minPoints: 2,
      map: (p) => {
        const counts = new Array<number>(n).fill(0);
        counts[p.state] = 1;
        return { counts };
      },
      reduce: (acc, p) => {
        for (let i = 0; i < n; i++) acc.counts[i] = (acc.counts[i] ?? 0) + (p.counts[i] ?? 0);
      },
    });
  }

  /** Rebuilds the index from the drones to draw (positions in degrees, state as an index). */
  load(points: { id: string; lat: number; lon: number; state: number }[]) {
    this.index = this.make();
    this.index.load(
      points.map((p) => ({
        type: 'Feature',
        properties: { id: p.id, state: p.state },
        geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      })),
    );
  }

  at(zoom: number): FleetClusters {
    const clustered = new Set<string>();
    const clusters: FleetClusters['clusters'] = [];
    for (const f of this.index.getClusters([-180, -85, 180, 85], Math.round(zoom))) {
      const p = f.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; counts?: number[] };
      if (!p.cluster || p.cluster_id === undefined) continue;
      const [lon, lat] = f.geometry.coordinates as [number, number];
      clusters.push({ id: p.cluster_id, lat, lon, count: p.point_count ?? 0, counts: p.counts ?? [] });
      for (const leaf of this.index.getLeaves(p.cluster_id, Infinity)) clustered.add(leaf.properties.id);
    }
    return { clusters, clustered };
  }

  /** The member drones' ids. */
  members(clusterId: number): string[] {
    return this.index.getLeaves(clusterId, Infinity).map((l) => l.properties.id);
  }

  /** The zoom at which a cluster falls apart, or null when its drones share one spot at every zoom. */
  expansionZoom(clusterId: number): number | null {
    const z = this.index.getClusterExpansionZoom(clusterId);
    return z > CLUSTER_MAX_ZOOM ? null : z;
  }
}

type ClusterMarkerOptions = L.CircleMarkerOptions & { count: number; slices: ClusterSlice[] };

type CanvasInternals = { _drawing: boolean; _ctx: CanvasRenderingContext2D };

/** A count badge: a ring split by the members' states, the count in the middle. */
export const ClusterMarker = L.CircleMarker.extend({
  _updatePath(
    this: L.CircleMarker & { _renderer: CanvasInternals; _point: L.Point; _radius: number; _empty(): boolean },
  ) {
    const r = this._renderer;
    if (!r._drawing || this._empty()) return;
    const ctx = r._ctx;
    const p = this._point;
    const s = this._radius;
    const o = this.options as ClusterMarkerOptions;
    ctx.beginPath();
    ctx.arc(p.x, p.y, s, 0, Math.PI * 2);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    let start = -Math.PI / 2;
    const total = o.slices.reduce((a, x) => a + x.count, 0) || 1;
    ctx.lineWidth = 5;
    for (const slice of o.slices) {
      if (!slice.count) continue;
      const end = start + (slice.count / total) * Math.PI * 2;
      ctx.beginPath();
      ctx.arc(p.x, p.y, s - 2.5, start, end);
      ctx.strokeStyle = slice.colour;
      ctx.stroke();
      start = end;
    }
    ctx.beginPath();
    ctx.arc(p.x, p.y, s, 0, Math.PI * 2);
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#0f172a';
    ctx.stroke();
    ctx.font = `700 ${s > 15 ? 13 : 12}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#0f172a';
    ctx.fillText(String(o.count), p.x, p.y + 0.5);
  },
}) as unknown as new (latlng: L.LatLngExpression, options: ClusterMarkerOptions) => L.CircleMarker;

/** A badge's radius: larger for more drones, within bounds that keep the city readable. */
export const clusterRadius = (count: number) => Math.min(22, 11 + Math.log2(count) * 2.2);
