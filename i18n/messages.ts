import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AbstractIntlMessages } from 'next-intl';
import { env } from '@/env';
import type { Locale } from './config';

// Messages live in messages/<locale>/<namespace>.json, one file per namespace, so each part of
// the app owns its own files. They are read from disk (the web server, the workers and the
// tests all run from the project root) and every file found becomes a namespace: adding a
// namespace is adding a file, nothing to register.

const cache = new Map<Locale, AbstractIntlMessages>();

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

/** Every namespace of one locale. Read once per process, except under `next dev` (edits show at once). */
export function loadMessages(locale: Locale): AbstractIntlMessages {
  if (env().NODE_ENV === 'development') return readMessages(locale);
  let m = cache.get(locale);
  if (!m) {
    m = readMessages(locale);
    cache.set(locale, m);
  }
  return m;
}
