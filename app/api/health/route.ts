// GET /api/health — liveness and database reachability for load balancers and the launcher; public.
import { db } from '@/db';
import { pingDatabase } from '@/db/queries/health';
import { apiRoute } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async () => {
  const ok = await pingDatabase(db, { timeoutMs: 2000 });
  return Response.json(ok ? { status: 'ok', db: 'ok' } : { status: 'degraded', db: 'unavailable' }, {
    status: ok ? 200 : 503,
    headers: { 'Cache-Control': 'no-store', ...(ok ? {} : { 'Retry-After': '5' }) },
  });
});
