import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  clientMessages,
  PORTAL_SITE_NAMESPACES,
  sectionOf,
  SERVER_ONLY_MESSAGES,
  withoutPaths,
} from '@/i18n/client-messages';
import { LOCALES } from '@/i18n/config';
import { readMessages } from '@/i18n/messages';

// The messages left out of the browser's copy (i18n/client-messages.ts) must be ones no
// client component translates with: otherwise that component renders a missing message.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/**
 * Every namespace passed to useTranslations in app/, components/ and lib/, with where; null for a call with no literal
 * argument.
 */
function translatorNamespaces(): { file: string; text: string; ns: string | null }[] {
  const out: { file: string; text: string; ns: string | null }[] = [];
  for (const file of ['app', 'components', 'lib'].flatMap((d) => sourceFiles(path.join(process.cwd(), d)))) {
    // Comments are not calls (lib/validation/localize.ts names useTranslations() in one).
    const text = readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    // A whole-catalog translator used only to word form errors reads the validation texts.
    const onlyLocalizes = (arg: string) =>
      arg === '' && /localize(FieldErrors|AppError)\(/.test(text) && !/\btAll\(/.test(text);
    for (const m of text.matchAll(/\buse(Translations|Messages)\s*\(\s*([^)]*)\)/g)) {
      const arg = (m[2] ?? '').trim();
      const literal = /^(['"])([\w.-]+)\1$/.exec(arg);
      out.push({
        file: path.relative(process.cwd(), file),
        text,
        ns: m[1] === 'Messages' ? null : onlyLocalizes(arg) ? 'validation' : arg === '' ? '' : (literal?.[2] ?? null),
      });
    }
  }
  return out;
}

/**
 * Whether a translator for `ns` in a file with this source can read the omitted path: always
 * when the path is the namespace or contains it; when the namespace contains the path (a
 * translator for 'site' and the path 'site.footer'), only if the file names the key
 * ('footer', 'footer.x'), as t('footer') or t(`footer.${x}`) would.
 */
function overlaps(ns: string, omitted: string, text: string): boolean {
  if (ns === '' || ns === omitted || ns.startsWith(`${omitted}.`)) return true;
  if (!omitted.startsWith(`${ns}.`)) return false;
  const key = omitted.slice(ns.length + 1).split('.')[0] ?? '';
  return new RegExp(`['"\`]${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(['"\`.]|$)`).test(text);
}

describe('messages sent to the browser', () => {
  it('finds the client translators it checks (the scan works)', () => {
    const found = translatorNamespaces();
    expect(found.map((f) => f.ns)).toContain('auth.form');
    expect(found.map((f) => f.ns)).toContain('notifications.inbox');
  });

  it('leaves out nothing a component translates with through useTranslations', () => {
    const conflicts: string[] = [];
    for (const { file, text, ns } of translatorNamespaces()) {
      if (ns === null) {
        conflicts.push(
          `${file}: useTranslations/useMessages without a literal namespace (the check cannot see what it reads)`,
        );
        continue;
      }
      for (const omitted of SERVER_ONLY_MESSAGES)
        if (overlaps(ns, omitted, text))
          conflicts.push(
            `${file}: useTranslations('${ns}') reads '${omitted}', ` +
              'which i18n/client-messages.ts keeps from the browser',
          );
    }
    expect(conflicts).toEqual([]);
  });

  it('keeps each section’s namespaces to that section’s client components', () => {
    // The admin layout and the kiosk page have providers of their own; every other client
    // component sits under the root provider, which has neither the portal's nor the kiosk's texts.
    const sectionOfFile = (file: string) =>
      /^(app|components)\/admin\//.test(file) ? 'admin' : /^(app|components)\/kiosk\//.test(file) ? 'kiosk' : 'site';
    const conflicts: string[] = [];
    for (const { file, ns } of translatorNamespaces()) {
      if (ns === null) continue;
      const owner = ns === '' ? 'site' : sectionOf(ns.split('.')[0] ?? '');
      if (owner !== 'site' && owner !== sectionOfFile(file))
        conflicts.push(`${file}: useTranslations('${ns}') reads the ${owner} section's texts outside its provider`);
    }
    expect(conflicts).toEqual([]);
    const all = readMessages('ru');
    const site = clientMessages(all);
    expect(Object.keys(site).filter((ns) => ns.startsWith('admin') || ns === 'kiosk')).toEqual([]);
    expect(Object.keys(clientMessages(all, 'admin'))).toEqual(
      expect.arrayContaining(['adminFleet', 'adminOps', 'adminCommon', 'site', 'validation']),
    );
    expect(clientMessages(all, 'admin').kiosk).toBeUndefined();
    expect(clientMessages(all, 'kiosk').kiosk).toEqual(all.kiosk);
    expect(clientMessages(all, 'kiosk').adminFleet).toBeUndefined();
  });

  it('gives the portal every namespace its client components translate with, and not the customer’s', () => {
    // The portal's own client files, and the shared client components its pages render.
    const portalFiles = (file: string) =>
      /^(app|components)\/admin\//.test(file) ||
      /^components\/map\//.test(file) ||
      ['components/auto-refresh.tsx', 'components/site/language-switch-buttons.tsx'].includes(file);
    const admin = clientMessages(readMessages('en'), 'admin');
    const missing: string[] = [];
    let checked = 0;
    for (const { file, ns } of translatorNamespaces()) {
      if (!portalFiles(file)) continue;
      checked++;
      const root = (ns ?? '').split('.')[0] ?? '';
      if (!root || !(root in admin))
        missing.push(`${file}: useTranslations('${ns}') reads a namespace the portal's provider does not send`);
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    for (const ns of PORTAL_SITE_NAMESPACES) expect(admin[ns], ns).toBeDefined();
    for (const ns of ['account', 'tracking', 'orders', 'notifications', 'kiosk']) expect(admin[ns], ns).toBeUndefined();
  });

  it('lists only paths that exist, in every language', () => {
    for (const locale of LOCALES) {
      const all = readMessages(locale);
      for (const p of SERVER_ONLY_MESSAGES) {
        const value = p
          .split('.')
          .reduce<unknown>(
            (node, k) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[k] : undefined),
            all,
          );
        expect(value, `${locale}: ${p}`).toBeDefined();
      }
    }
  });

  it('removes exactly the listed paths and leaves the cached catalog whole', () => {
    const all = readMessages('en');
    const before = JSON.stringify(all);
    const client = clientMessages(all);
    expect(JSON.stringify(all)).toBe(before);
    expect(client.home).toBeUndefined();
    expect(client.catalog).toBeUndefined();
    expect((client.site as Record<string, unknown>).header).toBeUndefined();
    // The language switch and the error page take their texts as props, translated on the server.
    expect((client.site as Record<string, unknown>).language).toBeUndefined();
    expect((client.errors as Record<string, unknown>).error).toBeUndefined();
    expect((client.errors as Record<string, unknown>).notFound).toEqual(
      (all.errors as Record<string, unknown>).notFound,
    );
    expect((client.notifications as Record<string, unknown>).inbox).toEqual(
      (all.notifications as Record<string, unknown>).inbox,
    );
    expect((client.notifications as Record<string, unknown>).order_ready).toBeUndefined();
    expect(client.auth).toMatchObject({ form: (all.auth as Record<string, unknown>).form });
    expect(JSON.stringify(client).length).toBeLessThan(before.length);
  });

  it('counts a key as read only where the file names it', () => {
    expect(overlaps('site', 'site.footer', "t('liveUpdated')")).toBe(false);
    expect(overlaps('site', 'site.footer', "t('footer.nav')")).toBe(true);
    expect(overlaps('site', 'site.footer', 't(`footer.${k}`)')).toBe(true);
    expect(overlaps('site.footer', 'site', "t('x')")).toBe(true);
    expect(overlaps('', 'home', "t('x')")).toBe(true);
    expect(overlaps('notifications.inbox', 'notifications.order_ready', "t('order_ready')")).toBe(false);
  });

  it('ignores a path that is not there', () => {
    expect(withoutPaths({ a: { b: 'x' } }, ['a.c', 'z', 'a.b.c'])).toEqual({ a: { b: 'x' } });
    expect(withoutPaths({ a: { b: 'x', c: 'y' } }, ['a.b'])).toEqual({ a: { c: 'y' } });
  });
});
