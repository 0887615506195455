import { describe, expect, it } from 'vitest';
import {
  API_CONTENT_SECURITY_POLICY,
  pageContentSecurityPolicy,
  permissionsPolicy,
  securityHeaders,
  strictTransportSecurity,
  tileImageSource,
} from '@/lib/security/headers';

// The policy builder behind proxy.ts: tile hosts derived from MAP_TILE_URL, per-path
// permissions, HSTS only on https. The browser side is e2e/ui/security-headers.spec.ts.

function directive(policy: string, name: string): string | undefined {
  return policy
    .split('; ')
    .find((d) => d === name || d.startsWith(`${name} `))
    ?.slice(name.length + 1);
}

describe('tileImageSource', () => {
  it('turns a {s} subdomain placeholder into a *. wildcard', () => {
    expect(tileImageSource('https://{s}.tiles.example.test/{z}/{x}/{y}.png')).toBe('https://*.tiles.example.test');
  });

  it('widens a label that only contains {s}, and every label before it', () => {
    expect(tileImageSource('https://tile-{s}.maps.example.test/{z}/{x}/{y}.png')).toBe('https://*.maps.example.test');
    expect(tileImageSource('https://a.{s}.maps.example.test/{z}/{x}/{y}.png')).toBe('https://*.maps.example.test');
  });

  it('keeps a custom host with its port and scheme', () => {
    expect(tileImageSource('http://tiles.internal.test:8080/{z}/{x}/{y}.png')).toBe('http://tiles.internal.test:8080');
    expect(tileImageSource('HTTPS://{s}.Tiles.Example.Test:8443/t/{z}/{x}/{y}.png?key=abc')).toBe(
      'https://*.tiles.example.test:8443',
    );
  });

  it('drops the default port', () => {
    expect(tileImageSource('https://tiles.example.test:443/{z}/{x}/{y}.png')).toBe('https://tiles.example.test');
  });

  it('means self only for relative, invalid or unsafe tile URLs', () => {
    expect(tileImageSource('/tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(tileImageSource('//{s}.tiles.example.test/{z}/{x}/{y}.png')).toBeNull();
    expect(tileImageSource('not a url')).toBeNull();
    expect(tileImageSource('')).toBeNull();
    expect(tileImageSource('ftp://tiles.example.test/{z}.png')).toBeNull();
    expect(tileImageSource('javascript:alert(1)')).toBeNull();
    expect(tileImageSource('https://user:pw@tiles.example.test/{z}.png')).toBeNull();
    expect(tileImageSource('https://{z}.tiles.example.test/{x}/{y}.png')).toBeNull();
    expect(tileImageSource('https://exa mple.test/{z}.png')).toBeNull();
    // A wildcard over a whole top-level domain would allow images from anywhere under it.
    expect(tileImageSource('https://{s}.test/{z}/{x}/{y}.png')).toBeNull();
  });
});

describe('pageContentSecurityPolicy', () => {
  const nonce = 'bm9uY2Utdmx1ZQ==';

  it('is the exact production policy, with the nonce and the tile host', () => {
    expect(
      pageContentSecurityPolicy({
        nonce,
        tileUrl: 'https://{s}.tiles.example.test/{z}/{x}/{y}.png',
        development: false,
      }),
    ).toBe(
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
        `style-src 'self' 'nonce-${nonce}'`,
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob: https://*.tiles.example.test",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ].join('; '),
    );
  });

  it('never allows inline scripts by keyword, and eval only in development', () => {
    const prod = pageContentSecurityPolicy({ nonce, tileUrl: '/t/{z}/{x}/{y}.png', development: false });
    const dev = pageContentSecurityPolicy({ nonce, tileUrl: '/t/{z}/{x}/{y}.png', development: true });
    expect(directive(prod, 'script-src')).not.toContain('unsafe-inline');
    expect(directive(prod, 'script-src')).not.toContain('unsafe-eval');
    expect(directive(dev, 'script-src')).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`);
    // A relative tile URL is served by this site: images from self only.
    expect(directive(prod, 'img-src')).toBe("'self' data: blob:");
  });
});

describe('permissionsPolicy', () => {
  it('gives the camera to the kiosk only, and geolocation to the site (the "near me" locker search)', () => {
    const kiosk = permissionsPolicy('/kiosk/0b8e1b5a-1111-4c4c-8888-123456789abc');
    const site = permissionsPolicy('/order/0b8e1b5a-1111-4c4c-8888-123456789abc');
    expect(kiosk).toContain('camera=(self)');
    expect(kiosk).toContain('geolocation=()');
    expect(site).toContain('camera=()');
    expect(site).toContain('geolocation=(self)');
    for (const p of [kiosk, site, permissionsPolicy('/admin')]) {
      expect(p).toContain('microphone=()');
      expect(p).toContain('payment=()');
      expect(p).toContain('usb=()');
    }
    expect(permissionsPolicy('/kiosks')).toContain('camera=()');
  });
});

describe('strictTransportSecurity', () => {
  it('is sent only when the site URL is https', () => {
    expect(strictTransportSecurity('https://skypost.example.test')).toBe('max-age=31536000; includeSubDomains');
    expect(strictTransportSecurity('http://127.0.0.1:3000')).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
    expect(strictTransportSecurity('not a url')).toBeNull();
  });
});

describe('securityHeaders', () => {
  const base = { nonce: 'abc', tileUrl: 'https://{s}.tiles.example.test/{z}/{x}/{y}.png', development: false };

  it('gives API routes the minimal policy and pages the full one', () => {
    const api = securityHeaders({ ...base, pathname: '/api/orders', siteUrl: 'http://127.0.0.1:3000' });
    expect(api['Content-Security-Policy']).toBe(API_CONTENT_SECURITY_POLICY);
    expect(API_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api['Strict-Transport-Security']).toBeUndefined();
    const page = securityHeaders({ ...base, pathname: '/apiary', siteUrl: 'https://skypost.example.test' });
    expect(directive(page['Content-Security-Policy']!, 'script-src')).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(page['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains');
  });
});
