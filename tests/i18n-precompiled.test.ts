import { describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import compiledFormat from 'use-intl/format-message/format-only';
import runtimeFormat from 'use-intl/format-message';
import { _createCache, _createIntlFormatters } from 'use-intl/core';
import { LOCALES, type Locale } from '@/i18n/config';
import { formats } from '@/i18n/formats';
import { compileMessages, readMessages } from '@/i18n/messages';

// Everything Next.js bundles formats precompiled messages (next.config.ts aliases use-intl's
// formatter to its precompiled variant; i18n/messages.ts compiles the catalogs with
// icu-minify). Processes outside Next.js (the order worker) format the raw messages at run
// time. A customer must read the same sentence either way: every message of both languages,
// with every plural form and select branch its arguments have, formats to the same text.

type Tree = { [key: string]: string | Tree };
type Values = Record<string, unknown>;

const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`),
  );

const at = (tree: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], tree);

// icu-minify's compiled shapes: a message is a string or a list of parts; a part is text, 0
// (the `#` of a plural) or a node. A node is [name] (an argument), [name, type, options?] (a
// typed argument: 1 select, 2 plural, 3 selectordinal, 4 number, 5 date, 6 time; a select's
// or plural's branches are messages again) or [name, ...parts] (a tag around its content).
type Arg = { name: string; kind: 'text' | 'number' | 'date' | 'tag' | 'select' | 'plural'; options?: string[] };

function argsOfParts(message: unknown, out: Map<string, Arg>): Map<string, Arg> {
  if (Array.isArray(message)) for (const part of message) if (Array.isArray(part)) argsOfNode(part, out);
  return out;
}

function argsOfNode(node: unknown[], out: Map<string, Arg>) {
  const [name, type, options] = node as [string, unknown, unknown];
  if (node.length === 1) out.set(name, out.get(name) ?? { name, kind: 'text' });
  else if (typeof type === 'number') {
    if (type === 1 || type === 2 || type === 3) {
      out.set(name, { name, kind: type === 1 ? 'select' : 'plural', options: Object.keys(options as object) });
      for (const branch of Object.values(options as object)) argsOfParts(branch, out);
    } else out.set(name, { name, kind: type === 4 ? 'number' : 'date' });
  } else {
    out.set(name, { name, kind: 'tag' });
    argsOfParts(node.slice(1), out);
  }
}

/** Value sets that reach every branch: each select option, and plural counts across the forms. */
function valueSets(args: Arg[]): Values[] {
  const base: Values = {};
  for (const a of args) {
    if (a.kind === 'text') base[a.name] = 'X';
    else if (a.kind === 'number') base[a.name] = 1234.5;
    else if (a.kind === 'date') base[a.name] = new Date('2026-11-27T12:34:56Z');
    else if (a.kind === 'tag') base[a.name] = (chunks: ReactNode[]) => `<${a.name}>${chunks.join('')}</${a.name}>`;
    else if (a.kind === 'select') base[a.name] = a.options?.find((o) => o !== 'other') ?? 'other';
    else base[a.name] = 1;
  }
  const sets: Values[] = [base];
  for (const a of args) {
    if (a.kind === 'select')
      for (const o of [...(a.options ?? []), 'something-else']) sets.push({ ...base, [a.name]: o });
    if (a.kind === 'plural') for (const n of [0, 1, 2, 5, 11, 21, 22, 1.5]) sets.push({ ...base, [a.name]: n });
  }
  return sets;
}

const text = (node: ReactNode): string =>
  Array.isArray(node) ? node.map((n) => text(n as ReactNode)).join('') : String(node);

function formatters(locale: Locale) {
  const cache = _createCache();
  return { cache, formatters: _createIntlFormatters(cache), globalFormats: formats, locale, timeZone: 'Europe/Moscow' };
}

describe('precompiled messages', () => {
  for (const locale of LOCALES) {
    it(`format like the runtime formatter, every message in ${locale}`, () => {
      const raw = readMessages(locale) as Tree;
      const compiled = compileMessages(raw);
      const runtimeOptions = formatters(locale);
      const compiledOptions = formatters(locale);
      const differences: string[] = [];
      let checked = 0;
      for (const [key, message] of leaves(raw)) {
        const c = at(compiled, key);
        // React refuses objects without a prototype in what it hands to client components.
        expect(JSON.stringify(c), key).toBe(JSON.stringify(JSON.parse(JSON.stringify(c))));
        for (const values of valueSets([...argsOfParts(c, new Map()).values()])) {
          const want = text(runtimeFormat(key, message, values as never, runtimeOptions));
          const got = text(compiledFormat(key, c as never, values as never, compiledOptions));
          checked++;
          if (got !== want)
            differences.push(`${key} ${JSON.stringify(values)}: runtime "${want}", precompiled "${got}"`);
        }
      }
      expect(differences).toEqual([]);
      // The walk reached the catalog (hundreds of messages, their branches included).
      expect(checked).toBeGreaterThan(500);
    });
  }

  it('compiles plural and select arguments, and keeps plain texts as they are', () => {
    const c = compileMessages({
      a: 'Plain',
      b: '{count, plural, one {# cell} other {# cells}}',
      c: { d: 'Hi {name}' },
    });
    expect(c.a).toBe('Plain');
    expect(Array.isArray(c.b)).toBe(true);
    expect(compiledFormat('b', c.b as never, { count: 2 }, formatters('en'))).toBe('2 cells');
    expect(compiledFormat('c.d', (c.c as Tree).d as never, { name: 'Anna' }, formatters('en'))).toBe('Hi Anna');
  });

  it('names the message that is not valid ICU', () => {
    expect(() => compileMessages({ broken: 'Hi {name' })).toThrow(/message "broken" is not valid ICU/);
  });
});
