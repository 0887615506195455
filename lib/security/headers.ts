// Response security headers, built from configuration. proxy.ts applies them to every page,
// scripts/web-server.ts to every API response; next.config.ts adds the static ones (nosniff,
// referrer) to every file.

/** Tile images come from this origin; null when the tile URL is relative or unusable (self only). */
export function tileImageSource(tileUrl: string): string | null {
  // Leaflet's `{s}` picks one of several subdomains (a, b, c); CSP can only say "any subdomain",
  // and only for a whole leading label, so the label holding it and all before it become `*`.
  const marker = 'tilesubdomainplaceholder';
  const match = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl.trim());
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!;
  if (authority.includes('@')) return null;
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${authority.replaceAll('{s}', marker)}`);
  } catch {
    return null;
  }
  const host = parsed.hostname;
  // Any other placeholder in the host ({z}, {r}, ...) cannot be expressed as a source.
  if (!host || /[{}]/.test(host) || host.includes('%7b') || host.includes('%7d')) return null;
  const labels = host.split('.');
  const last = labels.map((l) => l.includes(marker)).lastIndexOf(true);
  let sourceHost = host;
  if (last >= 0) {
    const rest = labels.slice(last + 1);
    // "{s}.com" would widen to every host under a public suffix; refuse rather than allow that.
    if (rest.length < 2) return null;
    sourceHost = `*.${rest.join('.')}`;
  }
  return `${parsed.protocol}//${sourceHost}${parsed.port ? `:${parsed.port}` : ''}`;
}

export type PolicyOptions = {
  nonce: string;
  tileUrl: string;
  /** `next dev`: React's refresh and error overlay evaluate code, production never does. */
  development: boolean;
};

/** The Content-Security-Policy of an HTML page. */
export function pageContentSecurityPolicy({ nonce, tileUrl, development }: PolicyOptions): string {
  const tiles = tileImageSource(tileUrl);
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    // The App Router bootstraps with inline scripts: Next.js puts this nonce on them, and
    // 'strict-dynamic' lets those trusted scripts load the page's chunks.
    ['script-src', "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // <style> elements need the nonce. Style attributes cannot carry one: Leaflet positions
    // tiles and markers with them, React renders `style` props (charts, progress bars) as
    // attributes in server HTML, so attributes alone stay 'unsafe-inline'. Styles cannot run code.
    ['style-src', "'self'", `'nonce-${nonce}'`],
    ['style-src-attr', "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    ['font-src', "'self'"],
    ['connect-src', "'self'"],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** JSON endpoints render nothing: nothing may load, and nothing may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

const DENIED_FEATURES = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'display-capture',
  'gyroscope',
  'hid',
  'magnetometer',
  'midi',
  'payment',
  'publickey-credentials-get',
  'serial',
  'usb',
  'xr-spatial-tracking',
];

/**
 * The kiosk reads pickup QR codes from its camera; the order page's "near me" button asks for
 * the customer's position. A policy belongs to the document first loaded, and the site's
 * pages navigate between each other without reloading, so every site page allows geolocation.
 * The kiosk is its own entry point and the only one with the camera.
 */
export function permissionsPolicy(pathname: string): string {
  const kiosk = isKioskPath(pathname);
  const features: [string, string][] = [
    ['camera', kiosk ? '(self)' : '()'],
    ['microphone', '()'],
    ['geolocation', kiosk ? '()' : '(self)'],
    ...DENIED_FEATURES.map((f): [string, string] => [f, '()']),
  ];
  return features.map(([f, v]) => `${f}=${v}`).join(', ');
}

export function isKioskPath(pathname: string): boolean {
  return pathname === '/kiosk' || pathname.startsWith('/kiosk/');
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/** HSTS only where the site is served over https: over plain http browsers ignore it anyway. */
export function strictTransportSecurity(siteUrl: string | undefined): string | null {
  if (!siteUrl) return null;
  try {
    return new URL(siteUrl).protocol === 'https:' ? 'max-age=31536000; includeSubDomains' : null;
  } catch {
    return null;
  }
}

export type SecurityHeaderOptions = {
  pathname: string;
  nonce: string;
  tileUrl: string;
  development: boolean;
  siteUrl: string | undefined;
};

/** Every header proxy.ts sets on a response, by path. */
export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': isApiPath(o.pathname)
      ? API_CONTENT_SECURITY_POLICY
      : pageContentSecurityPolicy({ nonce: o.nonce, tileUrl: o.tileUrl, development: o.development }),
    'Permissions-Policy': permissionsPolicy(o.pathname),
  };
  const hsts = strictTransportSecurity(o.siteUrl);
  if (hsts) headers['Strict-Transport-Security'] = hsts;
  return headers;
}
