import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { env } from '@/env';
import { notFound } from '@/lib/errors';
import type { TelemetryReading } from '@/lib/validation/telemetry';

type Options = { now?: Date; sessionGapS?: number };

/**
 * Stores a batch of readings and updates the drone's current state from the newest one, in
 * one statement (the function skypost_record_telemetry, see drizzle/*_telemetry_ingest.sql),
 * so a request costs one round trip and commits on its own. The rules it keeps:
 * - every reading is stored (one set-based insert);
 * - a reading older than the position already shown never moves the drone back in time;
 *   last-seen still updates;
 * - a drone with an active delivery stays busy whatever status it reports; an offline (or
 *   busy without a delivery) drone that reports is back;
 * - maintenance is sticky: a drone enters it by reporting it (or by an operator), but only an
 *   operator's "End maintenance" takes it out, so a drone that flagged a fault is checked
 *   before it flies;
 * - online sessions (drone_online_sessions) are extended or opened per span of readings at
 *   most the offline timeout apart (onlineSpans);
 * - a drone that becomes idle wakes the order workers (pg_notify on the dispatch channel);
 * - the drone row is locked for the statement, so one drone's requests serialise.
 */
export async function recordTelemetry(
  db: Db,
  { droneId, readings, opts = {} }: { droneId: string; readings: TelemetryReading[]; opts?: Options },
): Promise<number> {
  const stored = await ingestTelemetry(db, { droneId, keyHash: null, readings, ...opts });
  if (stored === null) throw notFound('Drone');
  return stored;
}

/**
 * recordTelemetry for a device request: `keyHash` (the SHA-256 of the key it sent) must be the
 * drone's current key, checked in the same statement, so a rotated key stops at once. Returns
 * the readings stored, or null when the drone does not exist or the key is not its key
 * (nothing is written; the caller tells 401, 403 and 404 apart).
 */
export async function ingestTelemetry(
  db: Db,
  {
    droneId,
    keyHash,
    readings,
    now = new Date(),
    sessionGapS = env().DRONE_OFFLINE_TIMEOUT_S,
  }: Options & { droneId: string; keyHash: string | null; readings: TelemetryReading[] },
): Promise<number | null> {
  if (readings.length === 0) return 0;
  const nowIso = now.toISOString();
  const n = readings.length;
  const at = new Array<string>(n);
  const lat = new Array<number>(n);
  const lon = new Array<number>(n);
  const alt = new Array<number | undefined>(n);
  const heading = new Array<number | undefined>(n);
  const speed = new Array<number | undefined>(n);
  const battery = new Array<number>(n);
  const status = new Array<string | undefined>(n);
  for (let i = 0; i < n; i++) {
    const r = readings[i]!;
    // Normalised to milliseconds, as a JavaScript Date would store it.
    at[i] = r.recorded_at ? new Date(r.recorded_at).toISOString() : nowIso;
    lat[i] = r.lat;
    lon[i] = r.lon;
    alt[i] = r.altitude_m;
    heading[i] = r.heading_deg;
    speed[i] = r.speed_mps;
    battery[i] = r.battery_level;
    status[i] = r.status;
  }
  const rows = await db.execute<{ stored: number | null }>(sql`select skypost_record_telemetry(
    ${droneId}::uuid, ${keyHash}::text, ${nowIso}::timestamptz, ${sessionGapS}::float8,
    ${arrayLiteral(at)}::timestamptz[], ${arrayLiteral(lat)}::float8[], ${arrayLiteral(lon)}::float8[],
    ${arrayLiteral(alt)}::float8[], ${arrayLiteral(heading)}::float8[], ${arrayLiteral(speed)}::float8[],
    ${arrayLiteral(battery)}::numeric[], ${arrayLiteral(status)}::text[]) as stored`);
  return rows[0]?.stored ?? null;
}

/**
 * A PostgreSQL array literal of validated values: finite numbers, ISO times and status words
 * (none contains a quote, comma, brace or space, so no element needs quoting). One text
 * parameter per column keeps the statement the same for every batch size, so it is prepared once.
 */
function arrayLiteral(values: (number | string | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === undefined ? 'NULL' : String(v);
  }
  return out + '}';
}

/** A batch's reading times as spans of readings at most `gapS` apart (usually one span). */
export function onlineSpans(times: Date[], gapS: number): { from: Date; to: Date }[] {
  const sorted = times.map((t) => t.getTime()).sort((a, b) => a - b);
  const spans: { from: number; to: number }[] = [];
  for (const t of sorted) {
    const last = spans.at(-1);
    if (last && t - last.to <= gapS * 1000) last.to = t;
    else spans.push({ from: t, to: t });
  }
  return spans.map((s) => ({ from: new Date(s.from), to: new Date(s.to) }));
}
