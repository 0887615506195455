import { z } from '@/lib/validation/zod';
import { REPORTED_DRONE_STATUSES } from '@/db/statuses';

// One reading, as in the contract. recorded_at may be at most 5 minutes in the future.
export const MAX_BATCH = 100;
const FUTURE_SLACK_MS = 5 * 60 * 1000;

export const telemetryReadingSchema = z
  .object({
    lat: z
      .number({ message: 'must be a number' })
      .min(-90, 'must be between -90 and 90')
      .max(90, 'must be between -90 and 90'),
    lon: z
      .number({ message: 'must be a number' })
      .min(-180, 'must be between -180 and 180')
      .max(180, 'must be between -180 and 180'),
    battery_level: z
      .number({ message: 'must be a number' })
      .min(0, 'must be between 0 and 100')
      .max(100, 'must be between 0 and 100'),
    altitude_m: z
      .number()
      .min(-500, 'must be between -500 and 10000')
      .max(10000, 'must be between -500 and 10000')
      .optional(),
    heading_deg: z.number().min(0, 'must be between 0 and 360').max(360, 'must be between 0 and 360').optional(),
    speed_mps: z
      .number()
      .min(0, 'must be 0 or more')
      .max(200, 'must be at most 200')
      .optional()
      .meta({ description: 'The contract asks for >= 0; the server also refuses more than 200.' }),
    status: z
      .enum(REPORTED_DRONE_STATUSES, { message: 'must be idle, charging or maintenance' })
      .optional()
      .meta({
        description:
          'A drone with an active delivery stays busy whatever it reports. Maintenance is sticky - reporting it ' +
          '(or an operator) puts the drone in maintenance, and only an operator ends it.',
      }),
    recorded_at: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 time' })
      .refine(
        (v) => new Date(v).getTime() <= Date.now() + FUTURE_SLACK_MS,
        'recorded_at may be at most 5 minutes in the future',
      )
      .optional()
      .meta({ description: 'Default now; at most 5 minutes in the future. Any UTC offset is accepted.' }),
  })
  .meta({
    id: 'TelemetryReading',
    examples: [
      {
        lat: 55.7512,
        lon: 37.6184,
        altitude_m: 80.5,
        heading_deg: 270.0,
        speed_mps: 12.3,
        battery_level: 87.5,
        status: 'idle',
        recorded_at: '2026-11-22T10:30:45Z',
      },
    ],
  });

export const telemetryBatchSchema = z
  .array(telemetryReadingSchema)
  .min(1, 'send at least one reading')
  .max(MAX_BATCH, `at most ${MAX_BATCH} readings per request`);

/**
 * One reading or an array of readings. Not a zod union: a union would blur the field
 * messages; a single reading reports `lat`, a batch `3.lat`.
 */
export const telemetryBodySchema = z.unknown().transform((value, ctx): TelemetryReading[] => {
  const schema = Array.isArray(value) ? telemetryBatchSchema : telemetryReadingSchema.transform((r) => [r]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues)
    ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

/**
 * The accepted bodies as the document and the API tests describe them: the same inputs as
 * telemetryBodySchema, written as a union that JSON Schema can express.
 */
export const telemetryBodyContractSchema = z
  .xor([telemetryReadingSchema, telemetryBatchSchema.meta({ description: 'Oldest first.' })])
  .meta({ id: 'TelemetryBody' });

export type TelemetryReading = z.infer<typeof telemetryReadingSchema>;
