// GET /api/admin/fleet[?since=<version>] — the live map (all drones and lockers), polled every
// second; admins only. Without `since`, or with a version this instance cannot answer from
// (another instance's, or too old), a full snapshot; otherwise only what changed after it.
import { fleetQuerySchema } from '@/lib/validation/fleet-feed';
import { fleetFeed } from '@/lib/admin/fleet-live';
import { requireAdmin } from '@/lib/auth/session';
import { apiRoute, parseWith } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async ({ req }) => {
  const t0 = performance.now();
  await requireAdmin();
  const t1 = performance.now();
  const { since } = parseWith(
    fleetQuerySchema,
    { since: new URL(req.url).searchParams.get('since') ?? undefined },
    'The query is invalid.',
  );
  const answer = await fleetFeed().read(since);
  const t2 = performance.now();
  return new Response(answer.body, {
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      // The bench reads these: the whole handler, the admin check, and the feed (waiting for a
      // shared load, or loading, and building the answer), and whether this request loaded.
      'Server-Timing': [
        `fleet;dur=${(t2 - t0).toFixed(1)};desc="${answer.kind}${answer.loadedHere ? ', loaded' : ', shared'}"`,
        `auth;dur=${(t1 - t0).toFixed(1)}`,
        `feed;dur=${(t2 - t1).toFixed(1)}`,
      ].join(', '),
    },
  });
});
