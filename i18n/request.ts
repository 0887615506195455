import { getRequestConfig } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { env } from '@/env';
import { formats } from './formats';
import { LOCALE_COOKIE, resolveLocale } from './config';
import { loadMessages } from './messages';

// next-intl's per-request configuration, without locale routing: the language comes from the
// switch's cookie, else from Accept-Language; dates always render in the deployment's zone.
export default getRequestConfig(async () => {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(jar.get(LOCALE_COOKIE)?.value, h.get('accept-language'));
  return {
    locale,
    timeZone: env().APP_TIME_ZONE,
    // One "now" per request, handed to the client provider too: a relative age ("5 min ago")
    // renders the same on the server and in the browser's first render.
    now: new Date(),
    formats,
    messages: loadMessages(locale),
  };
});
