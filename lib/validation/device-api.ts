import { z } from 'zod';

export const deliveryEventSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('started') }),
    z.object({ type: z.literal('dropped') }),
    z.object({ type: z.literal('failed'), reason: z.string({ message: 'reason is required for a failed delivery' }).trim().min(1, 'reason is required for a failed delivery').max(500, 'reason is too long') }),
  ],
  { message: 'type must be started, dropped or failed' },
);

export const transferSchema = z.object({ delivery_id: z.uuid({ message: 'delivery_id must be a UUID' }) });

export const scanSchema = z.object({ qr: z.string({ message: 'qr must be the text read from the pickup QR code' }).min(1, 'qr must not be empty').max(2048, 'qr is too long') });

export const heartbeatSchema = z.object({ is_working: z.boolean({ message: 'is_working must be true or false' }) });
