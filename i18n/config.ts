// The languages of the UI and how a request's language is chosen. No locale routing: URLs
// stay the same in every language; the choice travels in a cookie.

export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Set by the language switch; wins over Accept-Language. */
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** A year: the choice is a preference, not a session. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** Each language's name in itself, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of our locales for an Accept-Language header ("ru-RU,ru;q=0.9,en;q=0.8"): ranges
 * by quality, the first whose primary language we have wins; "*" or nothing usable gives the
 * default. Malformed parts are skipped, never thrown on: the header is client input.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges: { lang: string; q: number; order: number }[] = [];
  acceptLanguage
    .slice(0, 1000)
    .split(',')
    .forEach((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const lang = tag?.trim().toLowerCase().split('-')[0];
      if (!lang || !/^([a-z]{1,8}|\*)$/.test(lang)) return;
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
        if (m) q = Number(m[1]);
      }
      if (q > 0) ranges.push({ lang, q, order });
    });
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranges) {
    if (r.lang === '*') return DEFAULT_LOCALE;
    if (isLocale(r.lang)) return r.lang;
  }
  return DEFAULT_LOCALE;
}

/** The request's locale: the switch's cookie when valid, else the browser's languages. */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Locale {
  return isLocale(cookieValue) ? cookieValue : negotiateLocale(acceptLanguage);
}

/** resolveLocale for raw request headers (next-auth's sign-in, API routes): reads the cookie out of `Cookie`. */
export function localeFromHeaders(
  cookieHeader: string | null | undefined,
  acceptLanguage: string | null | undefined,
): Locale {
  let cookieValue: string | undefined;
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === LOCALE_COOKIE) cookieValue = part.slice(eq + 1).trim();
  }
  return resolveLocale(cookieValue, acceptLanguage);
}
