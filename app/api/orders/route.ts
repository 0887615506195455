// POST /api/orders — place an order for a good to a parcel automat; session.
import { db } from '@/db';
import { findOrderSummaryForUser } from '@/db/queries/orders';
import { requireUser } from '@/lib/auth/session';
import { apiRoute, parseJson } from '@/lib/http';
import { createOrder } from '@/lib/orders/order-flow';
import { orderJson } from '@/lib/orders/present';
import { createOrderSchema } from '@/lib/validation/orders';

export const POST = apiRoute(async ({ req }) => {
  const user = await requireUser();
  const body = await parseJson(req, createOrderSchema, { maxBytes: 4 * 1024 });
  const order = await createOrder(
    db,
    { userId: user.id, goodId: body.good_id, automatId: body.parcel_automat_id },
    { actor: { type: 'customer', id: user.id } },
  );
  const summary = await findOrderSummaryForUser(db, { orderId: order.id, userId: user.id });
  if (!summary) throw new Error('A just-created order could not be read back');
  // The order as created: a worker may already have taken it by the time we read it back.
  const created = {
    ...summary,
    status: order.status,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    cellNumber: null,
  };
  return Response.json({ order: orderJson(created) }, { status: 201 });
});
