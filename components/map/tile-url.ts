// Pure helpers for the tile source, kept free of Leaflet so they can be tested in Node.

/** Zoom level from which places get permanent labels when the map has no background. */
export const LABEL_ZOOM = 14;

/** The slippy-map tile (x, y) that contains a point at a zoom level (Web Mercator). */
export function tileAt(lat: number, lon: number, zoom: number): { x: number; y: number; z: number } {
  const n = 2 ** zoom;
  const clampedLat = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const rad = (clampedLat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)), z: zoom };
}

/**
 * A tile template (`{s}`, `{z}`, `{x}`, `{y}`, `{r}`) filled in for one tile, as Leaflet's
 * TileLayer would fill it with its default subdomains.
 */
export function tileUrl(template: string, tile: { x: number; y: number; z: number }): string {
  return template
    .replaceAll('{s}', 'a')
    .replaceAll('{z}', String(tile.z))
    .replaceAll('{x}', String(tile.x))
    .replaceAll('{y}', String(tile.y))
    .replaceAll('{r}', '');
}
