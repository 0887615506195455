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
  return runAdminAction({ schema: z.object({ drone_id: z.uuid() }), input }, async ({ drone_id }, admin) => {
    const key = await issueDroneKeyAsAdmin(db, await auditContext(admin), drone_id);
    return { key };
  });
}

export async function setDroneMaintenanceAction(input: {
  drone_id: string;
  maintenance: boolean;
}): Promise<ActionResult<{ status: string }>> {
  return runAdminAction(
    {
      schema: z.object({ drone_id: z.uuid(), maintenance: z.boolean() }),
      input,
      codes: { invalid_transition: 'adminCommon.errors.droneBusy' },
    },
    async ({ drone_id, maintenance }, admin) =>
      setDroneMaintenance(db, await auditContext(admin), { droneId: drone_id, maintenance }),
  );
}

export async function cancelOrderAsAdminAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ status: string }>> {
  return runAdminAction(
    { schema: adminCancelSchema, input: form instanceof FormData ? form : undefined },
    async ({ order_id, reason }, admin) => {
      const result = await cancelOrderAsAdmin(db, await auditContext(admin), { orderId: order_id, reason });
      revalidatePath(`/admin/orders/${order_id}`);
      return result;
    },
  );
}
