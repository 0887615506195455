'use server';

import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import { env } from '@/env';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { forcePickupAsAdmin, retryDeliveryAsAdmin, type RetryResult } from '@/lib/admin/orders';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';
import { adminForcePickupSchema, adminRetryDeliverySchema } from '@/lib/validation/admin-orders';

// Order console: admin only (checked here, before the input is read), each change audited.

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

export async function retryDeliveryAction(_prev: unknown, f: FormData): Promise<ActionResult<RetryResult>> {
  return runAuthorizedAction(requireAdmin, adminRetryDeliverySchema, form(f), async ({ order_id, reason }, admin) => {
    const e = env();
    // The same dispatch rules as the order worker (scripts/worker.ts).
    const r = await retryDeliveryAsAdmin(db, await auditContext(admin), order_id, reason, {
      minBattery: e.DISPATCH_MIN_BATTERY,
      offlineAfterMs: e.DRONE_OFFLINE_TIMEOUT_S * 1000,
    });
    revalidatePath(`/admin/orders/${order_id}`);
    return r;
  });
}

export async function forcePickupAction(_prev: unknown, f: FormData): Promise<ActionResult<{ status: string; cellNumber: number | null }>> {
  return runAuthorizedAction(requireAdmin, adminForcePickupSchema, form(f), async ({ order_id, reason }, admin) => {
    const r = await forcePickupAsAdmin(db, await auditContext(admin), order_id, reason);
    revalidatePath(`/admin/orders/${order_id}`);
    return r;
  });
}
