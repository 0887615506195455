import { z } from '@/lib/validation/zod';
import { ORDER_STATUSES } from '@/db/schema';

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v) || undefined;

export const adminOrderFilterSchema = z.object({
  status: z.preprocess(first, z.enum(ORDER_STATUSES).optional()),
  automat: z.preprocess(first, z.uuid().optional()),
  from: z.preprocess(first, z.iso.date().optional()),
  to: z.preprocess(first, z.iso.date().optional()),
  q: z.preprocess(first, z.string().trim().max(255).optional()),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).default(1)),
});

/** Every operator action on an order states why; the reason goes into the timeline and the audit log. */
const reason = z
  .string({ message: 'Give a reason; it is recorded.' })
  .trim()
  .min(3, 'Give a reason (at least 3 characters); it is recorded.')
  .max(500, 'Keep the reason under 500 characters.');

export const adminCancelSchema = z.object({ order_id: z.uuid(), reason });

export const adminRetryDeliverySchema = z.object({ order_id: z.uuid(), reason });

export const adminForcePickupSchema = z.object({ order_id: z.uuid(), reason });
