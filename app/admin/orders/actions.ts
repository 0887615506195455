'use server';

import { getFormatter } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import { env } from '@/env';
import type { ActionResult } from '@/lib/actions';
import { runAdminAction } from '@/lib/admin/action';
import { forcePickupAsAdmin, retryDeliveryAsAdmin, type RetryResult } from '@/lib/admin/orders';
import { auditContext } from '@/lib/admin/request';
import { distanceText } from '@/lib/geo';
import { adminForcePickupSchema, adminRetryDeliverySchema } from '@/lib/validation/admin-orders';

// Order console: admin only (checked in runAdminAction, before the input is read), each change
// audited; outcomes and refusals worded in the operator's language.

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

export async function retryDeliveryAction(_prev: unknown, f: FormData): Promise<ActionResult<RetryResult>> {
  return runAdminAction(
    {
      schema: adminRetryDeliverySchema,
      input: form(f),
      codes: {
        out_of_stock: 'adminOps.retry.refused.out_of_stock',
        no_capacity: 'adminOps.retry.refused.no_capacity',
        invalid_transition: 'adminOps.retry.refused.archived',
      },
    },
    async ({ order_id, reason }, admin, t) => {
      const e = env();
      // The same dispatch rules as the order worker (scripts/worker.ts).
      const r = await retryDeliveryAsAdmin(db, await auditContext(admin), {
        orderId: order_id,
        reason,
        dispatch: {
          minBattery: e.DISPATCH_MIN_BATTERY,
          offlineAfterMs: e.DRONE_OFFLINE_TIMEOUT_S * 1000,
        },
      });
      revalidatePath(`/admin/orders/${order_id}`);
      const format = await getFormatter();
      let message: string;
      if (r.outcome === 'reopened') message = t('adminOps.retry.result.reopened');
      else if (r.outcome === 'assigned') {
        const drone = r.drone ? `${r.drone.callSign} (${r.drone.model})` : (r.droneId ?? '').slice(0, 8);
        message =
          r.distanceM === null || r.distanceM === undefined
            ? t('adminOps.retry.result.assigned', { drone })
            : t('adminOps.retry.result.assignedAway', { drone, distance: distanceText(format, r.distanceM) });
      } else
        message = t(`adminOps.retry.result.${r.waiting ?? 'changed'}`, {
          status: t(`adminOps.orderStatus.${r.status}`),
        });
      return { ...r, message };
    },
  );
}

export async function forcePickupAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ status: string; cellNumber: number | null }>> {
  return runAdminAction(
    { schema: adminForcePickupSchema, input: form(f), codes: { invalid_transition: 'adminOps.pickup.notInLocker' } },
    async ({ order_id, reason }, admin) => {
      const r = await forcePickupAsAdmin(db, await auditContext(admin), { orderId: order_id, reason });
      revalidatePath(`/admin/orders/${order_id}`);
      return r;
    },
  );
}
