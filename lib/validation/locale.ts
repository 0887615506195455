import { z } from '@/lib/validation/zod';
import { LOCALES } from '@/i18n/config';

/** The language switch's input. */
export const setLocaleSchema = z.object({ locale: z.enum(LOCALES, { message: 'Choose English or Russian' }) }).strict();
