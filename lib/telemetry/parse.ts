import { parseWith } from '@/lib/http';
import { REPORTED_DRONE_STATUSES } from '@/db/statuses';
import {
  MAX_BATCH,
  telemetryBodySchema,
  telemetryReadingSchema,
  type TelemetryReading,
} from '@/lib/validation/telemetry';

// The telemetry body is parsed on every request of the busiest endpoint; zod's object
// machinery costs more than the database call for a batch of 100. A well-formed body takes
// this direct path, which accepts only what telemetryBodySchema accepts and returns the same
// readings. Anything else goes to the schema, so every error keeps its exact field message.

const recordedAt = telemetryReadingSchema.shape.recorded_at;
const STATUSES: ReadonlySet<unknown> = new Set(REPORTED_DRONE_STATUSES);

const within = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && v >= min && v <= max;
const optionalWithin = (v: unknown, min: number, max: number) => v === undefined || within(v, min, max);

function reading(v: unknown): TelemetryReading | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const { lat, lon, battery_level, altitude_m, heading_deg, speed_mps, status, recorded_at } = r;
  if (!within(lat, -90, 90) || !within(lon, -180, 180) || !within(battery_level, 0, 100)) return null;
  if (
    !optionalWithin(altitude_m, -500, 10000) ||
    !optionalWithin(heading_deg, 0, 360) ||
    !optionalWithin(speed_mps, 0, 200)
  )
    return null;
  if (status !== undefined && !STATUSES.has(status)) return null;
  if (recorded_at !== undefined && !(typeof recorded_at === 'string' && recordedAt.safeParse(recorded_at).success))
    return null;
  // Only the schema's keys, as zod's object strips the others.
  const out: TelemetryReading = { lat, lon, battery_level };
  if (altitude_m !== undefined) out.altitude_m = altitude_m as number;
  if (heading_deg !== undefined) out.heading_deg = heading_deg as number;
  if (speed_mps !== undefined) out.speed_mps = speed_mps as number;
  if (status !== undefined) out.status = status as TelemetryReading['status'];
  if (recorded_at !== undefined) out.recorded_at = recorded_at as string;
  return out;
}

function direct(value: unknown): TelemetryReading[] | null {
  if (!Array.isArray(value)) {
    const one = reading(value);
    return one && [one];
  }
  if (value.length < 1 || value.length > MAX_BATCH) return null;
  const out = new Array<TelemetryReading>(value.length);
  for (let i = 0; i < value.length; i++) {
    const r = reading(value[i]);
    if (!r) return null;
    out[i] = r;
  }
  return out;
}

/** A telemetry body (one reading or a batch), as telemetryBodySchema parses it; 400 with field messages otherwise. */
export function parseTelemetryBody(value: unknown): TelemetryReading[] {
  return direct(value) ?? parseWith(telemetryBodySchema, value);
}
