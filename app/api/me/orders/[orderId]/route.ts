// GET /api/me/orders/{orderId} — one order with timeline and live tracking (polled by the order page);
// session, own orders only.
import { db } from '@/db';
import { getOrderForUser } from '@/db/queries/orders';
import { requireUser } from '@/lib/auth/session';
import { notFound } from '@/lib/errors';
import { apiRoute, parseId } from '@/lib/http';
import { orderDetailJson } from '@/lib/orders/present';

export const GET = apiRoute<{ orderId: string }>(async ({ params }) => {
  const user = await requireUser();
  const orderId = parseId(params.orderId, 'Order');
  const order = await getOrderForUser(db, { orderId, userId: user.id });
  if (!order) throw notFound('Order');
  return Response.json({ order: orderDetailJson(order) }, { headers: { 'Cache-Control': 'no-store' } });
});
