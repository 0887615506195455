import { z } from '@/lib/validation/zod';
import { ALERT_KINDS } from '@/db/schema';

/** An operator acknowledges one alert (by kind and object) with a note saying what is being done. */
export const alertAcknowledgeSchema = z.object({
  kind: z.enum(ALERT_KINDS, { message: 'Unknown kind of alert' }),
  object_id: z.uuid({ message: 'Unknown alert' }),
  note: z
    .string({ message: 'Write a note: what is being done about it' })
    .trim()
    .min(1, 'Write a note: what is being done about it')
    .max(500, 'The note is too long: at most 500 characters'),
});

export type AlertAcknowledgeInput = z.infer<typeof alertAcknowledgeSchema>;
