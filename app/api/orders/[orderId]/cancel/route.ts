// POST /api/orders/{orderId}/cancel — cancel one's own pending order; session.
import { db } from '@/db';
import { requireUser } from '@/lib/auth/session';
import { apiRoute, parseId } from '@/lib/http';
import { cancelOrder } from '@/lib/orders/order-flow';

export const POST = apiRoute<{ orderId: string }>(async ({ params }) => {
  const user = await requireUser();
  const orderId = parseId(params.orderId, 'Order');
  const order = await cancelOrder(db, { orderId, userId: user.id }, { type: 'customer', id: user.id });
  return Response.json({ order: { id: order.id, status: order.status } });
});
