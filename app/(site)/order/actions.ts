'use server';

import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import { runAction, type ActionResult } from '@/lib/actions';
import { requireUser } from '@/lib/auth/session';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { createOrderSchema } from '@/lib/validation/orders';
import { z } from '@/lib/validation/zod';

export async function createOrderAction(input: {
  good_id: string;
  parcel_automat_id: string;
}): Promise<ActionResult<{ orderId: string }>> {
  return runAction(
    {
      schema: createOrderSchema,
      input,
      options: {
        fieldFor: { too_many_orders: 'open_orders' },
        localize: { errors: { not_found: 'validation.actions.orderGone' } },
      },
    },
    async (data) => {
      const user = await requireUser();
      const order = await createOrder(
        db,
        { userId: user.id, goodId: data.good_id, automatId: data.parcel_automat_id },
        { actor: { type: 'customer', id: user.id } },
      );
      revalidatePath('/orders');
      return { orderId: order.id };
    },
  );
}

export async function cancelOrderAction(input: { order_id: string }): Promise<ActionResult<{ status: string }>> {
  return runAction(
    {
      schema: z.object({ order_id: z.uuid() }),
      input,
      options: { localize: { errors: { invalid_transition: 'validation.actions.cancelTooLate' } } },
    },
    async (data) => {
      const user = await requireUser();
      const order = await cancelOrder(
        db,
        { orderId: data.order_id, userId: user.id },
        { type: 'customer', id: user.id },
      );
      revalidatePath('/orders');
      return { status: order.status };
    },
  );
}
