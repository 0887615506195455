import { z } from '@/lib/validation/zod';

export const createOrderSchema = z
  .object({
    good_id: z.uuid({ message: 'good_id must be a UUID' }),
    parcel_automat_id: z.uuid({ message: 'parcel_automat_id must be a UUID' }),
  })
  .meta({ id: 'CreateOrderRequest' });
