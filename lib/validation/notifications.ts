import { z } from '@/lib/validation/zod';

export const notificationListQuerySchema = z.object({
  limit: z.coerce
    .number({ message: 'limit must be a whole number from 1 to 100' })
    .int('limit must be a whole number from 1 to 100')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(30)
    .meta({ description: 'How many, newest first (1 to 100, default 30).' }),
});
