import { describe, expect, it } from 'vitest';
import { safeCallbackPath, safeRedirectUrl } from '@/lib/auth/callback-url';

// The post-sign-in target comes from the query string: only same-site paths may survive,
// including after the URL parser has normalised dot segments, encodings and backslashes.

const bypasses = [
  '/.//x',
  '/..//x',
  '/%2e//x',
  '/%2E//x',
  '/%2E%2E//x',
  '/./%2e//x',
  '/\\x',
  '/\\\\x',
  '/%5cx',
  '/%5Cx',
  '/%5C%5Cx',
  '/%255c%255cx',
  '/\t/x',
  '/%09/x',
  '/\n/x',
  '/\r\n/x',
  '/%0a/x',
  'http:x',
  'http://x',
  'https://evil.example/',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:text/html,hi',
  '//x',
  '///x',
  '//evil.example/path',
  '\\\\evil.example',
  ' /x',
  'x',
  '',
];

describe('safeCallbackPath', () => {
  it.each(bypasses)('refuses %j', (value) => {
    expect(safeCallbackPath(value, '/fallback')).toBe('/fallback');
  });

  it('refuses values that are not strings, and absurdly long ones', () => {
    for (const value of [undefined, null, 42, ['/orders'], { a: 1 }]) expect(safeCallbackPath(value, '/f')).toBe('/f');
    expect(safeCallbackPath(`/${'a'.repeat(5000)}`, '/f')).toBe('/f');
  });

  it.each([
    ['/', '/'],
    ['/orders', '/orders'],
    ['/orders?status=pending&page=2', '/orders?status=pending&page=2'],
    ['/orders#latest', '/orders#latest'],
    ['/admin/orders?q=a%20b#top', '/admin/orders?q=a%20b#top'],
    ['/catalog/../orders', '/orders'],
    ['/a/./b', '/a/b'],
    ['/search?next=//evil.example', '/search?next=//evil.example'],
  ])('keeps the same-site path %j as %j', (value, expected) => {
    expect(safeCallbackPath(value, '/fallback')).toBe(expected);
  });

  it('never returns anything a browser would resolve off-site (every bypass, every prefix)', () => {
    for (const value of bypasses) {
      for (const prefix of ['', '/a', '/a/b']) {
        const out = safeCallbackPath(`${prefix}${value}`, '/fallback');
        expect(new URL(out, 'https://skypost.test').origin, `${prefix}${value} -> ${out}`).toBe('https://skypost.test');
        expect(out.startsWith('/')).toBe(true);
        expect(/^[/\\]{2}/.test(out)).toBe(false);
      }
    }
  });
});

describe('safeRedirectUrl (next-auth redirect callback)', () => {
  const base = 'https://skypost.test';

  it('keeps same-origin URLs and site paths', () => {
    expect(safeRedirectUrl('/orders?x=1#h', base)).toBe('https://skypost.test/orders?x=1#h');
    expect(safeRedirectUrl('https://skypost.test/account', base)).toBe('https://skypost.test/account');
  });

  it('sends everything else home', () => {
    for (const url of [
      'https://evil.example/',
      '//evil.example',
      '/.//evil.example',
      'https://skypost.test/.//evil.example',
      'javascript:alert(1)',
      'not a url',
      '/%5C%5Cevil.example',
    ]) {
      expect(safeRedirectUrl(url, base), url).toBe('https://skypost.test/');
    }
  });
});
