import { z } from '@/lib/validation/zod';

// numeric(10, 2) holds at most 99,999,999.99.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const measure = (label: string, unit: string) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: `${label} is required and must be a number` })
      .min(0.01, `${label} must be at least 0.01 ${unit}`)
      .max(99_999_999.99, `${label} is too large`)
      .transform((v) => Math.round(v * 100) / 100),
  );

export const goodSchema = z.object({
  name: z
    .string({ message: 'Name is required' })
    .trim()
    .min(1, 'Name is required')
    .min(2, 'Name must be at least 2 characters')
    .max(255, 'Name is too long'),
  weight: measure('Weight', 'kg'),
  height: measure('Height', 'cm'),
  length: measure('Length', 'cm'),
  width: measure('Width', 'cm'),
  quantity_available: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'Stock is required: a whole number' })
      .int('Stock must be a whole number')
      .min(0, 'Stock cannot be negative')
      .max(1_000_000_000, 'Stock is too large'),
  ),
});

export const goodUpdateSchema = goodSchema.omit({ quantity_available: true }).extend({ good_id: z.uuid() });

export const stockAdjustSchema = z.object({
  good_id: z.uuid(),
  delta: z.coerce
    .number({ message: 'Enter a whole number, e.g. 10 or -3' })
    .int('Enter a whole number')
    .refine((v) => v !== 0, 'Enter a change other than 0')
    .refine((v) => Math.abs(v) <= 1_000_000, 'That change is too large'),
});

export const goodDeleteSchema = z.object({
  good_id: z.uuid(),
  confirm: z.literal('yes', { message: 'Tick the box to confirm what will be deleted' }),
});

export type GoodInput = z.infer<typeof goodSchema>;

/** Archive ("true") or restore ("false") a good; a form sends the choice as text. */
export const goodArchiveSchema = z.object({
  good_id: z.uuid(),
  archived: z.enum(['true', 'false'], { message: 'Choose archive or restore' }).transform((v) => v === 'true'),
});
