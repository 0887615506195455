// GET /api/me/orders — the signed-in customer's orders, newest first; session.
import { db } from '@/db';
import { listOrdersForUser } from '@/db/queries/orders';
import { requireUser } from '@/lib/auth/session';
import { apiRoute } from '@/lib/http';
import { orderJson } from '@/lib/orders/present';

export const GET = apiRoute(async () => {
  const user = await requireUser();
  const orders = await listOrdersForUser(db, { userId: user.id });
  return Response.json({ orders: orders.map(orderJson) }, { headers: { 'Cache-Control': 'no-store' } });
});
