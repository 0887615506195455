import { NextResponse, type NextRequest } from 'next/server';
import { screenRequest } from '@/lib/request-gate';

// Refuses, with the contract's 400/413, requests that Next.js would otherwise answer with a
// 500 before our code runs (see lib/request-gate.ts). Never an authorization point: route
// handlers, pages and actions check access themselves.
export async function proxy(request: NextRequest) {
  return (await screenRequest(request)) ?? NextResponse.next();
}

export const config = {
  matcher: ['/((?!_next/static|_next/image).*)'],
};
