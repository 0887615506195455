'use server';

import { revalidatePath } from 'next/cache';
import { z } from '@/lib/validation/zod';
import { db } from '@/db';
import type { ActionResult } from '@/lib/actions';
import { runAdminAction } from '@/lib/admin/action';
import { setDroneMaintenance, issueDroneKeyAsAdmin } from '@/lib/admin/drones';
import { cancelOrderAsAdmin } from '@/lib/admin/orders';
import { auditContext } from '@/lib/admin/request';
import { adminCancelSchema } from '@/lib/validation/admin-orders';

// Admin server actions: each one checks requireAdmin() itself (runAdminAction), before reading
// its input, and records an audit row in the transaction that makes the change.

export async function issueDroneKeyAction(input: { drone_id: string }): Promise<ActionResult<{ key: string }>> {
  return runAdminAction(z.object({ drone_id: z.uuid() }), input, async ({ drone_id }, admin) => {
    const key = await issueDroneKeyAsAdmin(db, await auditContext(admin), drone_id);
    return { key };
  });
}

export async function setDroneMaintenanceAction(input: {
  drone_id: string;
  maintenance: boolean;
}): Promise<ActionResult<{ status: string }>> {
  return runAdminAction(
    z.object({ drone_id: z.uuid(), maintenance: z.boolean() }),
    input,
    async ({ drone_id, maintenance }, admin) =>
      setDroneMaintenance(db, await auditContext(admin), drone_id, maintenance),
    // The only refusal: the drone is on a delivery (lib/admin/drones.ts).
    { invalid_transition: 'adminCommon.errors.droneBusy' },
  );
}

export async function cancelOrderAsAdminAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ status: string }>> {
  return runAdminAction(
    adminCancelSchema,
    form instanceof FormData ? form : undefined,
    async ({ order_id, reason }, admin) => {
      const result = await cancelOrderAsAdmin(db, await auditContext(admin), order_id, reason);
      revalidatePath(`/admin/orders/${order_id}`);
      return result;
    },
  );
}
