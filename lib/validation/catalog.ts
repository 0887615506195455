import { z } from '@/lib/validation/zod';

export const catalogSearchSchema = z.object({
  q: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v),
    z
      .string()
      .trim()
      .max(100, 'Use at most 100 characters')
      .optional()
      .transform((v) => (v ? v : undefined)),
  ),
});
