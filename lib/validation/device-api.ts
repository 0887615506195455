import { z } from '@/lib/validation/zod';

export const deliveryEventSchema = z
  .discriminatedUnion(
    'type',
    [
      z.object({ type: z.literal('started') }),
      z.object({ type: z.literal('dropped') }),
      z.object({
        type: z.literal('failed'),
        reason: z
          .string({ message: 'reason is required for a failed delivery' })
          .trim()
          .min(1, 'reason is required for a failed delivery')
          .max(500, 'reason is too long'),
      }),
    ],
    { message: 'type must be started, dropped or failed' },
  )
  .meta({ id: 'DeliveryEventRequest' });

export const transferSchema = z
  .object({ delivery_id: z.uuid({ message: 'delivery_id must be a UUID' }) })
  .meta({ id: 'TransferRequest' });

/**
 * The text of the customer's pickup QR code, or instead the 6-digit pickup PIN of one parcel
 * typed on the kiosk keypad (never both).
 */
export const scanSchema = z
  .object({
    qr: z
      .string({ message: 'qr must be the text read from the pickup QR code' })
      .min(1, 'qr must not be empty')
      .max(2048, 'qr is too long')
      .optional()
      .meta({ description: "The text read from the customer's pickup QR code." }),
    pin: z
      .string({ message: 'pin must be the 6-digit pickup PIN, as a string' })
      .regex(/^[0-9]{6}$/, 'pin must be exactly 6 digits')
      .optional()
      .meta({
        description: 'The 6-digit pickup PIN of one parcel waiting at this automat, typed on the kiosk keypad.',
      }),
  })
  .superRefine((b, ctx) => {
    if (b.qr === undefined && b.pin === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['qr'],
        message: 'qr must be the text read from the pickup QR code (or send pin, the 6-digit pickup PIN)',
      });
    if (b.qr !== undefined && b.pin !== undefined)
      ctx.addIssue({ code: 'custom', path: ['pin'], message: 'send either qr or pin, not both' });
  })
  .transform((b): { qr: string } | { pin: string } => (b.pin !== undefined ? { pin: b.pin } : { qr: b.qr ?? '' }))
  // The refinement above, as the document states it (zod cannot express it in JSON Schema).
  .meta({
    id: 'ScanRequest',
    description: 'Either `qr` or (an addition) `pin`, never both.',
    oneOf: [
      { required: ['qr'], not: { required: ['pin'] } },
      { required: ['pin'], not: { required: ['qr'] } },
    ],
  });

export const heartbeatSchema = z
  .object({ is_working: z.boolean({ message: 'is_working must be true or false' }) })
  .meta({ id: 'HeartbeatRequest' });
