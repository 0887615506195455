import type { AbstractIntlMessages } from 'next-intl';

// Which messages travel to the browser. A NextIntlClientProvider hands its messages to the
// client components below it, inside the page's HTML (the React Server Components payload), so
// a message only server code reads is bytes a phone downloads and parses for nothing. Server
// components (getTranslations) read the full catalog on the server either way. The providers:
// the signed-in site (components/site/signed-in-providers.tsx), sign-in and registration
// (components/intl/site-intl-provider.tsx), the kiosk and the admin portal; the home page and
// the catalog have none.
//
// This is a list of what to leave out, not of what to send: a namespace added later reaches
// the client until someone lists it here, so a new client component never renders a missing
// message. tests/i18n-client-messages.test.ts fails if a path listed here is one that a
// client component translates with (useTranslations), so the list cannot go stale silently.

/**
 * Message paths (a namespace, or a namespace and a key inside it) that only server code
 * reads: the server-rendered pages, the site's header and footer, the metadata, and the texts
 * of notifications, which are written on the server in the customer's language.
 */
export const SERVER_ONLY_MESSAGES = [
  'home',
  'catalog',
  'site.meta',
  'site.header',
  'site.footer',
  'site.skipToContent',
  'site.language',
  'errors.error',
  'auth.signIn',
  'notifications.order_assigned',
  'notifications.order_ready',
  'notifications.order_collected',
  'notifications.order_cancelled',
  'notifications.order_failed',
  'notifications.order_reopened',
  'notifications.pickup_reminder',
  'notifications.pickup_code_expiring',
] as const;

const isMessages = (v: unknown): v is AbstractIntlMessages => typeof v === 'object' && v !== null;

/** A copy of `messages` without the paths in `omit` (the input is not changed; it is the process-wide cache). */
export function withoutPaths(messages: AbstractIntlMessages, omit: readonly string[]): AbstractIntlMessages {
  const out: AbstractIntlMessages = { ...messages };
  for (const p of omit) {
    const keys = p.split('.');
    const last = keys.pop();
    if (!last) continue;
    let node: AbstractIntlMessages = out;
    let missing = false;
    for (const k of keys) {
      const child = node[k];
      if (!isMessages(child)) {
        missing = true;
        break;
      }
      // Copy on the way down, so the cached catalog keeps every key.
      const copy = { ...child };
      node[k] = copy;
      node = copy;
    }
    if (!missing) delete node[last];
  }
  return out;
}

/**
 * Parts of the app with a provider of their own: their namespaces reach the browser only on
 * their pages (the admin layout and the kiosk page wrap their children in one), so a
 * customer's phone never downloads the operator portal's texts.
 */
export type MessageSection = 'site' | 'admin' | 'kiosk';

/** The section a namespace belongs to: `admin*` to the portal, `kiosk` to the locker screen, the rest to every page. */
export function sectionOf(namespace: string): MessageSection {
  if (/^admin[A-Z]/.test(namespace)) return 'admin';
  if (namespace === 'kiosk') return 'kiosk';
  return 'site';
}

/**
 * The site's namespaces the portal's client components read besides its own: the "updated"
 * stamp of components/auto-refresh.tsx (`site`), the maps (`map`), form and error texts. The
 * customer's namespaces (account, orders, tracking, the inbox...) stay off the portal's pages:
 * its live map is the page an operator opens most, and its HTML is mostly these messages.
 * tests/i18n-client-messages.test.ts checks that every namespace a component under app/admin
 * or components/admin (or a shared one they render) translates with is here or the portal's.
 */
export const PORTAL_SITE_NAMESPACES = ['site', 'map', 'validation', 'errors'] as const;

/** The messages a section's provider hands to client components: the shared ones and its own. */
export function clientMessages(messages: AbstractIntlMessages, section: MessageSection = 'site'): AbstractIntlMessages {
  const shared = withoutPaths(messages, SERVER_ONLY_MESSAGES);
  for (const ns of Object.keys(shared)) {
    const owner = sectionOf(ns);
    if (owner !== 'site' && owner !== section) delete shared[ns];
    else if (section === 'admin' && owner === 'site' && !(PORTAL_SITE_NAMESPACES as readonly string[]).includes(ns))
      delete shared[ns];
  }
  return shared;
}
