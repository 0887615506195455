import type { LatLon } from '@/db/coordinates';

// The stored format's parser lives with the column (db/coordinates.ts); distances and their
// texts live here.
export { parseCoordinates, type LatLon } from '@/db/coordinates';

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineMeters(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}

/** formatDistance with next-intl's formatter: "850 m" / "850 м", "1.2 km" / "1,2 км". */
export function distanceText(
  format: { number(value: number, options?: Intl.NumberFormatOptions): string },
  m: number,
): string {
  return m < 1000
    ? format.number(Math.round(m / 10) * 10, { style: 'unit', unit: 'meter' })
    : format.number(m / 1000, { style: 'unit', unit: 'kilometer', maximumFractionDigits: m < 10_000 ? 1 : 0 });
}
