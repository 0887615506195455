import { z } from '@/lib/validation/zod';
import { CALL_SIGN_PATTERN, USER_ROLES } from '@/db/schema';
import { DRONE_STATES } from '@/lib/admin/drone-state';

// Fleet, locker and user management forms (admin). Messages say what to type.

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v) || undefined;

const ipAddress = z
  .string({ message: 'IP address is required' })
  .trim()
  .min(1, 'IP address is required')
  .pipe(z.union([z.ipv4(), z.ipv6()], { message: 'Enter an IPv4 (e.g. 10.0.0.12) or IPv6 address' }));

const measure = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: `${label} is required and must be a number` })
      .min(0.01, `${label} must be at least 0.01 cm`)
      .max(10_000, `${label} is too large`)
      .transform((v) => Math.round(v * 100) / 100),
  );

const confirm = z.literal('yes', { message: 'Tick the box to confirm what will be deleted' });

// Drones

/** Typed in any case, kept in capitals; blank means "the next free one" (new) or "unchanged" (edit). */
const callSign = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toUpperCase()) : v),
  z
    .string({ message: 'Call sign must be text' })
    .regex(new RegExp(CALL_SIGN_PATTERN), 'Call sign: 2 to 12 letters, digits or dashes, e.g. D-09')
    .optional(),
);

export const droneSchema = z.object({
  model: z
    .string({ message: 'Model is required' })
    .trim()
    .min(2, 'Model must be at least 2 characters')
    .max(255, 'Model is too long'),
  ip_address: ipAddress,
  call_sign: callSign,
});
export const droneUpdateSchema = droneSchema.extend({ drone_id: z.uuid() });
export const droneDeleteSchema = z.object({ drone_id: z.uuid(), confirm });
export type DroneInput = z.infer<typeof droneSchema>;

// Parcel automats

const latitude = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: 'Latitude is required: a number from -90 to 90' })
    .min(-90, 'Latitude runs from -90 to 90')
    .max(90, 'Latitude runs from -90 to 90'),
);
const longitude = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: 'Longitude is required: a number from -180 to 180' })
    .min(-180, 'Longitude runs from -180 to 180')
    .max(180, 'Longitude runs from -180 to 180'),
);

export const automatSchema = z.object({
  city: z
    .string({ message: 'City is required' })
    .trim()
    .min(2, 'City must be at least 2 characters')
    .max(255, 'City is too long'),
  address: z
    .string({ message: 'Address is required' })
    .trim()
    .min(3, 'Address must be at least 3 characters')
    .max(255, 'Address is too long'),
  lat: latitude,
  lon: longitude,
  aruco_id: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'ArUco id is required: a whole number' })
      .int('ArUco id must be a whole number')
      .min(0, 'ArUco id cannot be negative')
      .max(1_000_000, 'ArUco id is too large'),
  ),
  ip_address: ipAddress,
  // A checkbox: present ("on") when ticked.
  is_working: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
});
export const automatUpdateSchema = automatSchema.extend({ automat_id: z.uuid() });
export const automatDeleteSchema = z.object({ automat_id: z.uuid(), confirm });
/** Archive ("true") or restore ("false") a locker; a form sends the choice as text. */
export const automatArchiveSchema = z.object({
  automat_id: z.uuid(),
  archived: z.enum(['true', 'false'], { message: 'Choose archive or restore' }).transform((v) => v === 'true'),
});
export type AutomatInput = z.infer<typeof automatSchema>;

/** "55.7558,37.6173": the spec's column, lat first, at most 6 decimals (about 10 cm). */
export function formatCoordinates(lat: number, lon: number): string {
  const f = (v: number) => String(Number(v.toFixed(6)));
  return `${f(lat)},${f(lon)}`;
}

// Cells

export const CELL_KINDS = ['external', 'internal'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

export const cellsCreateSchema = z.object({
  automat_id: z.uuid(),
  kind: z.enum(CELL_KINDS, { message: 'Choose pickup (outside) or drop (inside) cells' }),
  count: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'How many cells? A whole number from 1 to 100' })
      .int('A whole number, please')
      .min(1, 'At least 1 cell')
      .max(100, 'At most 100 cells at a time'),
  ),
  height: measure('Height'),
  length: measure('Length'),
  width: measure('Width'),
});
export type CellsCreateInput = z.infer<typeof cellsCreateSchema>;

export const cellMaintenanceSchema = z.object({
  cell_id: z.uuid(),
  kind: z.enum(CELL_KINDS),
  maintenance: z.preprocess((v) => v === 'true' || v === true, z.boolean()),
});
export const cellDeleteSchema = z.object({ cell_id: z.uuid(), kind: z.enum(CELL_KINDS) });

// Users

export const userRoleSchema = z.object({
  user_id: z.uuid(),
  role: z.enum(USER_ROLES, { message: 'Choose client or admin' }),
});

export const userFilterSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(255).optional()),
  role: z.preprocess(first, z.enum(USER_ROLES).optional()),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).default(1)),
});

/** The drones list: `status` is the state as shown (lib/admin/drone-state.ts), "returning" included. */
export const droneFilterSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(255).optional()),
  status: z.preprocess(first, z.enum(DRONE_STATES).optional()),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).default(1)),
});

export const pageSchema = z.object({
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).default(1)),
});

/** The goods and lockers lists: what is in service (default), archived, or both. */
export const ARCHIVE_VIEWS = ['active', 'archived', 'all'] as const;
export type ArchiveView = (typeof ARCHIVE_VIEWS)[number];
export const archiveViewSchema = z.object({ show: z.preprocess(first, z.enum(ARCHIVE_VIEWS).default('active')) });
