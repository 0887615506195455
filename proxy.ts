import { randomBytes } from 'node:crypto';
import { type NextRequest, NextResponse } from 'next/server';
import { env } from '@/env';
import { screenRequest } from '@/lib/request-gate';
import { isApiPath, securityHeaders } from '@/lib/security/headers';

// Security headers for every page, and a screen that refuses, with the contract's 400/413,
// requests Next.js would otherwise answer with a 500 before our code runs (see
// lib/request-gate.ts). Paths under /api/ do not reach it (see the matcher): the web server
// does both for them. Never an authorization point: route handlers, pages and actions check
// access themselves.
export async function proxy(request: NextRequest) {
  const e = env();
  const pathname = request.nextUrl.pathname;
  // `/api` itself (the matcher leaves out only /api/...) renders no scripts: its policy has
  // no nonce, and nothing needs to reach the renderer.
  const api = isApiPath(pathname);
  // Fresh per request: a nonce an attacker can predict or replay allows their script.
  const nonce = api ? '' : randomBytes(16).toString('base64');
  const headers = securityHeaders({
    pathname,
    nonce,
    tileUrl: e.MAP_TILE_URL,
    development: e.NODE_ENV === 'development',
    siteUrl: e.NEXTAUTH_URL,
  });
  const refused = await screenRequest(request);
  let response: NextResponse | Response;
  if (refused) {
    response = refused;
  } else if (api) {
    response = NextResponse.next();
  } else {
    // Next.js reads the nonce from the request's policy and puts it on the scripts it renders.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']!);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Build-hashed static files carry no policy of their own (next.config.ts sets nosniff on them).
  // API responses get their headers and their path screen in scripts/web-server.ts, before
  // Next.js: running the proxy costs every device request (telemetry at 1 Hz per drone) a
  // request object and a teed copy of its body.
  matcher: ['/((?!_next/static|_next/image|api/).*)'],
};
