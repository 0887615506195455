import { z } from '@/lib/validation/zod';
import { DEVICE_PLATFORMS } from '@/db/schema';

export const pushTokenSchema = z
  .object({
    token: z
      .string({ message: 'token is required' })
      .trim()
      .min(1, 'token is required')
      .max(4096, 'token is too long')
      .meta({ description: 'The FCM registration token (trimmed).' }),
    platform: z.enum(DEVICE_PLATFORMS, { message: `platform must be one of ${DEVICE_PLATFORMS.join(', ')}` }),
  })
  .meta({ id: 'DeviceRequest' });
