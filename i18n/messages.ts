import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import compile from 'icu-minify/compile';
import type { AbstractIntlMessages } from 'next-intl';
import { env } from '@/env';
import type { Locale } from './config';

// Messages live in messages/<locale>/<namespace>.json, one file per namespace, so each part of
// the app owns its own files. They are read from disk (the web server, the workers and the
// tests all run from the project root) and every file found becomes a namespace: adding a
// namespace is adding a file, nothing to register.

const cache = new Map<Locale, AbstractIntlMessages>();

/**
 * Whether this process formats precompiled messages. next.config.ts points use-intl's
 * formatter at its precompiled-message variant in everything Next.js bundles (pages, route
 * handlers, server actions and the browser's code), so there every message must be compiled
 * first. Processes outside Next.js (the order worker, the unit tests) keep use-intl's runtime
 * formatter and the messages as written. Next.js sets NEXT_RUNTIME in what it bundles.
 */
export const MESSAGES_PRECOMPILED = Boolean(process.env.NEXT_RUNTIME);

type Compiled = ReturnType<typeof compile>;

/**
 * The catalog with every message compiled by icu-minify (a plain text stays a string; one with
 * arguments, plurals or tags becomes a small array the precompiled formatter walks).
 */
export function compileMessages(messages: AbstractIntlMessages): AbstractIntlMessages {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') {
      try {
        // icu-minify builds its option maps without a prototype, which React refuses to hand
        // to client components: a JSON round trip makes them plain objects.
        out[key] = JSON.parse(JSON.stringify(compile(value))) as Compiled;
      } catch (err) {
        throw new Error(`message "${key}" is not valid ICU: ${(err as Error).message}`);
      }
    } else out[key] = compileMessages(value);
  }
  // The compiled form is not a string tree; next-intl takes it where it takes messages.
  return out as AbstractIntlMessages;
}

/** One locale's catalog, read now (the e2e tests use it to speak the language of their browser). */
export function readMessages(locale: Locale): AbstractIntlMessages {
  const dir = path.resolve(/*turbopackIgnore: true*/ process.cwd(), 'messages', locale);
  const messages: AbstractIntlMessages = {};
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const namespace = file.slice(0, -'.json'.length);
    try {
      messages[namespace] = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as AbstractIntlMessages;
    } catch (err) {
      throw new Error(`messages/${locale}/${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  return messages;
}

const load = (locale: Locale) => (MESSAGES_PRECOMPILED ? compileMessages(readMessages(locale)) : readMessages(locale));

/**
 * Every namespace of one locale, in the form this process formats (MESSAGES_PRECOMPILED). Read
 * once per process, except under `next dev` (edits show at once).
 */
export function loadMessages(locale: Locale): AbstractIntlMessages {
  if (env().NODE_ENV === 'development') return load(locale);
  let m = cache.get(locale);
  if (!m) {
    m = load(locale);
    cache.set(locale, m);
  }
  return m;
}
