import { z } from '@/lib/validation/zod';

/** The live map's poll (GET /api/admin/fleet): `since` is the version the portal holds (lib/admin/fleet.ts). */
export const fleetQuerySchema = z.object({
  since: z
    .string({ message: 'since must be a version from an earlier answer' })
    .regex(/^[0-9a-f]{1,32}\.[0-9]{1,15}$/, 'since must be a version from an earlier answer')
    .optional()
    .meta({
      description:
        'The `version` of an earlier answer. Malformed (not `<hex instance>.<number>`):\n' +
        '400 `validation_failed` on the field `since`. Well-formed but not answerable\n' +
        'from (another instance, too old, unknown): a full snapshot.\n',
    }),
});
