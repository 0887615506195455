import 'server-only';
import { createFormatter } from 'next-intl';
import { env } from '@/env';
import { formats } from '@/i18n/formats';
import type { Locale } from '@/i18n/config';

// Server side only (it reads the configuration). Client components format with next-intl's
// useFormatter(), which carries the same zone and formats from the provider.

/**
 * A next-intl formatter outside React (notifications, workers, scripts): the same named
 * formats and the deployment's zone as pages get from getFormatter/useFormatter.
 */
export function createAppFormatter(locale: Locale, now?: Date) {
  return createFormatter({ locale, timeZone: env().APP_TIME_ZONE, formats, now });
}

export { formatAge } from './format-age';
