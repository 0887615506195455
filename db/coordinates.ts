// An automat's position as the parcel_automats.coordinates column stores it: "lat,lon" text
// (the spec's format, checked by the database). Client-safe: no imports.

export type LatLon = { lat: number; lon: number };

/** An automat's "55.7558,37.6173" (lat first) as numbers; the column is checked by the database. */
export function parseCoordinates(coordinates: string): LatLon {
  const [lat, lon] = coordinates.split(',').map(Number);
  return { lat: lat ?? 0, lon: lon ?? 0 };
}
