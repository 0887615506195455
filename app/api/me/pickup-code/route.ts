// GET/POST /api/me/pickup-code — the signed-in customer's pickup QR token (POST issues a new one); session.
import { db } from '@/db';
import { requireUser } from '@/lib/auth/session';
import { apiRoute } from '@/lib/http';
import { currentPickupCode, issuePickupCode } from '@/lib/pickup/token';

const noStore = { 'Cache-Control': 'no-store' };

export const GET = apiRoute(async () => {
  const user = await requireUser();
  const code = await currentPickupCode(db, user.id);
  return Response.json({ token: code.token, expires_at: code.expiresAt.toISOString() }, { headers: noStore });
});

export const POST = apiRoute(async () => {
  const user = await requireUser();
  const code = await issuePickupCode(db, user.id);
  return Response.json({ token: code.token, expires_at: code.expiresAt.toISOString() }, { headers: noStore });
});
