import { z } from '@/lib/validation/zod';

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const optionalText = (max: number) => z.preprocess((v) => first(v) || undefined, z.string().trim().max(max).optional());
const optionalDate = z.preprocess((v) => first(v) || undefined, z.iso.date({ message: 'use YYYY-MM-DD' }).optional());

export const auditFilterSchema = z.object({
  action: optionalText(100),
  resource: optionalText(50),
  user: optionalText(255),
  from: optionalDate,
  to: optionalDate,
  page: z.preprocess((v) => first(v) || undefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});
