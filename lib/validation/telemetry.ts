import { z } from 'zod';

// One reading, as in the contract. recorded_at may be at most 5 minutes in the future.
export const MAX_BATCH = 100;
const FUTURE_SLACK_MS = 5 * 60 * 1000;

export const telemetryReadingSchema = z.object({
  lat: z.number({ message: 'lat must be a number' }).min(-90, 'lat must be between -90 and 90').max(90, 'lat must be between -90 and 90'),
  lon: z.number({ message: 'lon must be a number' }).min(-180, 'lon must be between -180 and 180').max(180, 'lon must be between -180 and 180'),
  battery_level: z.number({ message: 'battery_level must be a number' }).min(0, 'battery_level must be between 0 and 100').max(100, 'battery_level must be between 0 and 100'),
  altitude_m: z.number().min(-500, 'altitude_m must be between -500 and 10000').max(10000, 'altitude_m must be between -500 and 10000').optional(),
  heading_deg: z.number().min(0, 'heading_deg must be between 0 and 360').max(360, 'heading_deg must be between 0 and 360').optional(),
  speed_mps: z.number().min(0, 'speed_mps must be 0 or more').max(200, 'speed_mps must be at most 200').optional(),
  status: z.enum(['idle', 'charging', 'maintenance'], { message: 'status must be idle, charging or maintenance' }).optional(),
  recorded_at: z.iso
    .datetime({ offset: true, message: 'recorded_at must be an ISO-8601 time' })
    .refine((v) => new Date(v).getTime() <= Date.now() + FUTURE_SLACK_MS, 'recorded_at may be at most 5 minutes in the future')
    .optional(),
});

export const telemetryBodySchema = z.union([
  telemetryReadingSchema.transform((r) => [r]),
  z.array(telemetryReadingSchema).min(1, 'send at least one reading').max(MAX_BATCH, `at most ${MAX_BATCH} readings per request`),
]);

export type TelemetryReading = z.infer<typeof telemetryReadingSchema>;
