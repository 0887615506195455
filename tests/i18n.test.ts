import { describe, expect, it } from 'vitest';
import { createTranslator } from 'next-intl';
import { loadEnv } from '@/env';
import { LOCALES, negotiateLocale, resolveLocale } from '@/i18n/config';
import { loadMessages } from '@/i18n/messages';
import { createAppFormatter } from '@/lib/format';

// The language of a request, the deployment's time zone, and the message catalogs: every key
// in both languages, every message formats with its arguments.

describe('negotiateLocale', () => {
  it('picks the best supported language by quality, then by order', () => {
    expect(negotiateLocale('ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('ru');
    expect(negotiateLocale('en-US,en;q=0.9,ru;q=0.8')).toBe('en');
    expect(negotiateLocale('de-DE,de;q=0.9,ru;q=0.5,en;q=0.4')).toBe('ru');
    expect(negotiateLocale('en;q=0.2, ru;q=0.8')).toBe('ru');
    expect(negotiateLocale('RU')).toBe('ru');
  });

  it('falls back to English for nothing usable, a wildcard, q=0 or garbage', () => {
    for (const header of [undefined, null, '', 'de, fr;q=0.8', '*', 'ru;q=0', ';;;,,,', '{}'.repeat(600)]) {
      expect(negotiateLocale(header), String(header)).toBe('en');
    }
    // An unreadable quality counts as 1, as if it were absent.
    expect(negotiateLocale('ru;q=abc,en;q=0.1')).toBe('ru');
  });

  it('lets a valid NEXT_LOCALE cookie win and ignores an invalid one', () => {
    expect(resolveLocale('ru', 'en-US')).toBe('ru');
    expect(resolveLocale('en', 'ru-RU')).toBe('en');
    expect(resolveLocale('de', 'ru-RU')).toBe('ru');
    expect(resolveLocale(undefined, undefined)).toBe('en');
  });
});

describe('APP_TIME_ZONE', () => {
  it('defaults to Europe/Moscow and accepts IANA names', () => {
    expect(loadEnv({}).APP_TIME_ZONE).toBe('Europe/Moscow');
    expect(loadEnv({ APP_TIME_ZONE: 'America/New_York' }).APP_TIME_ZONE).toBe('America/New_York');
    expect(loadEnv({ APP_TIME_ZONE: 'UTC' }).APP_TIME_ZONE).toBe('UTC');
  });

  it('refuses unknown zones and offsets, naming the variable', () => {
    for (const bad of ['Mars/Olympus', 'Europe/Moscow ', '+03:00', 'GMT+3 ; drop', '../etc']) {
      expect(() => loadEnv({ APP_TIME_ZONE: bad }), bad).toThrow(/APP_TIME_ZONE: must be an IANA time zone/);
    }
  });
});

describe('createAppFormatter', () => {
  const at = new Date('2026-11-27T12:58:10Z');

  it('renders in the deployment zone whatever the process zone, in each language', () => {
    // Moscow is UTC+3 all year.
    expect(createAppFormatter('ru').dateTime(at, 'time')).toBe('15:58');
    expect(createAppFormatter('en').dateTime(at, 'time')).toBe('3:58 PM');
    expect(createAppFormatter('en').dateTime(at, 'dateTime')).toBe('Nov 27, 2026, 3:58 PM');
    expect(createAppFormatter('ru').dateTime(at, 'dateTime')).toBe('27 нояб. 2026 г., 15:58');
  });

  it('gives relative ages against the "now" it was made with', () => {
    const now = new Date(at.getTime() + 5 * 60_000);
    expect(createAppFormatter('en', now).relativeTime(at)).toBe('5 minutes ago');
    expect(createAppFormatter('ru', now).relativeTime(at)).toBe('5 минут назад');
  });
});

/** Every leaf key of a nested catalog, dotted. */
function leaves(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof obj === 'string') {
    out.set(prefix, obj);
    return out;
  }
  for (const [k, v] of Object.entries(obj as Record<string, unknown>))
    for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  return out;
}

/** Argument names and types of an ICU message ("{count, plural, ...}" gives count: plural). */
function icuArguments(message: string): Map<string, string> {
  const args = new Map<string, string>();
  for (const m of message.matchAll(
    /\{\s*([A-Za-z_]\w*)\s*(?:,\s*(plural|select|selectordinal|number|date|time)\b|\})/g,
  )) {
    if (!args.has(m[1]!) || m[2]) args.set(m[1]!, m[2] ?? 'string');
  }
  return args;
}

describe('message catalogs', () => {
  const catalogs = Object.fromEntries(LOCALES.map((l) => [l, leaves(loadMessages(l))]));

  it('have the same keys in every language', () => {
    const [first, ...rest] = LOCALES;
    for (const l of rest) {
      expect([...catalogs[l]!.keys()].sort(), `${l} vs ${first}`).toEqual([...catalogs[first]!.keys()].sort());
    }
  });

  it('format every message with its arguments, with the same arguments in every language', () => {
    for (const locale of LOCALES) {
      const messages = loadMessages(locale);
      const t = createTranslator({
        locale,
        messages,
        timeZone: 'Europe/Moscow',
        onError: (e) => {
          throw e;
        },
      });
      for (const [key, message] of catalogs[locale]!) {
        const args = icuArguments(message);
        expect([...args.keys()].sort(), `${locale}:${key} arguments`).toEqual(
          [...icuArguments(catalogs.en!.get(key) ?? '').keys()].sort(),
        );
        const values: Record<string, string | number | Date | ((chunks: string) => string)> = {};
        for (const [name, type] of args)
          values[name] =
            type === 'plural' || type === 'selectordinal' || type === 'number'
              ? 2
              : type === 'date' || type === 'time'
                ? new Date()
                : 'x';
        for (const tag of message.matchAll(/<([A-Za-z]\w*)>/g)) values[tag[1]!] = (chunks: string) => chunks;
        expect(() => t.markup(key as never, values as never), `${locale}:${key}`).not.toThrow();
      }
    }
  });

  it('give Russian plurals all of one, few, many and other, and English one and other', () => {
    for (const locale of LOCALES) {
      for (const [key, message] of catalogs[locale]!) {
        for (const m of message.matchAll(/\{\s*\w+\s*,\s*plural\s*,/g)) {
          const rest = message.slice(m.index);
          const needed = locale === 'ru' ? ['one', 'few', 'many', 'other'] : ['one', 'other'];
          for (const form of needed)
            expect(rest, `${locale}:${key} needs "${form}"`).toMatch(new RegExp(`\\b${form}\\s*\\{`));
        }
      }
    }
  });
});
